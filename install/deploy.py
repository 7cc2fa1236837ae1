"""The files that make a machine one role of the appliance, written idempotently.

``install.sh`` does what needs the machine itself (apt, the service user, the venv,
systemctl); this writes everything else, under ``--root`` (default ``/``):

- ``/etc/reception/site.toml``: the site file, only when none is there (it is the site's to edit);
- ``/etc/reception/reception.env``: where this machine finds the broker;
- ``/etc/reception/secrets/<account>.password``: one generated password per broker account
  on the broker machine, or the ones copied from it (``--secrets-from``) on a device;
- ``/etc/mosquitto/conf.d/reception.conf`` and ``/etc/mosquitto/reception/{passwd,acl}``;
- ``/etc/systemd/system/reception-*.{service,timer}`` from ``systemd/``: the units of what the
  role runs (a desk Pi gets the desk unit only), or the centre's collector on the central role.

A file is only written when its content, mode or owner differ, and generated
passwords and their hashes are kept, so a second run changes nothing.  The last
lines on stdout (``KEY=value``) tell install.sh which units to enable and what to
restart.  Run from the checkout with the system python: it needs only the standard
library and this project's ``reception`` package.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT))

from reception import broker_accounts, config  # noqa: E402
from reception.cli import EXIT_CONFIG  # noqa: E402
from reception.errors import ConfigError  # noqa: E402

ROLES = ("all-in-one", "hub", "kiosk", "board", "desk", "central")
BROKER_ROLES = ("all-in-one", "hub", "central")
SITE_FILE = Path("/etc/reception/site.toml")
ENV_FILE = Path("/etc/reception/reception.env")
SECRETS = Path("/etc/reception/secrets")
MOSQUITTO_CONF = Path("/etc/mosquitto/conf.d/reception.conf")
MOSQUITTO_DIR = Path("/etc/mosquitto/reception")
UNIT_DIR = Path("/etc/systemd/system")
DOC_DIR = Path("/usr/share/doc/reception")
UDEV_PRINTER_RULE = Path("/etc/udev/rules.d/60-reception-printer.rules")
HUB_UNIT_FILES = ("reception-hub.service", "reception-report.service", "reception-report.timer",
                  "reception-web.service")
UNIT_FILES_OF_ROLE = {  # each machine the units of what it runs; the one machine all of a site's
    "all-in-one": (*HUB_UNIT_FILES, "reception-kiosk@.service", "reception-board@.service",
                   "reception-desk@.service"),
    "hub": HUB_UNIT_FILES,
    "kiosk": ("reception-kiosk@.service",),
    "board": ("reception-board@.service",),
    "desk": ("reception-desk@.service",),
    "central": ("reception-collect.service",),
}
CENTRAL_READER = "report"


@dataclass(frozen=True)
class Planned:
    """One file as it should be on the target machine."""

    path: Path  # absolute, as on the target
    content: bytes
    mode: int
    owner: str = "root"
    group: str = "root"
    keep_existing: bool = False  # the site's own file: never overwritten


class Target:
    """The machine's file system, seen through ``root``; writes only what differs."""

    def __init__(self, root: Path, dry_run: bool):
        self.root, self.dry_run = root, dry_run
        self.change_ownership = root == Path("/") and os.geteuid() == 0
        self.changed: list[Path] = []

    def real(self, path: Path) -> Path:
        return self.root / path.relative_to("/")

    def read(self, path: Path) -> str | None:
        real = self.real(path)
        return real.read_text() if real.exists() else None

    def directory(self, path: Path, mode: int, group: str = "root") -> None:
        real = self.real(path)
        if not real.is_dir():
            self._note(path, "create directory")
            if self.dry_run:
                return
            real.mkdir(parents=True, mode=mode)
        self._settle(path, mode, "root", group)

    def write(self, plan: Planned) -> None:
        real = self.real(plan.path)
        if real.exists() and (plan.keep_existing or real.read_bytes() == plan.content):
            self._settle(plan.path, plan.mode, plan.owner, plan.group)
            return
        self._note(plan.path, "update" if real.exists() else "create")
        if self.dry_run:
            return
        real.parent.mkdir(parents=True, exist_ok=True)
        fresh = real.with_name(f".{real.name}.new")
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, plan.mode)  # secrets never world-readable
        with os.fdopen(fd, "wb") as f:
            f.write(plan.content)
        os.chmod(fresh, plan.mode)
        self._chown(fresh, plan.owner, plan.group)
        os.replace(fresh, real)

    def _settle(self, path: Path, mode: int, owner: str, group: str) -> None:
        """Fix mode and owner of what is already there (a secret someone made world-readable)."""
        real = self.real(path)
        if not real.exists():
            return
        if real.stat().st_mode & 0o7777 != mode:
            self._note(path, f"chmod {mode:o}")
            if not self.dry_run:
                real.chmod(mode)
        if self.change_ownership and (real.owner(), real.group()) != (owner, group):
            self._note(path, f"chown {owner}:{group}")
            if not self.dry_run:
                self._chown(real, owner, group)

    def _chown(self, real: Path, owner: str, group: str) -> None:
        if self.change_ownership:
            shutil.chown(real, owner, group)

    def _note(self, path: Path, what: str) -> None:
        self.changed.append(path)
        print(f"{'would ' if self.dry_run else ''}{what}: {path}", file=sys.stderr)


