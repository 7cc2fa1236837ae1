"""The desk console and the keyboard-driven desk unit: keys become commands, the view shows the desk."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime

from hardware.console import Console, ConsoleView, render
from hardware.keys import KeyReader
from reception import protocol
from tests.hardware.conftest import wait_until

CALLED = {"number": "A012", "service": "mitid_learn", "state": "serving", "waited_min": 7.6, "extras": ["carer", "private"],
          "recalls": 1, "called_at": "2026-11-25T10:00:00+01:00"}


def test_render_shows_ticket_reason_in_danish_queue_and_alerts(site):
    state = protocol.DeskState("desk-1", "open", protocol.TicketAtDesk("A012", "mitid_learn", 7.6, ("carer",), "serving"),
                               (protocol.TicketAtDesk("C003", "passport", 4.0),), 7, datetime(2026, 11, 25, 10, 0))
    kinds = {"staff": protocol.KindWait(3, 10, 20), "volunteer": protocol.KindWait(0, 2, None)}
    view = ConsoleView(state=state, alerts=(protocol.Alert("kiosk-1", "paper_out"),), hub="online", connected=True,
                       kinds=kinds)
    screen = render(site, "desk-1", view)
    assert screen.splitlines()[0].startswith("Skranke 1 (desk-1): ÅBEN   hub: online")
    assert "Nu:    A012  Lær MitID og apps  (ventet 8 min)  [med hjælper]  betjenes" in screen
    assert "Næste: C003  Pas  (ventet 4 min)" in screen
    assert "Venter til denne skranke: 7" in screen
    assert "! kiosk-1: mangler papir" in screen
    assert "I alt: personale 10 venter (ca. 20 min, 3 åbne), frivillige 2 venter (ingen skranke åben, 0 åbne)" in screen


def test_console_keys_send_commands_and_show_results(site, desk_client, hub_player):
    hub_player.publish_state("desk-1", "open", CALLED)
    board = {"at": "2026-11-25T10:00:00+01:00", "kinds": {"staff": {"open": 1, "waiting": 4, "eta_min": 9}}}
    hub_player.conn.publish(hub_player.topics.board, protocol.encode(board), retain=True).wait_for_publish(5)
    client = desk_client("desk-1", role="console")
    # The retained state reaches the client before the console exists (it always did on an idle
    # machine, and sometimes not on a busy one): the console must still show it, and 'o' must close.
    assert client.state_seen.wait(10)
    out = io.StringIO()
    Console(client, out).run(KeyReader(io.StringIO("n\nt\nc a012\nc 12\no\np\nx\nq\nd\n")))
    commands = hub_player.wait_commands(5)
    assert [(c.action, c.ticket, c.to_kind) for c in commands] == [
        ("next", None, None), ("transfer", None, "staff"), ("call", "A012", None), ("close", None, None),
        ("pause", None, None)]  # nothing after q
    hub_player.answer_all(error="nobody waiting")
    wait_until(lambda: "hub: pause afvist: nobody waiting" in out.getvalue())
    screen = out.getvalue()
    assert "'12' er ikke et billetnummer" in screen and "ukendt tast 'x'" in screen
    assert "A012  Lær MitID og apps" in screen and "kaldt igen 1x" in screen
    assert "I alt: personale 4 venter (ca. 9 min, 1 åbne)" in screen


def reception(*args: str, stdin: str, broker) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "reception.cli", *args, "-c", "config/site.example.toml",
               "--broker-host", broker.host, "--broker-port", str(broker.port)]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=30)


def test_console_command_from_a_pipe(broker, hub_player, tmp_path):
    hub_player.publish_state("desk-1", "closed")
    done = reception("console", "--desk", "desk-1", "--outbox", str(tmp_path / "o.db"), stdin="o\nr\nq\n", broker=broker)
    assert done.returncode == 0, done.stderr
    hub_player.wait_commands(2)
    assert hub_player.actions() == ["open", "recall"]
    assert "Skranke 1 (desk-1): LUKKET" in done.stdout


def test_desk_command_with_mock_pins_and_keys(broker, hub_player, tmp_path):
    done = reception("desk", "--desk", "desk-1", "--desk", "vol-1", "--mock-pins", "--hold-time", "0.3",
                     "--outbox", str(tmp_path / "o.db"), stdin="n\n2\nt\n1\no\nq\n", broker=broker)
    assert done.returncode == 0, done.stderr
    hub_player.wait_commands(3)
    assert [(desk, c.action) for desk, c in hub_player.commands] == [
        ("desk-1", "next"), ("vol-1", "transfer"), ("desk-1", "open")]
    assert "desk-1: held next" in done.stdout


def test_the_console_names_the_broker_it_cannot_reach(site, tmp_path):
    from hardware.desk_client import DeskClient
    from hardware.outbox import Outbox
    from reception.mqtt import BrokerAddress

    outbox = Outbox(tmp_path / "o.db")
    client = DeskClient(site, "desk-1", BrokerAddress("10.0.0.5", 1883), outbox, role="console")  # never started
    try:
        screen = render(site, "desk-1", Console(client, io.StringIO()).view)
    finally:
        outbox.close()
    assert screen.splitlines()[0].endswith("kan ikke nå broker 10.0.0.5:1883, prøver igen")
