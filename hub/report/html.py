"""The report as one HTML file: styles and charts inline, no script, no link to fetch.

A manager opens it from a mail or a shared drive on any machine, offline.  Tables
under the charts carry the same numbers for screen readers and for copying.
"""
from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Mapping, Sequence

from reception.config import WEEKDAYS

from hub.report.table import shown
from hub.stats import ETA_TOLERANCE_MIN, MIN_COUNT, NO_REASON, SCORES

KEY_FIGURES = (
    ("visits", "visits"), ("served", "served"), ("wait_median", "median wait"), ("wait_p90", "p90 wait"),
    ("volunteer_share", "served by volunteers"), ("repeat_share", "came back for the same"),
    ("no_show", "no-shows"), ("eta_met_share", "wait on the ticket kept"),
    ("transfers_to_staff", "volunteer → staff"), ("transfers_to_volunteer", "staff → volunteer"),
    ("feedback_mean", "feedback (1-5)"), ("feedback_answers", "feedback answers"),
)
VISIT_COLUMNS = (
    ("visits", "visits"), ("served", "served"), ("no_show", "no-show"), ("volunteer_share", "by volunteers"),
    ("wait_median", "wait median"), ("wait_p90", "wait p90"), ("service_median", "service median"),
    ("service_p90", "service p90"), ("repeat_share", "repeat visits"), ("eta_met_share", "wait kept"),
)
REASON_COLUMNS = VISIT_COLUMNS + (("feedback_answers", "feedback"), ("feedback_mean", "mean face"))
KIND_COLUMNS = (("served", "served"), ("wait_median", "wait median"), ("wait_p90", "wait p90"),
                ("service_median", "service median"), ("service_p90", "service p90"))
HOUR_COLUMNS = (("arrivals", "arrivals"), ("arrivals_per_day", "per day"),
                ("staff_desks", "staff desks open"), ("volunteer_desks", "volunteer desks open"))
DAY_COLUMNS = (("site_days", "days"), ("visits_per_day", "visits per day")) + VISIT_COLUMNS
APPOINTMENT_COLUMNS = (("kept", "kept"), ("late", "late (walk-in)"), ("missed", "missed"),
                       ("past_time_median", "waited past the time, median"),
                       ("past_time_p90", "waited past the time, p90"))

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1b1b1b;
       padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #1f5f99; }
