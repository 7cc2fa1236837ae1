"""The waiting-room display board: a pure board model, an announcer, an MQTT feed and Kivy screens.

``model``, ``wording`` and ``info`` import no Kivy and no paho, so the board's rules are
tested without a screen; ``feed`` (MQTT), ``announcer`` (espeak-ng) and ``app`` (Kivy)
are the adapters around them.
"""