# ---------------------------------------------------------------------------
# what each role gets


def devices(args, site: config.Site) -> dict[str, list[str]]:
    """Device ids this machine runs, by kind; defaults follow the role."""
    role = args.role
    if role in ("hub", "central"):
        return {"kiosk": [], "board": [], "desk": []}
    defaults = {
        "kiosk": list(site.kiosks)[:1] if role in ("kiosk", "all-in-one") else [],
        "board": list(site.boards)[:1] if role == "board" else [],
        "desk": list(site.pins) if role in ("desk", "all-in-one") else [],
    }
    chosen = {"kiosk": args.kiosk, "board": args.board, "desk": args.desk}
    known = {"kiosk": set(site.kiosks), "board": set(site.boards), "desk": set(site.desks)}
    result = {}
    for kind in ("kiosk", "board", "desk"):
        ids = chosen[kind] or defaults[kind]
        for device_id in ids:
            if device_id not in known[kind]:
                raise ConfigError(f"{site.source}: no {kind} {device_id!r} in the site file "
                                  f"(known: {', '.join(sorted(known[kind])) or 'none'})")
        result[kind] = ids
    return result


def units(args, chosen: dict[str, list[str]]) -> list[str]:
    """Units to enable: the hub with its weekly report timer and the staff web, and one instance per device."""
    names = (["reception-hub.service", "reception-report.timer", "reception-web.service"]
             if args.role in ("all-in-one", "hub") else [])
    return names + [f"reception-{kind}@{device_id}.service" for kind, ids in chosen.items() for device_id in ids]


def accounts_here(args, site: config.Site, chosen: dict[str, list[str]]) -> list[str]:
    """Accounts whose password this machine needs: all of them on the broker, else its own."""
    if args.role in ("all-in-one", "hub"):
        return [a.username for a in broker_accounts.accounts(site)]
    return [device_id for ids in chosen.values() for device_id in ids]


def password_for(target: Target, args, username: str) -> str:
    """The account's password: from --secrets-from (a new one replaces the old), kept, or generated."""
    if args.secrets_from:
        source = Path(args.secrets_from) / f"{username}.password"
        if source.exists():
            return source.read_text().strip()
    existing = target.read(SECRETS / f"{username}.password")
    if existing:
        return existing.strip()
    if args.role in BROKER_ROLES:
        return broker_accounts.new_password()
    raise ConfigError(f"no password for broker account {username!r}: copy {SECRETS}/{username}.password "
                      "from the broker machine into a directory and pass --secrets-from DIR")


def secret_file(username: str, password: str) -> Planned:
    return Planned(SECRETS / f"{username}.password", f"{password}\n".encode(), 0o600)


