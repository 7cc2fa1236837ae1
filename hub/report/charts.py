"""The report's charts, drawn with matplotlib as inline SVG (text as paths: no fonts, no files needed).

Each chart is a function of the summary returning an SVG string.  Figures are made
with ``matplotlib.figure.Figure`` directly, never pyplot, so no global state or
display is touched and a report can be built from any thread.
"""
from __future__ import annotations

import io
from typing import Callable, Mapping

from matplotlib import rcParams
from matplotlib.figure import Figure

from hub.stats import NO_REASON, SCORES

STAFF, VOLUNTEER, ARRIVALS = "#1f5f99", "#e08a00", "#9aaebf"
SCORE_COLOURS = ("#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac")  # 1 (unhappy) .. 5 (happy)
WIDTH, HEIGHT = 7.5, 3.4  # inches; 96 dpi in the browser gives about 720 x 330 px
LABEL_CHARS = 34
DAYS_SHOWN = 31  # longer periods are drawn by week

rcParams["svg.fonttype"] = "path"


def all_charts(summary: Mapping) -> dict[str, tuple[str, str]]:
    """Chart id -> (title, svg), in the order the report shows them."""
    return {key: (title, svg(draw(summary))) for key, (title, draw) in CHARTS.items()}


def arrivals_by_hour(summary: Mapping) -> Figure:
    hours = summary["hours"]
    fig, ax = _figure()
    if not hours:
        return _empty(fig, ax)
    xs = list(hours)
    ax.bar(xs, [hours[h]["arrivals_per_day"] for h in xs], color=ARRIVALS, label="arrivals per day")
    ax.set_xlabel("hour of the day (local time)")
    ax.set_ylabel("arrivals per day")
    ax.set_xticks(xs)
    desks = ax.twinx()
    desks.step(xs, [hours[h]["staff_desks"] for h in xs], where="mid", color=STAFF, linewidth=2.5,
               label="staff desks open")
    desks.step(xs, [hours[h]["volunteer_desks"] for h in xs], where="mid", color=VOLUNTEER, linewidth=2.5,
               label="volunteer desks open")
    desks.set_ylabel("desks open (average)")
    desks.set_ylim(bottom=0)
    _legend_on_top(ax, extra=desks)
    return fig


def waits_by_reason(summary: Mapping) -> Figure:
    reasons = {r: f for r, f in summary["reasons"].items() if f["wait_median"] is not None}
    fig, ax = _figure(height=max(HEIGHT, 0.45 * len(reasons) + 1))
    if not reasons:
        return _empty(fig, ax)
    labels = [_label(summary, r) for r in reasons]
    ys = range(len(reasons))
    ax.barh(ys, [f["wait_p90"] for f in reasons.values()], color="#c6d4e1", label="p90 (9 in 10 waited less)")
    ax.barh(ys, [f["wait_median"] for f in reasons.values()], height=0.45, color=STAFF, label="median")
    ax.set_yticks(list(ys), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("minutes from ticket to first call")
    _legend_on_top(ax)
    return fig


def repeat_share_over_time(summary: Mapping) -> Figure:
    periods = _periods(summary)
    fig, ax = _figure()
    points = [(d, f["repeat_share"]) for d, f in periods.items() if f["repeat_share"] is not None]
    if not points:
        return _empty(fig, ax)
    xs = range(len(points))
    ax.plot(xs, [100 * s for _, s in points], marker="o", color=VOLUNTEER, linewidth=2)
    _period_ticks(ax, [d for d, _ in points])
    ax.set_ylim(0, 100)
    ax.set_ylabel("% came before for the same reason")
    return fig


def volunteer_share(summary: Mapping) -> Figure:
    periods = _periods(summary)
    fig, ax = _figure()
    if not periods:
        return _empty(fig, ax)
    xs = range(len(periods))
    by_volunteer = [f["by_volunteer"] for f in periods.values()]
    by_staff = [f["served"] - f["by_volunteer"] for f in periods.values()]
    ax.bar(xs, by_staff, color=STAFF, label="served by staff")
    ax.bar(xs, by_volunteer, bottom=by_staff, color=VOLUNTEER, label="served by volunteers")
    _period_ticks(ax, list(periods))
    ax.set_ylabel("visits served")
    _legend_on_top(ax)
    return fig


def feedback_scores(summary: Mapping) -> Figure:
    feedback = {r: f for r, f in summary["feedback"].items() if f["answers"]}
    fig, ax = _figure(height=max(HEIGHT, 0.45 * len(feedback) + 1.2))
    if not feedback:
        return _empty(fig, ax)
    ys = list(range(len(feedback)))
    left = [0] * len(feedback)
    for score, colour in zip(SCORES, SCORE_COLOURS):
        counts = [f["scores"][score] for f in feedback.values()]
        ax.barh(ys, counts, left=left, color=colour, label=f"face {score}")
        left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(ys, [_label(summary, r) for r in feedback], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("answers (1 = very unhappy ... 5 = very happy)")
    _legend_on_top(ax)
    return fig


CHARTS: dict[str, tuple[str, Callable[[Mapping], Figure]]] = {
    "arrivals": ("Arrivals by hour against desks open", arrivals_by_hour),
    "waits": ("Waits by visit reason", waits_by_reason),
    "repeats": ("Repeat visits over time (by day, or by week over longer periods)", repeat_share_over_time),
    "volunteers": ("Visits served by volunteers and staff (by day, or by week)", volunteer_share),
    "feedback": ("What citizens said, by visit reason", feedback_scores),
}


def _figure(height: float = HEIGHT):
    fig = Figure(figsize=(WIDTH, height), layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _legend_on_top(ax, extra=None) -> None:
    """One row of legend above the plot, where it never hides a bar."""
    handles, labels = ax.get_legend_handles_labels()
    if extra is not None:
        more = extra.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.02), ncols=len(handles), fontsize=8,
              frameon=False, borderaxespad=0)


def _empty(fig: Figure, ax) -> Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, "no data in this period", ha="center", va="center", fontsize=12, color="#555555")
    return fig


def _periods(summary: Mapping) -> Mapping[str, Mapping]:
    """Days over a month or less; weeks over longer periods, where days would be a blur."""
    return summary["days"] if len(summary["days"]) <= DAYS_SHOWN else summary["weeks"]


def _period_ticks(ax, periods: list[str]) -> None:
    """Days as "24.11", weeks as "W48" along the x axis (every one while they fit, then every n-th)."""
    step = max(1, len(periods) // 20)
    labels = [p[5:] if "W" in p else f"{p[8:10]}.{p[5:7]}" for p in periods[::step]]
    ax.set_xticks(range(0, len(periods), step), labels, fontsize=8, rotation=45)


def _label(summary: Mapping, reason: str) -> str:
    name = "(no visit reason given)" if reason == NO_REASON else summary["names"].get(reason, reason)
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to paste into HTML (no XML prolog or doctype)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    text = buf.getvalue()
    return text[text.index("<svg"):]
