"""A virtualenv holding only what one role's extras bring, built in a moment without a network.

The packages are the ones installed in the test suite's own environment: each distribution the
role's extras need (read from pyproject.toml, followed through their own requirements) is linked
into a fresh venv's site-packages, and a .pth file puts this checkout on the path.  A module no
extra of the role asks for cannot be imported there, as on a Pi installed for that role.
"""
from __future__ import annotations

import importlib.metadata as metadata
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

from packaging.requirements import Requirement

from tests.conftest import ROOT

PROJECT = "borgerservice-reception"


def project_requirements(extras: list[str]) -> list[Requirement]:
    """The core dependencies and those of ``extras``, with the project's own extras expanded."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found, todo, seen = [Requirement(r) for r in project["dependencies"]], list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for line in project["optional-dependencies"][extra]:
            req = Requirement(line)
            if req.name == PROJECT:
                todo += sorted(req.extras)
            else:
                found.append(req)
    return found


def distributions(requirements: list[Requirement]) -> dict[str, metadata.Distribution]:
    """Every installed distribution the requirements need, by name."""
    found: dict[str, metadata.Distribution] = {}
    todo, seen = list(requirements), set()
    while todo:
        req = todo.pop()
        key = (req.name.lower().replace("_", "-"), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        dist = found[key[0]] = metadata.distribution(req.name)  # not found: the suite's venv lacks an extra
        environments = [{"extra": extra} for extra in ("", *req.extras)]
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(sub.marker.evaluate(env) for env in environments):
                todo.append(sub)
    return found


def top_level_entries(dist: metadata.Distribution) -> set[Path]:
    """The files and folders a distribution put directly into site-packages."""
    entries = set()
    for file in dist.files or []:
        first = file.parts[0]
        if first not in ("..", "__pycache__") and not first.endswith(".pth"):
            entries.add(Path(dist.locate_file(first)))
    return entries


def build(path: Path, extras: list[str]) -> Path:
    """A venv at ``path`` with this checkout and the distributions ``extras`` need; returns its python."""
    venv.create(path, with_pip=False, symlinks=True)
    python = path / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    for dist in distributions(project_requirements(extras)).values():
        for entry in top_level_entries(dist):
            link = site / entry.name
            if not link.exists():
                link.symlink_to(entry)
    (site / "reception-checkout.pth").write_text(f"{ROOT}\n")
    return python


def run(python: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """``reception ARGS`` in the role's venv: isolated (-I), so nothing of the suite's path leaks in."""
    env = {k: v for k, v in (os.environ if env is None else env).items() if not k.startswith("PYTHON")}
    return subprocess.run([str(python), "-I", "-m", "reception.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def start(python: Path, *args: str, env: dict[str, str]) -> subprocess.Popen:
    """``reception ARGS`` as a service in the role's venv; its stderr kept for the failure message."""
    env = {k: v for k, v in env.items() if not k.startswith("PYTHON")}
    return subprocess.Popen([str(python), "-I", "-m", "reception.cli", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def modules(extra: str) -> set[str]:
    """The top-level modules the distributions of ``extra`` (and the core) bring."""
    found = set()
    for dist in distributions(project_requirements([extra])).values():
        found |= {entry.name.removesuffix(".py") for entry in top_level_entries(dist)}
    return found


def importable(python: Path, module: str) -> bool:
    return subprocess.run([str(python), "-I", "-c", f"import {module}"], capture_output=True).returncode == 0


if __name__ == "__main__":  # a look at one role: python -m tests.deploy.role_venv DIR EXTRA...
    print(build(Path(sys.argv[1]), sys.argv[2:]))
