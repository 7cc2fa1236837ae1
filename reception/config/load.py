"""Reading the site file from disk."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from reception.config.model import Site
from reception.config.parse import parse
from reception.errors import ConfigError


def load(path: str | Path) -> Site:
    """Read and validate a site file; raise ConfigError naming file, key and problem."""
    return parse(read_toml(path), source=str(path))


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file's document; ConfigError naming the file when it is missing or broken."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
