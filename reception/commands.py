"""Subcommands that belong to no single part: checking a configuration file."""
from __future__ import annotations

from reception import config

DEFAULT_CONFIG = "config/site.example.toml"


def add_config_argument(parser) -> None:
    """Every command that reads the site file takes the same option, with the same default."""
    parser.add_argument("-c", "--config", default=DEFAULT_CONFIG, help="site configuration file (TOML)")


def add_commands(sub) -> None:
    p = sub.add_parser("check-config", help="validate a site configuration file")
    add_config_argument(p)
    p.set_defaults(func=check_config)


def check_config(args) -> int:
    site = config.load(args.config)
    print(f"{args.config}: OK: site {site.id!r}, {len(site.services)} services, "
          f"{len(site.desks)} desks, {len(site.questions)} questions")
    return 0
