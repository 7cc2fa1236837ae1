"""The torture bench's actors: real kiosks and desk clients at work, and the seeded chaos around them."""
from __future__ import annotations

import random
import threading
import time
from pathlib import Path

from hardware.desk_client import DeskClient
from hardware.outbox import Outbox as DeskOutbox
from kiosk.flow import Order
from kiosk.hub_link import HubLink
from kiosk.issuer import TicketIssuer, TicketRefused
from kiosk.outbox import Outbox, RangeExhausted
from reception import protocol
from reception.mqtt import BrokerAddress, Connection

EXTRAS = ((), (), (), ("carer",), ("private",), ("appointment",))


class Worker:
    """A device's own loop in a thread: ``step`` now and then until halted."""

    def __init__(self, rng: random.Random, pause: tuple[float, float]):
        self.rng, self.pause = rng, pause
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def halt(self) -> None:
        self._halt.set()
        if self._thread:
            self._thread.join(30)

    def _loop(self) -> None:
        while not self._halt.wait(self.rng.uniform(*self.pause)):
            self.step()

    def step(self) -> None:
        raise NotImplementedError


class KioskUnit(Worker):
    """A kiosk's link, issuer and outbox, reaching the broker through its gate; it keeps what it printed."""

    def __init__(self, site, kiosk_id: str, port: int, work: Path, rng: random.Random):
        super().__init__(rng, (0.2, 0.8))
        self.site = site
        self.link = HubLink(site.id, kiosk_id, BrokerAddress("127.0.0.1", port))
        self.outbox = Outbox(work / f"{kiosk_id}.db", site.kiosks[kiosk_id])
        self.issuer = TicketIssuer(site, kiosk_id, self.link, self.outbox)
        self.link.on_change = self.issuer.wake
        self.tickets: list[protocol.IssuedTicket] = []
        self.refused = 0

    def start(self) -> None:
        self.link.start()
        self.issuer.start(interval=2)

    def step(self) -> None:
        service = self.rng.choice(list(self.site.services))
        order = Order(service, self.rng.choice(protocol.PREFERENCES), self.rng.choice(EXTRAS))
        try:
            self.tickets.append(self.issuer.issue(order))
        except (TicketRefused, RangeExhausted):
            self.refused += 1

    def handed_over(self) -> bool:
        return len(self.outbox) == 0

    def stop(self) -> None:
        self.issuer.stop()
        self.link.stop()
        self.outbox.close()


class DeskUnit(Worker):
    """A desk client calling, recalling and marking no-shows; some commands go out twice."""

    def __init__(self, site, desk_id: str, broker, work: Path, rng: random.Random):
        super().__init__(rng, (0.4, 1.2))
        self.client = DeskClient(site, desk_id, BrokerAddress(broker.host, broker.port), DeskOutbox(work / f"{desk_id}.db"))
        self.duplicates = 0

    def start(self) -> None:
        self.client.start()
        self.send("open")

    def send(self, action: str) -> str:
        return self.client.send(action)

    def step(self) -> None:
        action = self.rng.choices(("next", "recall", "noshow"), (8, 1, 1))[0]
        command_id = self.send(action)
        if self.rng.random() < 0.15:  # the same command again, as a resend after a lost answer would be
            payload = protocol.DeskCommand(command_id, action).to_payload()
            self.client.conn.publish(self.client.topics.desk_command(self.client.desk_id), payload, qos=1)
            self.duplicates += 1

    def answered(self) -> bool:
        return not self.client.outbox.pending(self.client.desk_id)

    def stop(self) -> None:
        self.client.stop()


def malformed_payloads(site) -> list[tuple[str, bytes]]:
    """Messages the hub must reject with a logged reason, changing nothing."""
    t = protocol.Topics(site.id)
    kiosk, desk = next(iter(site.kiosks)), next(iter(site.desks))
    request, command = t.ticket_request(kiosk), t.desk_command(desk)
    return [(request, b"not json"), (request, b"{"), (request, b"[]"), (request, b""),
            (request, b'{"v":1,"id":5,"service":"passport"}'), (request, b'{"v":1,"service":"passport"}'),
            (request, b'{"v":1,"id":"m-big","service":"' + b"x" * 100_000 + b'"}'),
            (request, b"[" * 3000 + b"]" * 3000), (request, b'{"v":2,"id":"m-v2","service":"passport"}'),
            (command, b'{"v":1,"id":"m-act","action":"explode"}'), (command, b'{"v":1,"action":"next"}'),
            (t.desk_command("nobody"), b'{"v":1,"id":"m-nobody","action":"next"}'),
            (t.kiosk_status(kiosk), b'{"v":1,"printer":"on fire"}'), (t.feedback(kiosk), b'{"v":1,"score":"ten"}')]


class Chaos:
    """At seeded random moments: SIGKILL the hub, restart Mosquitto, cut a kiosk off, send junk."""

    def __init__(self, rig, rng: random.Random):
        self.rig, self.rng = rig, rng
        self.hub_kills = self.broker_restarts = self.kiosk_cuts = self.malformed = 0
        self._mend_at: dict[str, float] = {}
        self.junk = Connection(f"torture-junk-{rng.randrange(10**6)}", BrokerAddress(rig.broker.host, rig.broker.port))

    def run(self, seconds: float) -> None:
        """Each kind of abuse once, in a seeded order, then seeded random ones until the time is up.
        The first round does not depend on how long a hub start or a broker restart takes: on a
        loaded machine fewer actions fit into the time, but never fewer kinds."""
        self.junk.start()
        end = time.monotonic() + seconds
        actions = (self.kill_hub, self.restart_broker, self.cut_kiosk, self.send_junk)
        first = self.rng.sample(actions, len(actions))
        while time.monotonic() < end or first:
            time.sleep(min(self.rng.uniform(2, 6), max(0.0, end - time.monotonic())))
            self._mend_due()
            if first:
                first.pop(0)()
            elif time.monotonic() < end:
                self.rng.choices(actions, (3, 1.5, 2, 3.5))[0]()
        self.junk.stop()

    def kill_hub(self) -> None:
        self.rig.hub.kill()
        self.hub_kills += 1
        time.sleep(self.rng.uniform(0, 2))
        self.rig.hub.start(60)

    def restart_broker(self) -> None:
        self.rig.broker.restart()
        self.broker_restarts += 1

    def cut_kiosk(self) -> None:
        kiosk = self.rng.choice(sorted(self.rig.gates))
        if kiosk not in self._mend_at:
            self.rig.gates[kiosk].cut()
            self._mend_at[kiosk] = time.monotonic() + self.rng.uniform(3, 10)
            self.kiosk_cuts += 1

    def send_junk(self) -> None:
        for topic, payload in self.rng.sample(malformed_payloads(self.rig.site), 4):
            self.junk.publish(topic, payload, qos=1)
            self.malformed += 1

    def _mend_due(self) -> None:
        for kiosk, at in list(self._mend_at.items()):
            if time.monotonic() >= at:
                self.rig.gates[kiosk].mend()
                del self._mend_at[kiosk]

    def mend_all(self) -> None:
        for gate in self.rig.gates.values():
            gate.mend()
        self._mend_at.clear()

    def counts(self) -> dict:
        return {"hub_kills": self.hub_kills, "broker_restarts": self.broker_restarts, "kiosk_cuts": self.kiosk_cuts,
                "duplicate_commands": sum(d.duplicates for d in self.rig.desks), "malformed": self.malformed}
