"""docs/hardware.md keeps up with the code: every command, console key, ticket block and pin role."""
from __future__ import annotations

from hardware.desk_client import KEY_ACTIONS
from reception.config import DESK_BUTTONS, TICKET_LAYOUT_KEYS, TICKET_LINES
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "hardware.md").read_text(encoding="utf-8")


def test_commands_keys_blocks_and_pins_are_documented():
    for command in ("reception desk", "reception console", "reception print-preview"):
        assert command in DOC
    for key in (*KEY_ACTIONS, "o", "p", "c", "q"):
        assert f"| `{key}` |" in DOC, key
    for name in (*TICKET_LINES, *TICKET_LAYOUT_KEYS, *DESK_BUTTONS, "led", "buzzer"):
        assert f"`{name}`" in DOC or f"{name} =" in DOC, name
