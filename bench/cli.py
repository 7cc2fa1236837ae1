"""``reception bench NAME ...``: the speed and quality benchmarks, and ``reception simulate``.

Each benchmark is one entry in ``BENCHMARKS``: a module with ``add_arguments(parser)``
and ``main(args) -> int`` whose last printed line is one JSON object.  Adding one
(``hub``, ``kiosk``, ``board``) is one line here; a module missing on this machine
is left out of the command instead of breaking it.
"""
from __future__ import annotations

import importlib

BENCHMARKS = {
    "eta": ("bench.eta", "wait estimates: our estimator against the textbook predictors on simulated days"),
    "hub": ("bench.hub", "hub throughput, call-to-board latency and memory through a real broker"),
    "kiosk": ("bench.kiosk", "kiosk cold start to first frame and touch-to-ticket time"),
    "board": ("bench.board", "desk call-next to the board showing it"),
    "desk": ("hardware.bench", "desk button press to command on the broker, ticket rendering"),
    "collect": ("bench.collect", "a municipality's sites bridged to one collector: the collector's lag"),
    "setup": ("bench.setup", "an office setup change to its answer, the retained setup and the board snapshot"),
    "web": ("bench.web", "desk workstation click in headless Chromium to the call on the board snapshot"),
    "torture": ("bench.torture", "hub kills, broker restarts, cut kiosks, junk: then every ticket reconciled"),
}


def add_commands(sub) -> None:
    bench = sub.add_parser("bench", help="benchmarks (each prints its figures, last line one JSON object)")
    names = bench.add_subparsers(dest="benchmark", required=True, metavar="NAME")
    for name, (module_name, help_text) in BENCHMARKS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        p = names.add_parser(name, help=help_text, description=(module.__doc__ or help_text).split("\n\n")[0])
        module.add_arguments(p)
        p.set_defaults(func=module.main)
    simulate = importlib.import_module("bench.simulate")
    p = sub.add_parser("simulate", help="simulate one day of a scenario on the real queue core and summarise it")
    simulate.add_arguments(p)
    p.set_defaults(func=simulate.main)