def broker_files(target: Target, args, site: config.Site, passwords: dict[str, str]) -> list[Planned]:
    passwd, acl = MOSQUITTO_DIR / "passwd", MOSQUITTO_DIR / "acl"
    bridge_password = None
    if site.bridge:
        found = target.read(Path(site.bridge.password_file))
        if not found:
            raise ConfigError(f"{site.source}: bridge.password_file: {site.bridge.password_file} is missing "
                              "(the central broker's administrator hands it out; see docs/multi-site.md)")
        bridge_password = found.strip()
    conf = broker_accounts.mosquitto_conf(site, password_file=str(passwd), acl_file=str(acl), port=args.port,
                                          tls=tls_files(args), bridge_password=bridge_password)
    return mosquitto_files(target, conf, broker_accounts.acl_text(site), passwords)


def central_files(target: Target, args) -> tuple[list[Planned], dict[str, str]]:
    """The municipality's central broker: one bridge account per site and one for the report."""
    bridge_users = {site_id: f"site-{site_id}" for site_id in args.site}
    usernames = [*bridge_users.values(), CENTRAL_READER]
    passwords = {u: password_for(target, args, u) for u in usernames}
    listeners = broker_accounts.secured_listeners(str(MOSQUITTO_DIR / "passwd"), str(MOSQUITTO_DIR / "acl"),
                                                  args.port, tls_files(args))
    conf = "\n".join(["# Central broker for the reception sites; written by the reception installer.",
                      *listeners]) + "\n"
    acl = broker_accounts.central_acl_text(bridge_users, CENTRAL_READER)
    return mosquitto_files(target, conf, acl, passwords), passwords


def mosquitto_files(target: Target, conf: str, acl: str, passwords: dict[str, str]) -> list[Planned]:
    passwd = MOSQUITTO_DIR / "passwd"
    readable = dict(mode=0o640, group="mosquitto")  # Mosquitto opens them after dropping to its user
    return [Planned(MOSQUITTO_CONF, conf.encode(), **readable),
            Planned(passwd, broker_accounts.password_file_text(passwords, target.read(passwd) or "").encode(),
                    **readable),
            Planned(MOSQUITTO_DIR / "acl", acl.encode(), **readable)]


def tls_files(args) -> broker_accounts.TlsFiles | None:
    if bool(args.tls_cert) != bool(args.tls_key):
        raise ConfigError("--tls-cert and --tls-key go together")
    return broker_accounts.TlsFiles(args.tls_cert, args.tls_key, args.tls_port) if args.tls_cert else None


def env_file(args) -> Planned:
    """Where the units find the broker; the centre's collector uses the plain port of the broker beside it."""
    lines = [f"# Written by the reception installer (role {args.role}); read by every reception unit.",
             "# Change it by running the installer again with other options."]
    port = args.port if args.role == "central" else args.broker_port
    if args.broker_host:
        lines.append(f"RECEPTION_BROKER_HOST={args.broker_host}")
    if port:
        lines.append(f"RECEPTION_BROKER_PORT={port}")
    if bool(args.web_tls_cert) != bool(args.web_tls_key):
        raise ConfigError("--web-tls-cert and --web-tls-key go together")
    if args.web_tls_cert:  # the staff web service serves HTTPS (docs/web.md)
        lines += [f"RECEPTION_WEB_TLS_CERT={args.web_tls_cert}", f"RECEPTION_WEB_TLS_KEY={args.web_tls_key}"]
    return Planned(ENV_FILE, ("\n".join(lines) + "\n").encode(), 0o644)


def printer_rule(site: config.Site) -> Planned:
    """Lets the service user (group lp) open the site's USB ticket printer through libusb.

    Debian leaves /dev/bus/usb nodes writable by root only; the kiosk unit allows the
    device class, this rule gives the one printer model to group lp.
    """
    p = site.printer.params
    rule = (f'SUBSYSTEM=="usb", ATTR{{idVendor}}=="{p.vendor_id:04x}", ATTR{{idProduct}}=="{p.product_id:04x}", '
            'MODE="0660", GROUP="lp"')
    return Planned(UDEV_PRINTER_RULE, f"# The ticket printer of {site.source}; written by the reception installer.\n"
                                      f"{rule}\n".encode(), 0o644)


def unit_files(names: tuple[str, ...]) -> list[Planned]:
    return [Planned(UNIT_DIR / name, (CHECKOUT / "systemd" / name).read_bytes(), 0o644) for name in names]


