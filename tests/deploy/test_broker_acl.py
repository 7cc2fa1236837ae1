"""The generated accounts and ACL on a real Mosquitto: each device may do its job and nothing else.

Mosquitto 2.0 does not tell a client that a publish was refused (QoS 0 is dropped, QoS 1
is acknowledged and dropped), so a refusal is shown by non-delivery: the hub, which may
read the whole site, publishes a marker after the attempt; once the marker arrives, a
delivered attempt would have arrived before it.  Reads work the same way: 2.0.11's
acl_file grants every subscription in the SUBACK and drops each message the reader may
not see, so a forbidden read shows as a marker arriving without the message.
"""
import pytest

BASE = "reception/toender"


@pytest.fixture(scope="module")
def hub(accounts_broker):
    hub = accounts_broker.login("hub")
    assert hub.subscribe(f"{BASE}/#") == 1
    return hub


def delivered_to_hub(hub, sender, topic: str) -> bool:
    payload = f"from {id(sender)} to {topic}".encode()
    sender.publish(topic, payload)  # QoS 1: returns after the broker's PUBACK, i.e. after routing
    marker = f"marker after {payload!r}".encode()
    hub.publish(f"{BASE}/test/marker", marker)
    hub.wait(lambda: (f"{BASE}/test/marker", marker) in hub.messages, "the hub's marker")
    return hub.received(topic, payload)


def test_each_device_may_publish_what_its_job_needs(accounts_broker, hub):
    kiosk, desk, board = (accounts_broker.login(u) for u in ("kiosk-1", "desk-1", "board-1"))
    for topic in ("kiosk/kiosk-1/ticket/request", "kiosk/kiosk-1/ticket/first_visit", "kiosk/kiosk-1/status",
                  "kiosk/kiosk-1/feedback", "kiosk/kiosk-1/available"):
        assert delivered_to_hub(hub, kiosk, f"{BASE}/{topic}")
    for topic in ("desk/desk-1/command", "desk/desk-1/buttons/available", "desk/desk-1/console/available"):
        assert delivered_to_hub(hub, desk, f"{BASE}/{topic}")
    assert delivered_to_hub(hub, board, f"{BASE}/board/board-1/available")
    web = accounts_broker.login("web")
    for topic in ("desk/desk-1/command", "desk/vol-2/command", "setup/command", "appointments/import", "web/available"):
        assert delivered_to_hub(hub, web, f"{BASE}/{topic}")


@pytest.mark.parametrize("username, topic", [
    ("kiosk-1", "kiosk/kiosk-1/available"), ("board-1", "board/board-1/available"),
    ("desk-1", "desk/desk-1/console/available"), ("web", "web/available"),
])
def test_a_device_that_vanishes_leaves_its_last_will(accounts_broker, hub, username, topic):
    will = (f"{BASE}/{topic}", b'{"v":1,"status":"offline"}')
    device = accounts_broker.login(username, will=will)
    assert device.accepted
    device.vanish()
    hub.wait(lambda: will in hub.messages, f"{username}'s Last Will")


@pytest.mark.parametrize("username, topic", [
    ("kiosk-1", "desk/desk-1/command"),          # a kiosk cannot call tickets
    ("kiosk-1", "calls"),
    ("kiosk-1", "board"),
    ("kiosk-1", "kiosk/kiosk-2/ticket/request"),  # nor act as another kiosk
    ("kiosk-1", "kiosk/kiosk-1/ticket/reply"),    # nor forge the hub's answer to itself
    ("kiosk-1", "kiosk/kiosk-2/available"),       # nor speak for another device
    ("kiosk-1", "hub/available"),
    ("board-1", "board"),                         # a board publishes nothing but its availability
    ("board-1", "kiosk/kiosk-1/available"),
    ("board-1", "calls"),
    ("board-1", "desk/desk-1/command"),
    ("board-1", "stats/daily"),
    ("desk-1", "desk/desk-2/command"),            # a desk commands only itself
    ("desk-1", "desk/desk-1/state"),              # and cannot fake its own state
    ("desk-1", "calls"),
    ("desk-1", "desk/desk-2/console/available"),
    ("vol-1", "desk/desk-1/command"),
    ("desk-1", "setup/command"),                  # only the web application changes the day's setup
    ("kiosk-1", "setup/command"),
    ("kiosk-1", "appointments/import"),           # only the web application hands in the booking system's list
    ("desk-1", "appointments/import"),
    ("web", "appointments/import/result"),        # and it cannot fake the hub's answer
    ("web", "kiosk/kiosk-1/ticket/request"),      # the web application is no kiosk
    ("web", "desk/desk-1/state"),                 # and cannot fake the hub's answers
    ("web", "desk/desk-1/result"),
    ("web", "setup"),
    ("web", "setup/audit"),
    ("web", "board"),
    ("web", "desk/desk-1/console/available"),
    ("web", "events/near"),
    ("web", "hub/available"),
    ("kiosk-1", "web/available"),                 # only the web service says whether it is there
    ("desk-1", "web/available"),
    ("board-1", "web/available"),
    ("integration", "web/available"),
    ("integration", "events/near"),               # an SMS gateway only listens
    ("integration", "kiosk/kiosk-1/ticket/request"),
])
def test_everything_else_is_not_delivered(accounts_broker, hub, username, topic):
    assert not delivered_to_hub(hub, accounts_broker.login(username), f"{BASE}/{topic}")


