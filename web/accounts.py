"""Staff accounts and login sessions in the web's own small SQLite file.

Passwords are kept as Argon2id hashes (argon2-cffi, the hash OWASP recommends first); a
session is a random token in a cookie, of which the file keeps only a SHA-256, so a copy of
the file lets nobody in.  Each session has its own CSRF token.  Citizens have no account.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("staff", "volunteer", "manager", "booking")
API_ROLES = ("booking",)  # machines: they post to /api/..., never log in to the pages
NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
MIN_PASSWORD = 10
SESSION_HOURS = 12  # a working day; then log in again

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,
                                  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES users(name)
                                     ON DELETE CASCADE, csrf TEXT NOT NULL, expires_at TEXT NOT NULL);
"""


class AccountError(ValueError):
    """A name, role or password that cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class User:
    name: str
    role: str


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """The accounts file; safe to use from several threads (one connection, one lock)."""

    def __init__(self, path: Path | str, clock: Callable[[], datetime], hasher: PasswordHasher | None = None):
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._dummy = self.hasher.hash(secrets.token_hex(16))  # checked for unknown names: same time as a real one

    def close(self) -> None:
        self._db.close()

    def _run(self, sql: str, *args) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- accounts ----------------------------------------------------------

    def add(self, name: str, role: str, password: str) -> User:
        if not NAME_RE.fullmatch(name):
            raise AccountError(f"user name {name!r}: use 1-32 small letters, digits, '.', '_' or '-'")
        if role not in ROLES:
            raise AccountError(f"role {role!r}: use one of {', '.join(ROLES)}")
        check_password(password)
        if self._run("SELECT 1 FROM users WHERE name = ?", name):
            raise AccountError(f"user {name!r} exists already")
        self._run("INSERT INTO users VALUES (?, ?, ?, ?)", name, role, self.hasher.hash(password),
                  self.clock().isoformat())
        return User(name, role)

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        self._user(name)
        self._run("UPDATE users SET hash = ? WHERE name = ?", self.hasher.hash(password), name)
        self._run("DELETE FROM sessions WHERE name = ?", name)

    def remove(self, name: str) -> None:
        self._user(name)
        self._run("DELETE FROM users WHERE name = ?", name)

    def users(self) -> list[User]:
        return [User(n, r) for n, r in self._run("SELECT name, role FROM users ORDER BY name")]

    def _user(self, name: str) -> User:
        rows = self._run("SELECT name, role FROM users WHERE name = ?", name)
        if not rows:
            raise AccountError(f"no user {name!r}")
        return User(*rows[0])

    def verify(self, name: str, password: str) -> User | None:
        """The user when the password is theirs; None otherwise, after the same slow hash either way."""
        rows = self._run("SELECT name, role, hash FROM users WHERE name = ?", name)
        stored = rows[0][2] if rows else self._dummy
        try:
            self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(rows[0][0], rows[0][1]) if rows else None

    # -- sessions ----------------------------------------------------------

    def open_session(self, user: User) -> tuple[str, Session]:
        """A new session: the cookie's token (given out once, kept only hashed) and the session."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = self.clock() + timedelta(hours=SESSION_HOURS)
        self._run("DELETE FROM sessions WHERE expires_at < ?", self.clock().isoformat())
        self._run("INSERT INTO sessions VALUES (?, ?, ?, ?)", _token_hash(token), user.name, csrf, expires.isoformat())
        return token, Session(user, csrf)

    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        rows = self._run("SELECT u.name, u.role, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.name = s.name "
                         "WHERE s.token_hash = ?", _token_hash(token))
        if not rows or datetime.fromisoformat(rows[0][3]) <= self.clock():
            return None
        name, role, csrf, _expires = rows[0]
        return Session(User(name, role), csrf)

    def close_session(self, token: str | None) -> None:
        if token:
            self._run("DELETE FROM sessions WHERE token_hash = ?", _token_hash(token))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password too short: use at least {MIN_PASSWORD} characters")
    if len(password) > 200:
        raise AccountError("password too long: use at most 200 characters")
