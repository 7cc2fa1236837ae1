"""``reception print-preview``, ``reception desk`` and ``reception console``: thin layers over hardware/."""
from __future__ import annotations

from datetime import datetime

from reception import config
from reception.commands import add_config_argument


def add_commands(sub) -> None:
    p = sub.add_parser("print-preview", help="draw a sample ticket as PNG (or print it with --print)")
    add_config_argument(p)
    p.add_argument("--number", default="A012", help="ticket number; its letter picks the service")
    p.add_argument("--lang", help="language of the ticket texts (default: the site's first)")
    p.add_argument("--eta", type=int, default=12, help="expected wait in minutes")
    p.add_argument("--ahead", type=int, default=3, help="tickets ahead")
    p.add_argument("--out", default="ticket.png", help="PNG file to write")
    p.add_argument("--print", action="store_true", help="also send it to the configured printer")
    p.set_defaults(func=print_preview)


def sample_ticket(site: config.Site, number: str, lang: str, eta: int | None, ahead: int | None):
    """A ticket as the kiosk would fill it, for previews and printer set-up."""
    from hardware.ticket_layout import TicketContent

    service = site.service_by_letter(number[:1]) or next(iter(site.services.values()))
    sessions = tuple(f"{'/'.join(s.days)} {s.time}: {s.place.get_text(lang)}" for s in site.volunteer_sessions)
    return TicketContent(number=number, reason=service.name.get_text(lang), lang=lang,
                         issued_at=datetime.now(site.tz), eta_min=eta, ahead=ahead,
                         volunteer_sessions=sessions if service.volunteer_may_serve else ())


def print_preview(args) -> int:
    from hardware.printer import TicketPrinter
    from hardware.ticket_layout import compose
    from hardware.ticket_preview import render_png

    site = config.load(args.config)
    printer = TicketPrinter.from_site(site)
    content = sample_ticket(site, args.number, args.lang or site.default_language, args.eta, args.ahead)
    path = render_png(compose(content, printer.layout), args.out,
                      paper_px=printer.layout.paper_px, columns=printer.layout.columns)
    print(f"wrote {path}")
    if args.print:
        printer.print_ticket(content)
        print(f"printed {content.number} ({printer.status()})")
    return 0