def delivered_from_hub(hub, reader, subscription: str, topic: str) -> bool:
    """Whether ``reader``, subscribed to ``subscription``, gets what the hub publishes on ``topic``."""
    reader.subscribe(f"{BASE}/{subscription}")
    reader.subscribe(f"{BASE}/hub/available")  # every device may read it: the marker goes there
    payload = f"to {topic} for {id(reader)}".encode()
    hub.publish(f"{BASE}/{topic}", payload)
    marker = b"marker " + payload
    hub.publish(f"{BASE}/hub/available", marker)
    reader.wait(lambda: reader.received(f"{BASE}/hub/available", marker), "the hub's marker")
    return reader.received(f"{BASE}/{topic}", payload)


@pytest.mark.parametrize("username, subscription, topic, allowed", [
    ("kiosk-1", "kiosk/kiosk-1/ticket/reply", "kiosk/kiosk-1/ticket/reply", True),
    ("kiosk-1", "#", "board", True),
    ("kiosk-1", "#", "queue", True),
    ("kiosk-1", "kiosk/+/ticket/reply", "kiosk/kiosk-2/ticket/reply", False),  # another kiosk's ticket
    ("kiosk-1", "#", "desk/desk-1/state", False),
    ("kiosk-1", "#", "calls", False),
    ("board-1", "#", "board", True),
    ("board-1", "#", "calls", True),
    ("board-1", "#", "stats/daily", True),
    ("board-1", "#", "kiosk/kiosk-1/ticket/request", False),
    ("board-1", "#", "alerts", False),
    ("board-1", "#", "desk/desk-1/state", False),
    ("desk-1", "desk/desk-1/#", "desk/desk-1/state", True),
    ("desk-1", "#", "alerts", True),
    ("desk-1", "#", "queue", True),
    ("desk-1", "desk/+/state", "desk/desk-2/state", False),                  # another desk's queue
    ("desk-1", "#", "desk/desk-2/command", False),
    ("desk-1", "#", "kiosk/kiosk-1/ticket/reply", False),
    ("web", "#", "desk/vol-2/state", True),
    ("web", "#", "desk/desk-3/result", True),
    ("web", "#", "setup", True),
    ("web", "#", "setup/result", True),
    ("web", "#", "setup/audit", True),
    ("web", "#", "queue", True),
    ("web", "#", "board", True),
    ("web", "#", "alerts", True),
    ("web", "#", "stats/daily", True),
    ("web", "#", "appointments/import/result", True),
    ("web", "#", "web/available", True),             # its own: one instance answers another's "stopped"
    ("desk-1", "#", "web/available", False),         # the hub reads it and raises the alert the desks read
    ("kiosk-1", "#", "appointments/import", False),  # the booking codes go to the hub alone
    ("kiosk-1", "#", "appointments/import/result", False),
    ("board-1", "#", "appointments/import", False),
    ("desk-1", "#", "appointments/import", False),
    ("web", "#", "kiosk/kiosk-1/ticket/reply", False),
    ("web", "#", "kiosk/kiosk-1/status", False),
    ("web", "#", "status/pages", True),              # the status pages' token hashes: the web service only
    ("kiosk-1", "#", "status/pages", False),
    ("board-1", "#", "status/pages", False),
    ("desk-1", "#", "status/pages", False),
    ("integration", "#", "status/pages", False),
    ("integration", "#", "events/near", True),       # a municipality's SMS gateway: the near events, nothing else
    ("integration", "#", "queue", False),
    ("integration", "#", "calls", False),
    ("kiosk-1", "#", "events/near", False),
    ("kiosk-1", "#", "setup", True),                 # the office's changes: the next volunteer sessions
    ("board-1", "#", "setup", True),                 # ... and the information texts
    ("kiosk-1", "#", "setup/audit", False),
    ("board-1", "#", "setup/audit", False),
])
def test_reads_follow_the_acl(accounts_broker, hub, username, subscription, topic, allowed):
    """Mosquitto 2.0.11 grants every SUBACK (QoS 1) and filters each message at delivery."""
    reader = accounts_broker.login(username)
    assert delivered_from_hub(hub, reader, subscription, topic) is allowed


def test_hub_owns_its_site_only(accounts_broker, hub):
    other_site = accounts_broker.login("hub")
    other_site.subscribe("reception/#")
    hub.publish(f"{BASE}/board", b"own site")
    hub.publish("reception/aabenraa/board", b"another site")
    other_site.wait(lambda: other_site.received(f"{BASE}/board", b"own site"), "own site")
    assert not other_site.received("reception/aabenraa/board", b"another site")


def test_devices_receive_what_the_hub_sends_them(accounts_broker, hub):
    kiosk, board, desk = (accounts_broker.login(u) for u in ("kiosk-1", "board-1", "desk-1"))
    kiosk.subscribe(f"{BASE}/kiosk/kiosk-1/ticket/reply")
    board.subscribe(f"{BASE}/calls")
    desk.subscribe(f"{BASE}/desk/desk-1/#")
    sent = {kiosk: (f"{BASE}/kiosk/kiosk-1/ticket/reply", b'{"v":1}'),
            board: (f"{BASE}/calls", b'{"v":1,"type":"call"}'),
            desk: (f"{BASE}/desk/desk-1/result", b'{"v":1,"ok":true}')}
    for client, (topic, payload) in sent.items():
        hub.publish(topic, payload)
    for client, (topic, payload) in sent.items():
        client.wait(lambda c=client, t=topic, p=payload: c.received(t, p), f"{topic} delivered")


@pytest.mark.parametrize("username, password", [
    ("kiosk-1", "wrong password"),
    ("hub", ""),
    ("intruder", "anything"),
    (None, None),  # anonymous
])
def test_unknown_or_wrong_credentials_are_refused(accounts_broker, username, password):
    client = accounts_broker.login(username, password)
    assert not client.accepted
    assert client.connect_rc.value in (4, 5, 134, 135)  # bad user name or password / not authorised
