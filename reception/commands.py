"""Options shared by every device command, and subcommands that belong to no single part.

Each device finds its broker the same way: ``--broker-host/--broker-port`` (or the
``[broker]`` section of the site file, or ``RECEPTION_BROKER_HOST/PORT``), and its own
account with ``--username`` and ``--password-file`` (or ``RECEPTION_MQTT_USERNAME`` /
``RECEPTION_MQTT_PASSWORD_FILE``), as systemd units set them.
"""
from __future__ import annotations

import os
from pathlib import Path

from reception import config
from reception.mqtt import BrokerAddress

DEFAULT_CONFIG = os.environ.get("RECEPTION_CONFIG", "config/site.example.toml")


def add_config_argument(parser) -> None:
    """Every command that reads the site file takes the same option, with the same default."""
    parser.add_argument("-c", "--config", default=DEFAULT_CONFIG,
                        help="site configuration file (TOML); default $RECEPTION_CONFIG or %(default)s")


def add_broker_arguments(parser) -> None:
    env = os.environ.get
    parser.add_argument("--broker-host", default=env("RECEPTION_BROKER_HOST"), help="MQTT broker host")
    parser.add_argument("--broker-port", type=int, default=env("RECEPTION_BROKER_PORT"), help="MQTT broker port")
    parser.add_argument("--username", default=env("RECEPTION_MQTT_USERNAME"), help="this device's broker account")
    parser.add_argument("--password-file", default=env("RECEPTION_MQTT_PASSWORD_FILE"),
                        help="file holding this device's broker password")


def broker_address(args, site: config.Site) -> BrokerAddress:
    """Command line first, then the site file's [broker], then a local broker on 1883."""
    host = args.broker_host or (site.broker.host if site.broker else "127.0.0.1")
    port = int(args.broker_port or (site.broker.port if site.broker else 1883))
    password = Path(args.password_file).read_text().strip() if args.password_file else None
    ca = site.broker.ca_file if site.broker and site.broker.tls else None
    return BrokerAddress(host, port, args.username, password, ca)


def add_commands(sub) -> None:
    p = sub.add_parser("check-config", help="validate a site configuration file")
    add_config_argument(p)
    p.set_defaults(func=check_config)


def check_config(args) -> int:
    site = config.load(args.config)
    print(f"{args.config}: OK: site {site.id!r}, {len(site.services)} services, "
          f"{len(site.desks)} desks, {len(site.questions)} questions")
    return 0
