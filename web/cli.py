"""``reception web`` (the staff web service) and ``reception user`` (its accounts): thin layers over web/."""
from __future__ import annotations

import getpass
import os
import re
import socket
import sys
from pathlib import Path

from reception import clock, config, status_page
from reception.broker_accounts import FRONT_DESK_KIOSK
from reception.commands import add_broker_arguments, add_config_argument, broker_address
from reception.errors import ConfigError, ReceptionError

DEFAULT_PORT = status_page.WEB_PORT
CLIENT_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")


def default_client_id(port: int, host: str | None = None) -> str:
    """``web-<host name>-<port>``: the same after every restart (the broker keeps the service's session
    under it), and different for two instances (two machines, or two ports on one), so that they never
    throw each other off the broker as two clients with one id do."""
    name = re.sub(r"[^A-Za-z0-9-]+", "-", host if host is not None else socket.gethostname()).strip("-")[:40]
    return f"web-{name or 'host'}-{port}"


def default_db() -> Path:
    """$RECEPTION_WEB_DB, else systemd's StateDirectory=, else the user's state directory."""
    if os.environ.get("RECEPTION_WEB_DB"):
        return Path(os.environ["RECEPTION_WEB_DB"])
    state = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
    base = Path(state) if state else Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local/state")) / "reception"
    return base / "web.db"


def add_commands(sub) -> None:
    p = sub.add_parser("web", help="the staff web service: desk workstation and office panel in the browser")
    add_config_argument(p)
    add_broker_arguments(p)
    p.add_argument("--db", type=Path, default=None, help="accounts file (default: $RECEPTION_WEB_DB or state directory)")
    p.add_argument("--host", default=os.environ.get("RECEPTION_WEB_HOST", "127.0.0.1"), help="address to listen on")
    p.add_argument("--port", type=int, default=int(os.environ.get("RECEPTION_WEB_PORT", DEFAULT_PORT)))
    p.add_argument("--kiosk", default=os.environ.get("RECEPTION_WEB_KIOSK"),
                   help="the site file's kiosk as which the reception page asks for tickets (default: "
                        "'front-desk' when the site file has it, else no reception page)")
    p.add_argument("--client-id", default=os.environ.get("RECEPTION_WEB_CLIENT_ID") or None,
                   help="MQTT client id, unique per instance (default: $RECEPTION_WEB_CLIENT_ID, else "
                        "web-<host name>-<port>)")
    p.add_argument("--demo-login", type=Path,
                   help="when the accounts file has no user: add a manager with a random password and write "
                        "'NAME PASSWORD' to this file (reception up does, for trying it out)")
    p.add_argument("--tls-cert", default=os.environ.get("RECEPTION_WEB_TLS_CERT") or None,
                   help="certificate file (PEM) for HTTPS, with --tls-key (default $RECEPTION_WEB_TLS_CERT)")
    p.add_argument("--tls-key", default=os.environ.get("RECEPTION_WEB_TLS_KEY") or None,
                   help="private key file (PEM) for HTTPS (default $RECEPTION_WEB_TLS_KEY)")
    p.set_defaults(func=run_web)

    p = sub.add_parser("user", help="staff accounts of the web service: add, list, password, remove")
    p.add_argument("action", choices=("add", "list", "password", "remove"))
    p.add_argument("name", nargs="?", help="user name (1-32 small letters, digits, . _ -)")
    p.add_argument("--role", choices=("staff", "volunteer", "manager", "booking"), default="staff",
                   help="booking: the booking system's key for POST /api/appointments (docs/appointments.md)")
    p.add_argument("--password-file", help="read the password from this file's first line (else it is asked)")
    p.add_argument("--db", type=Path, default=None, help="accounts file (default: $RECEPTION_WEB_DB or state directory)")
    p.set_defaults(func=run_user)


def read_password(path: str | None) -> str:
    if path:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise ReceptionError("no terminal to ask the password on: give --password-file")
    first, second = getpass.getpass("Password: "), getpass.getpass("Again: ")
    if first != second:
        raise ReceptionError("the two passwords differ")
    return first


def run_user(args) -> int:
    from web.accounts import AccountError, Accounts

    accounts = Accounts(args.db or default_db(), clock.from_env())
    try:
        if args.action == "list":
            for user in accounts.users():
                print(f"{user.name}\t{user.role}")
            return 0
        if not args.name:
            raise ReceptionError(f"reception user {args.action}: give the user's name")
        if args.action == "add":
            accounts.add(args.name, args.role, read_password(args.password_file))
            print(f"added {args.name} ({args.role})")
        elif args.action == "password":
            accounts.set_password(args.name, read_password(args.password_file))
            print(f"new password for {args.name}; their sessions are closed")
        else:
            accounts.remove(args.name)
            print(f"removed {args.name}")
    except AccountError as exc:
        raise ReceptionError(str(exc)) from None
    finally:
        accounts.close()
    return 0


DEMO_MANAGER = "leder"


def first_manager(db: Path, note: Path) -> None:
    """A first manager for a fresh accounts file, its password written (owner-only) to ``note``."""
    import secrets

    from web.accounts import Accounts

    accounts = Accounts(db, clock.from_env())
    try:
        if not accounts.users():
            password = secrets.token_urlsafe(12)
            accounts.add(DEMO_MANAGER, "manager", password)
            note.parent.mkdir(parents=True, exist_ok=True)
            note.touch(mode=0o600)
            note.write_text(f"{DEMO_MANAGER} {password}\n", encoding="utf-8")
    finally:
        accounts.close()


def run_web(args) -> int:
    from web.server import serve

    site = config.load(args.config)
    if args.kiosk is None and FRONT_DESK_KIOSK in site.kiosks:
        args.kiosk = FRONT_DESK_KIOSK
    if args.kiosk and args.kiosk not in site.kiosks:
        raise ConfigError(f"{site.source}: kiosks: no kiosk {args.kiosk!r} for --kiosk (the site has {', '.join(site.kiosks)})")
    if bool(args.tls_cert) != bool(args.tls_key):
        raise ReceptionError("give both --tls-cert and --tls-key, or neither")
    client_id = args.client_id or default_client_id(args.port)
    if not CLIENT_ID_RE.fullmatch(client_id):
        raise ReceptionError(f"--client-id {client_id[:70]!r}: use 1-64 letters, digits, '.', '_' or '-'")
    db = args.db or default_db()
    if args.demo_login:
        first_manager(db, args.demo_login)
    return serve(site, broker_address(args, site), db, args.host, args.port,
                 kiosk=args.kiosk, tls=(args.tls_cert, args.tls_key) if args.tls_cert else None, client_id=client_id)
