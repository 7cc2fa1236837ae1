"""The MQTT contract: every topic and every JSON payload that crosses the broker.

Devices talk only through these.  ``docs/protocol.md`` documents the same names,
and a test checks the two agree.  Every message is a frozen type: ``X.from_payload``
reads one (raising ``MessageError`` with a one-line reason), ``x.to_payload()`` writes
one; nothing else reads or writes raw JSON.  The contract is strict on every topic:
the size and JSON checks of ``wire`` and the field checks of ``fields`` apply to each
message, and a field no schema names is refused.

The package, by direction::

    topics        topic names of a site, and one parser that takes a topic apart
    to_hub        what devices send the hub (and every ``available``)
    from_hub      what the hub sends one kiosk or desk: replies, desk state, alerts
    waiting_room  calls, the board snapshot, the queue
    stats         the day's aggregates
    appointments  the kiosks' list of the next hour's appointments
    bookings      the booking system's list of the day's appointments, handed to the hub (web -> hub)
    status        the phone's status page (token hashes, for the web service only) and the "near" event
    office        the office's changes to today's setup (web -> hub) and the setup in force
                  (imported as ``reception.protocol.office``; its types write dicts, not yet ``Message``)
    wire, fields, codes   bytes and JSON, field readers, fixed vocabularies and limits
    lists         the shape of a retained list as of a time (queue, appointments, status pages)

Topic tree (``<site>`` is ``site.id`` from the configuration)::

    reception/<site>/hub/available              hub    retained  {"v":1,"status":"online"|"offline"|"stopped"}
    reception/<site>/kiosk/<kiosk>/available    kiosk  retained  the same, for one kiosk (its Last Will says "offline")
    reception/<site>/board/<board>/available    board  retained  the same, for one display board
    reception/<site>/desk/<desk>/<unit>/available  desk  retained  the same, for a desk's "buttons" or "console"
    reception/<site>/web/available              web    retained  the same, for the web service (staff pages, phone pages)
    reception/<site>/kiosk/<kiosk>/ticket/request  kiosk           ticket request (or hand-over of an offline ticket)
    reception/<site>/kiosk/<kiosk>/ticket/reply    hub             the ticket, or why not
    reception/<site>/kiosk/<kiosk>/ticket/first_visit  kiosk       "first visit about this?", answered after the number
    reception/<site>/kiosk/<kiosk>/status       kiosk  retained  printer state (a fixed code), outbox length
    reception/<site>/kiosk/<kiosk>/feedback     kiosk            anonymous "how did it go" answer
    reception/<site>/desk/<desk>/command        desk             next, recall, noshow, transfer, done, call, open, pause, close
    reception/<site>/desk/<desk>/result         hub              outcome of one command (by its id)
    reception/<site>/desk/<desk>/state          hub    retained  the desk: status, current ticket, its queue
    reception/<site>/calls                      hub              one event per call or recall
    reception/<site>/board                      hub    retained  snapshot for the waiting room
    reception/<site>/queue                      hub    retained  waiting tickets with their estimated waits
    reception/<site>/alerts                     hub    retained  device problems staff should see (fixed codes)
    reception/<site>/stats/daily                hub    retained  today's anonymous aggregates (bridged to a central broker)
    reception/<site>/status/pages               hub    retained  open and recently finished tickets' status-page token hashes (web only)
    reception/<site>/events/near                hub              a ticket became N-th in its line (for an SMS gateway)
    reception/<site>/appointments               hub    retained  the next hour's appointments not checked in
    reception/<site>/appointments/import        web              the booking system's appointments, to store (by day)
    reception/<site>/appointments/import/result hub              the outcome of one import (by its id)
"""
from reception.protocol.appointments import AppointmentSlot, AppointmentSlots
from reception.protocol.bookings import AppointmentImport, BookedVisit, ImportedDay, ImportResult
from reception.protocol.codes import (ALERT_PROBLEMS, AVAILABILITY, BOOKING_RE, CALL_TYPES, DESK_ACTIONS, DESK_KINDS,
                                      DESK_STATUSES, DESK_UNITS, DEVICE_RE, EXTRAS, FEEDBACK_TAGS, ID_RE,
                                      KIOSK_REPLY_TIMEOUT_S, LANG_RE, NUMBER_RE, PREFERENCES, PRINTER_STATES, ROOT,
                                      SEGMENT_RE, SLOT_RE, STALE, STATS_SECTIONS, TICKET_STATES, TOKEN_HASH_RE,
                                      TOKEN_RE, WALK_IN_REASONS)
from reception.protocol.fields import MAX_COUNT, MAX_TEXT
from reception.protocol.from_hub import (Alert, Alerts, DeskResult, DeskState, IssuedTicket, TicketAtDesk,
                                         TicketReply)
from reception.protocol.stats import DailyStatsMessage, LiveFigures
from reception.protocol.status import NearEvent, TicketLink, TicketLinks, new_token, token_hash
from reception.protocol.to_hub import Availability, DeskCommand, Feedback, KioskStatus, TicketFirstVisit, TicketRequest
from reception.protocol.topics import Topic, Topics, parse_topic
from reception.protocol.waiting_room import (BoardSnapshot, CallEvent, KindWait, QueuedTicket, QueueSnapshot,
                                             ServiceWait)
from reception.protocol.wire import (MAX_DEPTH, MAX_DEVICE_PAYLOAD, MAX_PACKET, MAX_PAYLOAD, MAX_REASON, SHOWN,
                                     VERSION, Message, encode, show, shorten)
