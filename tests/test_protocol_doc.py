"""docs/protocol.md is the contract for people: its topics match the code and its examples run."""
import json
import re
import subprocess

from reception import protocol, setup_messages
from tests.conftest import ROOT, Recorder

DOC = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")


def documented_topics() -> set[str]:
    return set(re.findall(r"^\| `(reception/<site>/[^`]+)`", DOC, re.M))


def code_topics() -> set[str]:
    return set(re.findall(r"^\s+(reception/<site>/\S+)", protocol.__doc__ + setup_messages.__doc__, re.M))


def test_every_topic_in_the_code_is_documented_and_no_other():
    assert documented_topics() == code_topics()
    t = protocol.Topics("site")
    built = {t.hub_available, t.calls, t.board, t.queue, t.alerts, t.stats_daily, t.ticket_request("<kiosk>"),
             t.ticket_reply("<kiosk>"), t.ticket_first_visit("<kiosk>"), t.kiosk_status("<kiosk>"), t.feedback("<kiosk>"),
             t.desk_command("<desk>"), t.desk_result("<desk>"), t.desk_state("<desk>"), t.kiosk_available("<kiosk>"),
             t.board_available("<board>"), t.desk_available("<desk>", "<unit>")}
    s = setup_messages.SetupTopics("site")
    built |= {s.command, s.result, s.state, s.audit}
    assert {b.replace("reception/site/", "reception/<site>/") for b in built} == documented_topics()


def test_every_desk_action_is_documented():
    for action in protocol.DESK_ACTIONS:
        assert f"`{action}`" in DOC, action


def test_every_setup_action_is_documented():
    for action in setup_messages.SETUP_ACTIONS:
        assert f"| `{action}` |" in DOC, action


def test_the_shell_examples_work_as_written(hub, broker, tmp_path):
    blocks = re.findall(r"```sh\n(.*?)```", DOC, re.S)
    assert len(blocks) >= 5
    watcher = Recorder(broker, "reception/toender/alerts")
    outputs = []
    for block in blocks:
        script = block.replace("-p 1883", f"-p {broker.port}")
        done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, (block, done.stderr)
        outputs.append(done.stdout)
    assert json.loads(outputs[0]) == {"v": 1, "status": "online"}
    reply = json.loads(outputs[1])
    assert reply["ok"] and reply["ticket"]["number"] == "C001"
    assert json.loads(outputs[2]) == {"v": 1, "id": "cmd-0001", "action": "next", "ok": True, "ticket": "C001"}
    assert json.loads(outputs[3])["current"]["number"] == "C001"
    assert json.loads(outputs[4])["calls"][0]["number"] == "C001"
    assert json.loads(outputs[-2]) == {"v": 1, "id": "web-5d1c", "action": "close_desk", "ok": True, "version": 1}
    assert json.loads(outputs[-1])["closed_desks"] == ["desk-2"]
    gone = json.loads(outputs[7])["alerts"]
    assert [(a["device"], a["problem"]) for a in gone] == [("kiosk-2", "unreachable")], "a SIGKILLed kiosk's Last Will"
    problems = lambda msgs: [[a["problem"] for a in json.loads(p)["alerts"]] for _t, p in msgs]
    seen = watcher.wait_for(lambda msgs: problems(msgs)[-1] == [] and ["paper_out"] in problems(msgs) and problems(msgs))
    watcher.close()
    assert seen.index(["paper_out"]) < len(seen) - 1, "paper out raised an alert, and ok cleared it"


def test_the_limits_and_fixed_codes_are_documented_as_the_code_has_them():
    from reception import payload
    for figure in (payload.MAX_PAYLOAD, payload.MAX_PACKET, payload.MAX_DEVICE_PAYLOAD, payload.MAX_COUNT):
        assert f"{figure:,}" in DOC, figure
    assert f"{payload.MAX_DEPTH} levels" in DOC and f"1–{payload.MAX_TEXT} printable" in DOC
    assert f"at most {payload.SHOWN} characters" in DOC and f"at most {payload.MAX_REASON} characters" in DOC
    for code in (*protocol.ALERT_PROBLEMS, *protocol.PRINTER_STATES, *protocol.AVAILABILITY, *protocol.DESK_UNITS):
        assert f"`{code}`" in DOC, code
