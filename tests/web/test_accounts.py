"""Staff accounts, sessions and the login rate limit, on a real SQLite file with a clock the test moves."""
from datetime import datetime, timedelta, timezone
import subprocess
import sys

import pytest
from argon2 import PasswordHasher

from web.accounts import AccountError, Accounts, SESSION_HOURS
from web.login_limit import ACCOUNT_TRIES, ADDRESS_TRIES, WINDOW, LoginLimit


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(tmp_path, clock):
    a = Accounts(tmp_path / "web.db", clock, PasswordHasher(time_cost=1, memory_cost=8192))
    yield a
    a.close()


def test_a_password_is_kept_only_as_an_argon2_hash_and_checked(accounts, tmp_path):
    accounts.add("anna", "staff", "correct horse battery")
    assert accounts.verify("anna", "correct horse battery").role == "staff"
    assert accounts.verify("anna", "correct horse batterY") is None
    assert accounts.verify("nobody", "correct horse battery") is None
    stored = (tmp_path / "web.db").read_bytes()
    assert b"correct horse" not in stored and b"$argon2id$" in stored


@pytest.mark.parametrize("name, role, password, problem", [
    ("Anna", "staff", "long enough pw", "user name"),
    ("anna", "boss", "long enough pw", "role"),
    ("anna", "staff", "short", "too short"),
])
def test_bad_names_roles_and_passwords_are_refused(accounts, name, role, password, problem):
    with pytest.raises(AccountError, match=problem):
        accounts.add(name, role, password)
    assert accounts.users() == []


def test_a_name_is_taken_once(accounts):
    accounts.add("anna", "staff", "long enough pw")
    with pytest.raises(AccountError, match="exists"):
        accounts.add("anna", "manager", "long enough pw")


def test_a_session_lasts_a_working_day_and_ends_at_logout(accounts, clock):
    user = accounts.add("anna", "staff", "long enough pw")
    token, session = accounts.open_session(user)
    assert accounts.session(token) == session and session.csrf
    clock.now += timedelta(hours=SESSION_HOURS, seconds=1)
    assert accounts.session(token) is None
    token, _ = accounts.open_session(user)
    accounts.close_session(token)
    assert accounts.session(token) is None
    assert accounts.session("made-up") is None


def test_a_new_password_or_removal_ends_the_users_sessions(accounts):
    user = accounts.add("anna", "staff", "long enough pw")
    token, _ = accounts.open_session(user)
    accounts.set_password("anna", "another long pw")
    assert accounts.session(token) is None
    assert accounts.verify("anna", "another long pw")
    token, _ = accounts.open_session(user)
    accounts.remove("anna")
    assert accounts.session(token) is None and accounts.users() == []


def test_login_limit_per_account_and_per_address(clock):
    limit = LoginLimit(clock)
    for _ in range(ACCOUNT_TRIES):
        assert not limit.blocked("anna", "10.0.0.5")
        limit.failed("anna", "10.0.0.5")
    assert limit.blocked("anna", "10.0.0.9")  # the account, from anywhere
    assert not limit.blocked("bo", "10.0.0.9")
    clock.now += WINDOW + timedelta(seconds=1)
    assert not limit.blocked("anna", "10.0.0.5")
    for i in range(ADDRESS_TRIES):
        limit.failed(f"guess{i}", "10.0.0.7")
    assert limit.blocked("bo", "10.0.0.7") and not limit.blocked("bo", "10.0.0.8")


def test_a_good_login_clears_the_accounts_count(clock):
    limit = LoginLimit(clock)
    for _ in range(ACCOUNT_TRIES - 1):
        limit.failed("anna", "10.0.0.5")
    limit.succeeded("anna")
    limit.failed("anna", "10.0.0.5")
    assert not limit.blocked("anna", "10.0.0.6")


def reception(*args, stdin=subprocess.DEVNULL):
    return subprocess.run([sys.executable, "-m", "reception.cli", *args], capture_output=True, text=True,
                          stdin=stdin, timeout=60)


def test_user_command_adds_lists_and_refuses_in_one_line(tmp_path):
    db, pw = tmp_path / "web.db", tmp_path / "pw"
    pw.write_text("a long password\n")
    added = reception("user", "add", "mette", "--role", "manager", "--password-file", str(pw), "--db", str(db))
    assert added.returncode == 0, added.stderr
    assert reception("user", "list", "--db", str(db)).stdout == "mette\tmanager\n"
    asked = reception("user", "add", "bo", "--db", str(db))
    assert asked.returncode == 1 and asked.stderr.strip().splitlines() == [
        "error: no terminal to ask the password on: give --password-file"]
    twice = reception("user", "add", "mette", "--password-file", str(pw), "--db", str(db))
    assert twice.returncode == 1 and "exists already" in twice.stderr and "Traceback" not in twice.stderr
