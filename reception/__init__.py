"""Shared ground of the reception appliance: site configuration, the MQTT contract, the CLI."""
