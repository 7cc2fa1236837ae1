"""The office's report: ``summarise`` figures rendered as one self-contained HTML file and a CSV.

``build`` is the library call; ``cli`` adds ``reception report`` and ``reception collect``.
Charts need matplotlib (the ``report`` extra); nothing here runs on a kiosk or desk unit.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Iterable, Mapping

from hub import stats


def build(aggregates: Iterable[Mapping], out_dir: str | Path, *, day_from: str, day_to: str,
          now: datetime) -> tuple[Path, Path]:
    """Write ``report-<from>-<to>.html`` and ``.csv`` into ``out_dir``; return both paths."""
    from hub.report import charts, html, table  # matplotlib only when a report is written, never in the hub

    summary = stats.summarise(aggregates)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"report-{day_from}-{day_to}"
    html_path, csv_path = stem.with_suffix(".html"), stem.with_suffix(".csv")
    html_path.write_text(html.render(summary, charts.all_charts(summary), day_from=day_from, day_to=day_to,
                                     now=now, csv_name=csv_path.name), encoding="utf-8")
    table.write_csv(table.rows(summary), csv_path)
    return html_path, csv_path
