"""Every command's own ``--help`` says what the command is for, not only its options."""
from reception.cli import build_parser


def test_every_command_help_opens_with_what_it_does():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert "up" in commands and "web" in commands
    silent = [name for name, command in commands.items() if not command.description]
    assert not silent, f"reception {silent[0]} --help does not say what it does"
    assert "run broker, hub, kiosk, board" in commands["up"].format_help()