def doc_files() -> list[Planned]:
    return [Planned(DOC_DIR / name, (CHECKOUT / "docs" / name).read_bytes(), 0o644)
            for name in ("install.md", "multi-site.md", "report.md", "web.md")]


# ---------------------------------------------------------------------------


def load_site(target: Target, args) -> config.Site:
    """The installed site file; on the first run (or a dry run) the one given with --config.

    Either way it is named by its place on the machine in what is generated from it, so
    the first and the second run write the same files.
    """
    installed = target.real(SITE_FILE)
    site = config.load(installed if installed.exists() else args.config)
    return dataclasses.replace(site, source=str(SITE_FILE))


def deploy(args) -> dict[str, str]:
    """Plan every file first (a missing secret or a bad site file stops here, before any write)."""
    target = Target(Path(args.root), args.dry_run)
    plans: list[Planned] = []
    enable: list[str] = []
    if args.role == "central":
        central, passwords = central_files(target, args)
        plans += [*central, env_file(args), *unit_files(UNIT_FILES_OF_ROLE[args.role])]
        enable = ["reception-collect.service"]
    else:
        plans.append(Planned(SITE_FILE, Path(args.config).read_bytes(), 0o644, keep_existing=True))
        site = load_site(target, args)
        chosen = devices(args, site)
        passwords = {u: password_for(target, args, u) for u in accounts_here(args, site, chosen)}
        if args.role in BROKER_ROLES:
            plans += broker_files(target, args, site, passwords)
        plans += [env_file(args), *unit_files(UNIT_FILES_OF_ROLE[args.role])]
        if chosen["kiosk"] and site.printer.connection == "usb":
            plans.append(printer_rule(site))
        enable = units(args, chosen)
    plans += [secret_file(u, p) for u, p in passwords.items()] + doc_files()
    target.directory(Path("/etc/reception"), 0o755)
    target.directory(SECRETS, 0o700)
    if args.role in BROKER_ROLES:
        target.directory(MOSQUITTO_DIR, 0o750, group="mosquitto")
    for plan in plans:
        target.write(plan)
    changed = set(target.changed)
    return {
        "ENABLE": " ".join(enable),
        "UNITS_CHANGED": str(int(any(p.parent == UNIT_DIR for p in changed))),
        "BROKER_CHANGED": str(int(any(p in changed for p in (MOSQUITTO_CONF, MOSQUITTO_DIR / "passwd",
                                                             MOSQUITTO_DIR / "acl")))),
        "UDEV_CHANGED": str(int(UDEV_PRINTER_RULE in changed)),
        "CHANGES": str(len(changed)),
    }


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("role", choices=ROLES)
    p.add_argument("--root", default="/", help="write under this directory instead of / (CI, image review)")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--config", default=str(CHECKOUT / "config" / "site.example.toml"),
                   help="site file to install when the machine has none yet")
    p.add_argument("--kiosk", action="append", default=[], help="kiosk id this machine runs (repeatable)")
    p.add_argument("--board", action="append", default=[], help="board id this machine runs (repeatable)")
    p.add_argument("--desk", action="append", default=[], help="desk id this machine runs (repeatable)")
    p.add_argument("--broker-host", help="the broker machine's address (devices on their own Pi)")
    p.add_argument("--broker-port", type=int, help="the broker's port, if not the site file's")
    p.add_argument("--secrets-from", help="directory with <account>.password files copied from the broker machine")
    p.add_argument("--port", type=int, default=1883, help="the broker's plain MQTT port (broker roles)")
    p.add_argument("--tls-cert", help="server certificate: adds a TLS listener on 8883 (broker roles)")
    p.add_argument("--tls-key", help="its private key, readable by the mosquitto user")
    p.add_argument("--tls-port", type=int, default=8883, help="port of the TLS listener (default %(default)s)")
    p.add_argument("--web-tls-cert", help="certificate (PEM) for the staff web service's HTTPS (hub roles)")
    p.add_argument("--web-tls-key", help="its private key, readable by the reception user")
    p.add_argument("--site", action="append", default=[], help="central role: a site id that bridges to it")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.role == "central" and not args.site:
        print("the central role needs at least one --site ID", file=sys.stderr)
        return 2
    try:
        summary = deploy(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    for key, value in summary.items():
        print(f"{key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
