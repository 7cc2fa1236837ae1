"""Broker accounts, ACL and Mosquitto configuration, generated from the site file.

Every device has its own account (username = device id, ``hub`` for the hub) and the
ACL grants each exactly the topics of its job in ``reception.protocol``: a kiosk asks
for tickets and reports its printer, a board only reads, a desk commands only itself,
each device publishes only its own availability (and its Last Will there), the hub
owns the site's tree.  The web application (account ``web``) works as every desk's
buttons and as the office's setup, and reads what staff see: it has no other way in.
Anything not granted is denied; anonymous clients are refused.  The installer writes these files; tests start a real Mosquitto with them.

Password hashes use Mosquitto's own format (``$7$`` = PBKDF2-SHA512), so no
``mosquitto_passwd`` is needed on the machine that generates them.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Mapping

from reception.config import Site
from reception.protocol.wire import MAX_PACKET, MAX_PAYLOAD
from reception.protocol import ROOT, Topics
from reception.protocol.office import SetupTopics

# Queue limits for every broker the appliance configures.  No in-flight window (Mosquitto's default
# is 20): the hub takes every message at once into its own intake, where it sees a backlog, says so
# and sheds it, instead of Mosquitto holding it unseen and dropping what exceeds its queue.  While a
# client with a persistent session (the hub) is away, up to 100,000 messages wait for it.
QUEUE_LIMITS = ("max_inflight_messages 0", "max_queued_messages 100000")

HUB = "hub"
WEB = "web"  # the web application's account: desk workstations and the office panel
INTEGRATION = "integration"  # the municipality's own systems, with [integration] in the site file
FRONT_DESK_KIOSK = "front-desk"  # the site file's kiosk as which the web's reception page asks for tickets
# Mosquitto's default.  Enough here: passwords are random 192-bit tokens, not words to guess.
PBKDF2_ITERATIONS = 101


@dataclass(frozen=True)
class Account:
    username: str
    role: str  # "hub", "kiosk", "board", "desk", "web" or "integration"


@dataclass(frozen=True)
class TlsFiles:
    """Server certificate for the optional TLS listener (paths on the broker machine)."""

    certfile: str
    keyfile: str
    port: int = 8883


def accounts(site: Site) -> list[Account]:
    """Every account the site needs, hub first, in the order of the site file, the web application
    and the integration (with ``[integration]``) last."""
    return ([Account(HUB, "hub")]
            + [Account(k, "kiosk") for k in site.kiosks]
            + [Account(b, "board") for b in site.boards]
            + [Account(d, "desk") for d in site.desks]
            + [Account(WEB, "web")]
            + ([Account(INTEGRATION, "integration")] if site.integration else []))


def acl_rules(site: Site, account: Account) -> list[tuple[str, str]]:
    """(access, topic) pairs for one account; Mosquitto denies everything not listed."""
    t, me = Topics(site.id), account.username
    board_view = [t.board, t.hub_available, SetupTopics(site.id).state]  # the setup: sessions, information texts
    if account.role == "hub":
        return [("readwrite", f"{t.base}/#")]
    if account.role == "kiosk":
        writes = (t.ticket_request(me), t.ticket_first_visit(me), t.kiosk_status(me), t.feedback(me),
                  t.kiosk_available(me))
        return ([("write", topic) for topic in writes]
                + [("read", topic) for topic in (t.ticket_reply(me), t.queue, t.appointments, *board_view)])
    if account.role == "board":
        return [("write", t.board_available(me))] + [("read", topic) for topic in (*board_view, t.calls, t.stats_daily)]
    if account.role == "desk":
        return ([("write", t.desk_command(me)), ("write", t.desk_available(me)), ("read", f"{t.base}/desk/{me}/#")]
                + [("read", topic) for topic in (t.queue, t.alerts, t.stats_daily, *board_view)])
    if account.role == "web":
        return web_rules(t, FRONT_DESK_KIOSK in site.kiosks)
    if account.role == "integration":
        return [("read", t.near), ("read", t.hub_available)]
    raise ValueError(f"unknown role {account.role!r}")


def web_rules(t: Topics, front_desk: bool = False) -> list[tuple[str, str]]:
    """The web application: every desk's commands, the office's setup commands and the booking system's
    appointments imports, and its own availability (read too: one instance answers another's "stopped");
    it reads the desks' answers and states, the setup and its audit list, the
    imports' results, what the desks and the board read, whether each device is there, and the status
    pages' token hashes.  With a kiosk ``front-desk`` in the site file it asks for that kiosk's
    tickets (the front desk's reception page), and for no other kiosk's."""
    setup = SetupTopics(t.site)
    writes = ((t.desk_command("+"), setup.command, t.appointments_import, t.web_available)
              + ((t.ticket_request(FRONT_DESK_KIOSK),) if front_desk else ()))
    reads = (t.desk_result("+"), t.desk_state("+"), setup.result, t.appointments_import_result, setup.state,
             setup.audit, t.queue, t.board, t.status_pages, t.calls, t.alerts, t.stats_daily, t.hub_available,
             t.kiosk_available(), t.board_available(),
             t.desk_available(), t.web_available) + ((t.ticket_reply(FRONT_DESK_KIOSK),) if front_desk else ())
    return [("write", topic) for topic in writes] + [("read", topic) for topic in reads]


def acl_text(site: Site) -> str:
    """The whole ``acl_file``: one block per account."""
    blocks = [f"# Generated from {site.source} by reception.broker_accounts; re-run the installer, do not edit.\n"
              "# Lines before the first 'user' would apply to anonymous clients: there are none."]
    for account in accounts(site):
        rules = "\n".join(f"topic {access} {topic}" for access, topic in acl_rules(site, account))
        blocks.append(f"# {account.role}\nuser {account.username}\n{rules}")
    return "\n\n".join(blocks) + "\n"


def central_acl_text(bridge_users: Mapping[str, str], reader: str = "report") -> str:
    """ACL of the municipality's central broker: each site may only publish its own statistics.

    ``bridge_users`` maps site id -> the account that site's bridge logs in with;
    ``reader`` is the account of the central report, which reads every site.
    """
    blocks = ["# Central broker: one account per site bridge, one for the report."]
    for site_id, username in bridge_users.items():
        blocks.append(f"user {username}\ntopic write {ROOT}/{site_id}/stats/#")
    blocks.append(f"user {reader}\ntopic read {ROOT}/+/stats/#")
    return "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------------------
# passwords


def new_password() -> str:
    return secrets.token_urlsafe(24)


def hash_password(password: str, salt: bytes | None = None, iterations: int = PBKDF2_ITERATIONS) -> str:
    """A hash in Mosquitto 2's password file format: ``$7$<iterations>$<salt>$<pbkdf2-sha512>``."""
    salt = salt if salt is not None else secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, hashed: str) -> bool:
    try:
        _, kind, iterations, salt, digest = hashed.split("$")
        if kind != "7":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.pbkdf2_hmac("sha512", password.encode(), base64.b64decode(salt), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(expected, actual)


def password_file_text(passwords: Mapping[str, str], existing: str = "") -> str:
    """The ``password_file`` for these accounts.

    A hash already in ``existing`` that still matches its password is kept, so
    re-running the installer leaves the file byte for byte as it was (salts are random).
    """
    old = dict(line.split(":", 1) for line in existing.splitlines() if ":" in line)
    lines = []
    for username, password in passwords.items():
        kept = old.get(username)
        lines.append(f"{username}:{kept if kept and verify_password(password, kept) else hash_password(password)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# mosquitto.conf


def mosquitto_conf(site: Site, *, password_file: str, acl_file: str, port: int = 1883,
                   tls: TlsFiles | None = None, bridge_password: str | None = None) -> str:
    """A ``conf.d`` file for the site broker: authenticated listeners, then the bridge if any."""
    lines = [f"# Generated from {site.source} by the reception installer; re-run it, do not edit.",
             *secured_listeners(password_file, acl_file, port, tls)]
    if site.bridge:
        if bridge_password is None:
            raise ValueError("the site has a [bridge] but no bridge password was given")
        lines += ["", bridge_conf(site, bridge_password)]
    return "\n".join(lines) + "\n"


def secured_listeners(password_file: str, acl_file: str, port: int = 1883, tls: TlsFiles | None = None) -> list[str]:
    """Accounts and ACL for every listener, no anonymous access.

    With TLS the plain listener binds to loopback only (for the hub on the same
    machine) and the network sees only the TLS port.
    """
    lines = ["per_listener_settings false",
             "set_tcp_nodelay true",  # a call must not wait out Nagle and delayed ACKs (about 40 ms)
             *size_limits(),
             *QUEUE_LIMITS,
             "allow_anonymous false",
             f"password_file {password_file}",
             f"acl_file {acl_file}",
             f"listener {port} 127.0.0.1" if tls else f"listener {port}"]
    if tls:
        lines += [f"listener {tls.port}", f"certfile {tls.certfile}", f"keyfile {tls.keyfile}",
                  "tls_version tlsv1.2"]
    return lines


def size_limits() -> list[str]:
    """The contract's size limits: bigger messages are dropped, bigger packets close the connection."""
    return [f"message_size_limit {MAX_PAYLOAD}", f"max_packet_size {MAX_PACKET}"]


def bridge_conf(site: Site, password: str) -> str:
    """The ``connection`` section copying ``reception/<site>/stats/#`` to the central broker.

    Out only: nothing comes back, so the site never waits for the centre.  A persistent
    session (``cleansession false``) with QoS 1 keeps statistics published while the
    centre is away and delivers them when it returns.
    """
    b = site.bridge
    lines = [f"connection central-{site.id}",
             f"address {b.host}:{b.port}",
             f"remote_clientid reception-bridge-{site.id}",
             f"remote_username {b.username}",
             f"remote_password {password}",
             f"topic {Topics(site.id).base}/stats/# out 1",
             "cleansession false",
             "try_private true",
             "notifications_local_only true",
             "start_type automatic",
             "restart_timeout 2 30",
             "bridge_protocol_version mqttv311"]
    if b.tls:
        lines.append(f"bridge_cafile {b.ca_file or '/etc/ssl/certs/ca-certificates.crt'}")
    return "\n".join(lines)
