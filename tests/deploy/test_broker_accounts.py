"""Accounts, password hashes and ACL text generated from the site file."""
import shutil
import subprocess

import pytest

from reception import broker_accounts as ba


def test_one_account_per_device_named_by_its_id(site):
    names = [a.username for a in ba.accounts(site)]
    assert names[0] == "hub"
    assert set(names) == {"hub", *site.kiosks, *site.boards, *site.desks, "web"}
    assert len(names) == len(set(names))


def test_hashes_are_interchangeable_with_mosquitto_passwd(tmp_path):
    if not shutil.which("mosquitto_passwd"):
        pytest.fail("mosquitto_passwd missing: apt-get install mosquitto")
    path = tmp_path / "passwd"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(path), "kiosk-1", "s3cret"], check=True)
    theirs = path.read_text().strip().split(":", 1)[1]
    assert ba.verify_password("s3cret", theirs)
    assert not ba.verify_password("S3cret", theirs)
    ours = ba.hash_password("s3cret")
    assert ours.startswith("$7$101$") and ba.verify_password("s3cret", ours)
    assert not ba.verify_password("s3cret", "not a hash")


def test_password_file_keeps_matching_hashes_and_replaces_changed_ones():
    first = ba.password_file_text({"hub": "a", "kiosk-1": "b"})
    assert ba.password_file_text({"hub": "a", "kiosk-1": "b"}, existing=first) == first
    changed = ba.password_file_text({"hub": "a", "kiosk-1": "new", "desk-1": "c"}, existing=first)
    lines = dict(line.split(":", 1) for line in changed.splitlines())
    assert lines["hub"] == dict(line.split(":", 1) for line in first.splitlines())["hub"]
    assert ba.verify_password("new", lines["kiosk-1"]) and ba.verify_password("c", lines["desk-1"])


def test_acl_has_no_anonymous_rules_and_a_block_per_account(site):
    text = ba.acl_text(site)
    before_first_user = text.split("\nuser ", 1)[0]
    assert "topic" not in before_first_user
    assert text.count("\nuser ") == len(ba.accounts(site))


def test_broker_config_refuses_anonymous_and_binds_plain_port_to_loopback_with_tls(site):
    plain = ba.mosquitto_conf(site, password_file="/p", acl_file="/a")
    assert "allow_anonymous false" in plain.splitlines() and "listener 1883" in plain.splitlines()
    tls = ba.mosquitto_conf(site, password_file="/p", acl_file="/a", tls=ba.TlsFiles("/c.pem", "/k.pem"))
    assert "listener 1883 127.0.0.1" in tls and "listener 8883\ncertfile /c.pem\nkeyfile /k.pem" in tls


def test_the_web_asks_for_tickets_only_as_the_front_desk_kiosk_and_only_when_the_site_has_it(site, tmp_path):
    from tests.conftest import EXAMPLE_CONFIG
    from reception import config

    web = ba.Account(ba.WEB, "web")
    assert not [topic for access, topic in ba.acl_rules(site, web) if "ticket" in topic]
    with_front_desk = tmp_path / "site.toml"
    with_front_desk.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8")
                               + '\n[[kiosks]]\nid = "front-desk"\noffline_numbers = [801, 849]\n', encoding="utf-8")
    rules = ba.acl_rules(config.load(with_front_desk), web)
    assert [r for r in rules if "ticket" in r[1]] == [("write", "reception/toender/kiosk/front-desk/ticket/request"),
                                                      ("read", "reception/toender/kiosk/front-desk/ticket/reply")]
    assert ("read", "reception/toender/kiosk/+/available") in rules
