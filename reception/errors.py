"""The project's own exceptions, one line each, each also a built-in so callers can be general."""


class ReceptionError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigError(ReceptionError, ValueError):
    """The site configuration is invalid; the message names the file, the key and the problem."""


class MessageError(ReceptionError, ValueError):
    """An MQTT message does not fit the contract; the message says why."""


class QueueError(ReceptionError, ValueError):
    """A queue command cannot be carried out in the current state (unknown desk, no such ticket...)."""


class StoreVersionError(ReceptionError, RuntimeError):
    """The hub's database was written by a newer version of this software than the one running."""


class PrinterUnavailable(ReceptionError, OSError):
    """The ticket printer cannot print now (gone, out of paper, cover open)."""


class BrokerMissing(ReceptionError, FileNotFoundError):
    """No Mosquitto binary to start a private broker with."""


class CatalogueError(ReceptionError, ValueError):
    """A text catalogue shipped with the code does not fit its format; the message names the file and the key."""


class AppointmentFileError(ReceptionError, ValueError):
    """An appointments file cannot be imported; the message names the file and the line, never a value in it."""
