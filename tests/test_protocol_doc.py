"""docs/protocol.md is the contract for people: its topics match the code and its examples run."""
import json
import re
import subprocess

from reception import protocol
from reception.protocol import office
from reception.errors import MessageError
from tests.conftest import ROOT, Recorder

DOC = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
# The office's setup messages, until they join the package's types (they read, but do not yet write)
SETUP_MESSAGES = (office.SetupCommand, office.SetupResult, office.OfficeSetup,
                  office.AuditList)


def documented_topics() -> set[str]:
    return set(re.findall(r"^\| `(reception/<site>/[^`]+)`", DOC, re.M))


def code_topics() -> set[str]:
    return set(re.findall(r"^\s+(reception/<site>/\S+)", protocol.__doc__ + office.__doc__, re.M))


def test_every_topic_in_the_code_is_documented_and_no_other():
    assert documented_topics() == code_topics()
    t = protocol.Topics("site")
    built = {t.hub_available, t.web_available, t.calls, t.board, t.queue, t.alerts, t.stats_daily, t.appointments,
             t.appointments_import, t.appointments_import_result,
             t.ticket_request("<kiosk>"),
             t.ticket_reply("<kiosk>"), t.ticket_first_visit("<kiosk>"), t.kiosk_status("<kiosk>"), t.feedback("<kiosk>"),
             t.desk_command("<desk>"), t.desk_result("<desk>"), t.desk_state("<desk>"), t.kiosk_available("<kiosk>"),
             t.board_available("<board>"), t.desk_available("<desk>", "<unit>"), t.status_pages, t.near}
    s = office.SetupTopics("site")
    built |= {s.command, s.result, s.state, s.audit}
    assert {b.replace("reception/site/", "reception/<site>/") for b in built} == documented_topics()


def test_every_desk_action_is_documented():
    for action in protocol.DESK_ACTIONS:
        assert f"`{action}`" in DOC, action


def test_every_setup_action_is_documented():
    for action in office.SETUP_ACTIONS:
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
    for figure in (protocol.MAX_PAYLOAD, protocol.MAX_PACKET, protocol.MAX_DEVICE_PAYLOAD, protocol.MAX_COUNT):
        assert f"{figure:,}" in DOC, figure
    assert f"{protocol.MAX_DEPTH} levels" in DOC and f"1–{protocol.MAX_TEXT} printable" in DOC
    assert f"at most {protocol.SHOWN} characters" in DOC and f"at most {protocol.MAX_REASON} characters" in DOC
    for code in (*protocol.ALERT_PROBLEMS, *protocol.PRINTER_STATES, *protocol.AVAILABILITY, *protocol.DESK_UNITS):
        assert f"`{code}`" in DOC, code


def read_by_some_type(example: str) -> list[str]:
    """The reasons each message type gives for refusing ``example``; an empty list when one reads it."""
    reasons = []
    for kind in (*protocol.Message.__subclasses__(), *SETUP_MESSAGES):
        try:
            kind.from_payload(example)
            return []
        except MessageError as exc:
            reasons.append(str(exc))
    return reasons


def json_at(text: str, start: int) -> str | None:
    """The JSON object that starts at ``start``, as written; None for a sketch that is not JSON."""
    try:
        return text[start:start + json.JSONDecoder().raw_decode(text[start:])[1]]
    except ValueError:
        return None


def test_every_whole_example_payload_reads_as_one_of_the_message_types():
    """Each example on one line, up to the misfits (an example with "…" in it is only a sketch)."""
    text = DOC.split("A few misfits")[0]
    whole = [e for e in (json_at(text, m.start()) for m in re.finditer(r'\{"v":1', text)) if e and "…" not in e]
    assert len(whole) >= 15
    for example in whole:
        assert read_by_some_type(example) == [], example


def test_every_misfit_is_refused_with_the_reason_shown():
    block = DOC.split("A few misfits")[1].split("```")[1]
    rows = re.findall(r'^(\{.*?\})\s{2,}(.+)$', block, re.M)
    assert len(rows) >= 5
    for example, reason in rows:
        reasons = read_by_some_type(example)
        assert any(r.startswith(reason.rstrip(" …")) for r in reasons), (example, reasons)


def test_every_message_type_and_topic_is_in_the_table_of_types():
    section = DOC.split("## The message types")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| (.+) \|$", section, re.M)
    assert sorted(name for name, _m, _t in rows) == sorted(k.__name__ for k in protocol.Message.__subclasses__())
    for name, module, _topics in rows:
        assert getattr(protocol, name).__module__ == f"reception.protocol.{module}", name
    listed = {f"reception/<site>/{t}" for _n, _m, topics in rows for t in re.findall(r"`([^`]+)`", topics)}
    setup = office.SetupTopics("<site>")
    assert listed | {setup.command, setup.result, setup.state, setup.audit} == documented_topics()
