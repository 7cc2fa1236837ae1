"""``reception board`` as systemd runs it: its own process and window, announcing into WAV files in test mode."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

from reception.cli import EXIT_CONFIG, main
from tests.board.helpers import call
from tests.conftest import EXAMPLE_CONFIG, ROOT


def test_an_unknown_board_id_is_a_configuration_error(capsys):
    assert main(["board", "-c", str(EXAMPLE_CONFIG), "--board", "board-9"]) == EXIT_CONFIG
    assert "boards: no board 'board-9'" in capsys.readouterr().err


def test_the_board_command_shows_and_announces_a_call_and_tells_systemd(xvfb, broker, recorder, tmp_path):
    speech = tmp_path / "speech"
    notify_path = os.path.join(tempfile.mkdtemp(prefix="sdn"), "notify")  # AF_UNIX paths are short
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(notify_path)
    systemd.settimeout(20)
    hub = recorder()
    hub.publish("reception/toender/hub/available", {"v": 1, "status": "online"}, retain=True)
    env = {**os.environ, "NOTIFY_SOCKET": notify_path, "WATCHDOG_USEC": "1000000"}
    proc = subprocess.Popen([sys.executable, "-m", "reception.cli", "board", "-c", str(EXAMPLE_CONFIG),
                             "--broker-port", str(broker.port), "--announce-dir", str(speech), "--size", "1280x720"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        said = set()
        while not {"READY=1", "WATCHDOG=1"} <= said:
            said |= {line for line in systemd.recv(4096).decode().splitlines()}
        deadline = time.monotonic() + 30
        while not list(speech.glob("*-A042-*.wav")) and time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode()[-2000:])
            hub.publish("reception/toender/calls", json.dumps(call("A042", "vol-1", 42)))
            time.sleep(1)
        assert sorted(p.name for p in speech.glob("*-A042-*.wav"))[:2] == ["00001-A042-da.wav", "00001-A042-en.wav"]
        assert (speech / "chime.wav").exists()
        proc.terminate()
        assert proc.wait(10) == 0, "SIGTERM must end the board cleanly"
        while "STOPPING=1" not in said:
            said |= {line for line in systemd.recv(4096).decode().splitlines()}
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        systemd.close()
        os.unlink(notify_path)


def test_board_screenshot_is_quiet_unless_asked_and_says_each_thing_once(xvfb, tmp_path):
    def screenshot(*options):
        out = tmp_path / f"board{len(options)}.png"
        done = subprocess.run([sys.executable, "-m", "reception.cli", *options, "board-screenshot",
                               "-c", str(EXAMPLE_CONFIG), "--size", "1280x720", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and out.is_file(), done.stderr
        return done

    quiet = screenshot()
    assert (quiet.stdout, quiet.stderr) == (f"{tmp_path / 'board0.png'}\n", "")
    lines = screenshot("-v").stderr.splitlines()
    assert sum("Kivy: v" in line for line in lines) == 1, "Kivy's lines once, through our log format"
    assert not [line for line in lines if line.startswith("[")], "no second copy in Kivy's own format"
