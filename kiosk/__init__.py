"""The lobby kiosk: a citizen taps a few large buttons and gets a numbered ticket.

``flow`` (the question walk), ``i18n`` (every text, from ``texts.toml``) and ``theme`` (sizes
and colours) are pure; ``hub_link``, ``outbox``, ``issuer``,
``printing`` and ``speech`` are the adapters; ``app`` and ``screens/`` are the Kivy face.
"""
