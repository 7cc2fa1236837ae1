"""Running ``reception report`` as a manager would, and reading its CSV back by (section, group, metric)."""
from __future__ import annotations

import csv
from pathlib import Path

from reception.cli import main


def report(out: Path, *dbs: Path, day_from: str, day_to: str) -> tuple[Path, dict]:
    args = ["report", "--from", day_from, "--to", day_to, "--out", str(out)]
    for db in dbs:
        args += ["--db", str(db)]
    assert main(args) == 0
    html = out / f"report-{day_from}-{day_to}.html"
    return html, read_csv(html.with_suffix(".csv"))


def read_csv(path: Path) -> dict[tuple[str, str, str], str]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {(r["section"], r["group"], r["metric"]): r["value"] for r in rows}


def number(figures: dict, section: str, group: str, metric: str) -> float | None:
    """A figure as a number; None where the report suppressed it (an empty cell)."""
    value = figures[(section, group, metric)]
    return None if value == "" else float(value)


def about(value: float):
    """The CSV keeps four decimals."""
    import pytest

    return pytest.approx(value, abs=1e-4)
