"""reception bench desk runs end to end and ends with one JSON object."""
from __future__ import annotations

import json

from reception.cli import main


def test_bench_desk_prints_figures_and_json(capsys):
    assert main(["bench", "desk", "-c", "config/site.example.toml", "--presses", "5", "--tickets", "5"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(figures) == {"press_to_broker_ms", "ticket_render_ms", "ticket_bytes"}
    assert 0 < figures["press_to_broker_ms"]["p50"] <= figures["press_to_broker_ms"]["max"]
    assert figures["ticket_bytes"] > 100
