"""The booking system posts the day's appointments to the web service, which hands them to the hub: a real
hub and web service on a real broker, plain HTTP (no browser: the booking system is a machine)."""
from __future__ import annotations

import base64
import http.cookiejar
import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bench.web_rig import PASSWORD, WebProcess

DAY_CSV = ("date;time;service;desk;code;navn;cpr\n"
           "2026-12-08;09:00;passport;any;1234;Karen Jensen;0101701234\n"
           "2026-12-08;09:15;driving_licence;desk-3;5678;Ole Hansen;0202801234\n").encode()


@pytest.fixture
def web(broker, hub, tmp_path):
    w = WebProcess(broker, tmp_path / "web.db", {"booking": "booking", "mette": "manager"}).start()
    yield w
    w.stop()


def post(web, body: bytes, user: str | None = "booking", key: str = PASSWORD, file: str = "day.csv"):
    request = urllib.request.Request(f"{web.url}/api/appointments?file={file}", body, method="POST",
                                     headers={"Content-Type": "text/csv"})
    if user:
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{key}".encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def stored(hub) -> dict[str, tuple]:
    with sqlite3.connect(hub.db_path) as conn:
        return {code: (at, service, desk, slot) for code, at, service, desk, slot in conn.execute(
            "select code, at, service, desk, slot from appointments order by code")}


def test_a_posted_file_is_stored_by_the_hub_without_anything_personal(web, hub):
    status, body = post(web, DAY_CSV)
    assert status == 200, body
    assert json.loads(body) == {"ok": True, "left_out": ["names", "CPR numbers"], "days": [
        {"day": "2026-12-08", "added": 2, "changed": 0, "removed": 0, "unchanged": 0, "kept": 0}]}
    first = stored(hub)
    assert {code: row[:3] for code, row in first.items()} == {
        "1234": ("2026-12-08T09:00:00+01:00", "passport", "any"),
        "5678": ("2026-12-08T09:15:00+01:00", "driving_licence", "desk-3")}
    status, body = post(web, DAY_CSV)  # the booking system sends the same export again
    assert json.loads(body)["days"][0]["unchanged"] == 2 and stored(hub) == first
    logs = web.log() + hub.log()
    assert "left out unread: names, CPR numbers" in logs
    assert not any(value in logs for value in ("Karen", "Hansen", "0101701234"))


def test_a_malformed_file_is_refused_with_its_line_and_changes_nothing(web, hub):
    status, body = post(web, b"date,time,service,code\n2026-12-08,25:00,passport,1234\n", file="late.csv")
    assert (status, body) == (422, "late.csv: line 2: time: not a time of day like 09:30\n")
    assert stored(hub) == {}


@pytest.mark.parametrize("user,key,status", [(None, "", 401), ("booking", "wrong key!!", 401),
                                             ("mette", PASSWORD, 403)])
def test_only_the_booking_account_with_its_key_may_post(web, hub, user, key, status):
    assert post(web, DAY_CSV, user, key)[0] == status
    assert stored(hub) == {}


def test_the_booking_account_cannot_log_in_to_the_pages(web):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{web.url}/login", timeout=10).read().decode()
    token = re.search(r'name="login_token" value="([^"]+)"', form)[1]
    data = urllib.parse.urlencode({"name": "booking", "password": PASSWORD, "login_token": token}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(f"{web.url}/login", data, timeout=10)
    assert refused.value.code == 401


def test_without_the_hub_the_booking_system_is_told_to_send_again(broker, tmp_path):
    lone = WebProcess(broker, tmp_path / "web.db", {"booking": "booking"}).start()
    try:
        status, body = post(lone, DAY_CSV)
    finally:
        lone.stop()
    assert (status, json.loads(body)) == (503, {"ok": False, "error": "the hub did not answer in time; send the file again"})
