"""``./run.sh``: each extra installed once, so ``up`` after ``test`` installs nothing again."""
from __future__ import annotations

import os
import shutil
import subprocess
import time

from tests.conftest import ROOT

STUB = """#!/bin/sh
echo "$(basename "$0") $*" >> "{log}"
"""


def checkout(tmp_path):
    """run.sh and pyproject.toml, with a stub venv (it logs what it is asked) and every Debian package there."""
    tree, bin_dir, log = tmp_path / "tree", tmp_path / "bin", tmp_path / "calls.log"
    (tree / ".venv/bin").mkdir(parents=True)
    bin_dir.mkdir()
    for name in ("run.sh", "pyproject.toml"):
        shutil.copy(ROOT / name, tree / name)
    for stub in (tree / ".venv/bin/python", tree / ".venv/bin/reception"):
        stub.write_text(STUB.format(log=log))
        stub.chmod(0o755)
    dpkg = bin_dir / "dpkg-query"
    dpkg.write_text("#!/bin/sh\nprintf 'install ok installed'\n")
    dpkg.chmod(0o755)
    return tree, bin_dir, log


def run_sh(tree, bin_dir, *args) -> str:
    done = subprocess.run(["bash", str(tree / "run.sh"), *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def installs(log) -> list[str]:
    calls = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return [c for c in calls if " install -q -e " in c]


def test_up_after_test_installs_nothing_and_a_changed_pyproject_installs_again(tmp_path):
    tree, bin_dir, log = checkout(tmp_path)
    assert "Installing the project with: test,all" in run_sh(tree, bin_dir, "test")
    assert installs(log) == ["python -m pip install -q -e .[test,all]"]
    assert "Installing" not in run_sh(tree, bin_dir, "up")
    assert installs(log) == []
    run_sh(tree, bin_dir, "test")
    assert installs(log) == []
    later = time.time() + 5
    os.utime(tree / "pyproject.toml", (later, later))
    run_sh(tree, bin_dir, "up")
    assert installs(log) == ["python -m pip install -q -e .[all]"]
