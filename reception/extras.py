"""What a command needs beyond the core, and the one line said when this machine lacks it.

Each Pi installs only its role's extra of pyproject.toml (a desk Pi has no Kivy, a hub no
gpiozero).  So a command whose extra is missing must not end in a traceback: it names the
extra to install, and exits with ``EXIT_UNAVAILABLE`` (systemd does not restart on it).
"""
from __future__ import annotations

import sys

EXIT_UNAVAILABLE = 69  # EX_UNAVAILABLE: a part is missing; restarting will not bring it

# The extra each command needs, by the role that runs it; a command not listed needs only the core.
COMMAND_EXTRA = {
    "hub": "hub", "kiosk": "kiosk", "print-preview": "kiosk", "board": "board", "board-screenshot": "board",
    "desk": "desk", "console": "desk", "report": "report", "collect": "report", "demo-data": "report",
    "up": "all", "bench": "bench", "web": "web", "user": "web", "appointments": "hub",
}
# Top-level modules of the extras' packages, with the extras that bring them.
MODULE_EXTRAS = {
    "kivy": ("kiosk", "board"),
    "escpos": ("kiosk",), "PIL": ("kiosk",), "usb": ("kiosk",), "serial": ("kiosk",),
    "gpiozero": ("desk",),
    "sqlite_utils": ("hub", "kiosk", "desk", "report"),
    "matplotlib": ("report",),
    "psutil": ("bench",),
    "starlette": ("web",), "uvicorn": ("web",), "argon2": ("web",), "jinja2": ("web",), "python_multipart": ("web",),
}
ROLE_OF_EXTRA = {"hub": "hub", "kiosk": "kiosk", "board": "board", "desk": "desk", "all": "all-in-one"}


def extra_for(command: str, module: str) -> str:
    """The command's own extra when it brings the module, else the first that does."""
    extras = MODULE_EXTRAS[module]
    own = COMMAND_EXTRA.get(command)
    return own if own in extras or own == "all" else extras[0]


def missing_part(command: str, exc: ImportError) -> str | None:
    """One line saying what to install so that ``command`` runs; None for an import error of another kind."""
    if type(exc).__name__ == "BadPinFactory":  # gpiozero found no pin driver (it is an ImportError)
        return (f"reception {command}: no GPIO pin driver here ({exc}): on Raspberry Pi OS install "
                "python3-lgpio (install/install.sh desk does), or try it with --mock-pins")
    module = (getattr(exc, "name", None) or "").split(".")[0]
    if not isinstance(exc, ModuleNotFoundError) or module not in MODULE_EXTRAS:
        return None
    extra = extra_for(command, module)
    role = ROLE_OF_EXTRA.get(extra)
    installer = f", or run install/install.sh {role}" if role else ""
    return (f"reception {command} needs the '{extra}' extra, which is not installed here (no module {module!r}): "
            f"in the checkout, {sys.executable} -m pip install '.[{extra}]'{installer}")
