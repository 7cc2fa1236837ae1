"""The report's numbers as rows: ``section, group, metric, value`` — the CSV, and what the HTML tables show.

One long table rather than one CSV per breakdown, so a spreadsheet can filter it and
a test can look any figure up.  An empty value is a figure suppressed because fewer
than ``hub.stats.MIN_COUNT`` observations stood behind it.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable, Mapping

from hub.stats import SCORES

HEADER = ("section", "group", "metric", "value")
SECTIONS = ("reasons", "kinds", "hours", "weekdays", "days", "weeks", "sites")


def rows(summary: Mapping) -> list[tuple[str, str, str, object]]:
    out = [("overall", "all", metric, value) for metric, value in summary["overall"].items()]
    out.append(("overall", "all", "site_days", summary["site_days"]))
    for section in SECTIONS:
        for group, figures in summary[section].items():
            out.extend((section, str(group), metric, value) for metric, value in figures.items())
    out.extend(("transfers", move, "count", n) for move, n in summary["transfers"].items())
    out.extend(("appointments", "all", metric, value) for metric, value in summary["appointments"].items())
    for reason, f in summary["feedback"].items():
        out.append(("feedback", reason, "answers", f["answers"]))
        out.append(("feedback", reason, "mean_score", f["mean_score"]))
        out.extend(("feedback", reason, f"score_{s}", f["scores"][s]) for s in SCORES)
        out.extend(("feedback", reason, f"tag_{tag}", n) for tag, n in f["tags"].items())
    return out


def write_csv(table: Iterable[tuple], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows((s, g, m, csv_value(v)) for s, g, m, v in table)


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def shown(metric: str, value) -> str:
    """A figure as a person reads it: shares in per cent, minutes and means with a unit or a decimal."""
    if value is None:
        return "–"
    if metric.endswith("_share"):
        return f"{100 * value:.0f} %"
    if metric.endswith(("_median", "_p90")):
        return f"{value} min"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
