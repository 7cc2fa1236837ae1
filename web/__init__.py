"""The staff side in the browser: desk workstation, office panel, accounts.

An adapter like the kiosk and the desk buttons: it talks to the hub only through the MQTT
contract (docs/protocol.md) and keeps nothing of the hub's; its own small SQLite file holds
staff accounts and login sessions, never anything about citizens.
"""
