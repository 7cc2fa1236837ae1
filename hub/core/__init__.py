"""The queue rules as plain Python: no clock, no I/O, no MQTT, no SQLite.  Everything is testable directly."""