.meta { color: #555; }
.keys { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.6rem; padding: 0; }
.keys li { list-style: none; background: #eef3f8; border-radius: 6px; padding: 0.6rem 0.8rem; }
.keys b { display: block; font-size: 1.5rem; }
figure.chart { margin: 1.2rem 0; } figure.chart svg { width: 100%; height: auto; }
figcaption { font-weight: bold; margin-bottom: 0.3rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1.2rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: right; }
td { white-space: nowrap; } th:first-child, td:first-child { text-align: left; white-space: normal; }
.note { color: #555; font-size: 0.9rem; }
"""


def render(summary: Mapping, charts: Mapping[str, tuple[str, str]], *, day_from: str, day_to: str,
           now: datetime, csv_name: str) -> str:
    names = summary["names"]
    sites = ", ".join(escape(name) for name in summary["site_names"].values()) or "no site"
    parts = [
        f"<h1>Borgerservice: visits {escape(day_from)} to {escape(day_to)}</h1>",
        f'<p class="meta">Sites: {sites} · {summary["site_days"]} site-days with data · made '
        f'{escape(now.strftime("%Y-%m-%d %H:%M"))} · the same numbers as CSV: {escape(csv_name)}</p>',
        _key_figures(summary["overall"]),
    ]
    if not summary["overall"]["visits"]:
        parts.insert(2, f'<p class="empty"><b>No visits from {escape(day_from)} to {escape(day_to)}.</b> '
                        'Nothing was recorded in this range: the office was closed, or the range or the '
                        'database file is not the one meant.</p>')
    for key, (title, svg) in charts.items():
        parts.append(f'<figure class="chart" id="chart-{key}"><figcaption>{escape(title)}</figcaption>{svg}</figure>')
    parts += [
        _table("By visit reason", "reason", _named(summary["reasons"], names), REASON_COLUMNS),
        _table("By desk kind", "desk kind", summary["kinds"], KIND_COLUMNS),
        _table("By hour of the day", "hour", {f"{h:02d}:00": f for h, f in summary["hours"].items()},
               HOUR_COLUMNS),
        _table("By weekday", "weekday", {d: summary["weekdays"][d] for d in WEEKDAYS if d in summary["weekdays"]},
               DAY_COLUMNS),
        _table("By week", "week", summary["weeks"], DAY_COLUMNS),
        _table("By day", "day", summary["days"], DAY_COLUMNS),
    ]
    if len(summary["sites"]) > 1:
        by_site = {f"{summary['site_names'][s]} ({s})": f for s, f in summary["sites"].items()}
        parts.append(_table("By site", "site", by_site, DAY_COLUMNS))
    parts += [_table("Booked visits", "", {"all appointments": summary["appointments"]}, APPOINTMENT_COLUMNS),
              _transfers(summary["transfers"]), _feedback(summary["feedback"], names), _notes()]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Borgerservice report {escape(day_from)} – {escape(day_to)}</title>"
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def _named(groups: Mapping[str, Mapping], names: Mapping[str, str]) -> dict:
    return {"(no visit reason given)" if r == NO_REASON else names.get(r, r): f for r, f in groups.items()}


def _key_figures(overall: Mapping) -> str:
    items = "".join(f"<li><b>{escape(shown(m, overall.get(m)))}</b>{escape(label)}</li>" for m, label in KEY_FIGURES)
    return f'<ul class="keys" id="key-figures">{items}</ul>'


def _table(title: str, group_label: str, groups: Mapping[str, Mapping], columns: Sequence[tuple[str, str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for _m, h in columns)
    body = "".join(
        f"<tr><td>{escape(str(group))}</td>" + "".join(f"<td>{escape(shown(m, f.get(m)))}</td>" for m, _h in columns)
        + "</tr>" for group, f in groups.items())
    return (f"<h2>{escape(title)}</h2><table><thead><tr><th>{escape(group_label)}</th>{head}</tr></thead>"
            f"<tbody>{body or _nothing(len(columns) + 1)}</tbody></table>")


def _transfers(transfers: Mapping[str, int]) -> str:
    body = "".join(f"<tr><td>{escape(move.replace('>', ' → '))}</td><td>{n}</td></tr>"
                   for move, n in transfers.items())
    return (f"<h2>Hand-overs between desk kinds</h2><table><thead><tr><th>from → to</th><th>visits</th></tr>"
            f"</thead><tbody>{body or _nothing(2)}</tbody></table>")


def _feedback(feedback: Mapping[str, Mapping], names: Mapping[str, str]) -> str:
    tags = sorted({t for f in feedback.values() for t in f["tags"]})
    head = "".join(f"<th>face {s}</th>" for s in SCORES) + "".join(f"<th>{escape(t.replace('_', ' '))}</th>"
                                                                  for t in tags)
    body = "".join(
        f"<tr><td>{escape(reason)}</td><td>{f['answers']}</td><td>{escape(shown('mean', f['mean_score']))}</td>"
        + "".join(f"<td>{f['scores'][s]}</td>" for s in SCORES)
        + "".join(f"<td>{f['tags'].get(t, 0)}</td>" for t in tags) + "</tr>"
        for reason, f in _named(feedback, names).items())
    return (f"<h2>Feedback at the kiosk</h2><table><thead><tr><th>reason</th><th>answers</th><th>mean face</th>"
            f"{head}</tr></thead><tbody>{body or _nothing(7 + len(tags))}</tbody></table>")


def _nothing(columns: int) -> str:
    return f'<tr><td colspan="{columns}">no data in this period</td></tr>'


def _notes() -> str:
    return (f'<p class="note">Waits run from the ticket to the first call; service times from the last call to '
            f'the end of the visit; both in whole minutes. Median: half waited less. p90: nine in ten waited less. '
            f'A figure drawn from fewer than {MIN_COUNT} visits or answers is shown as “–”: it would describe a '
            f'person, not the office. Repeat visits: share of those who answered the kiosk\'s “first time about '
            f'this?” with no. “Wait kept”: called no later than the minutes printed on the ticket plus '
            f'{ETA_TOLERANCE_MIN} minutes. Every figure is explained in docs/report.md.</p>')
