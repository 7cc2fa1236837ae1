"""A retained list as of a time (the queue, the kiosks' time list): ``at`` and a list of one item type.

A mixin beside ``Message`` (``class X(ListAsOf, Message)``), so each list message stays a direct
``Message`` type of the contract; it names its list field in ``ITEMS`` and the item type in ``ITEM``.
"""
from __future__ import annotations

from typing import Any, ClassVar

from reception.protocol import fields as f
from reception.protocol.wire import iso


class ListAsOf:
    ITEMS: ClassVar[str]
    ITEM: ClassVar[type]

    @classmethod
    def read(cls, data: dict):
        listed = f.objects(data, cls.ITEMS, cls.ITEM.FIELDS, required=True)
        return cls(f.timestamp(data, "at"), tuple(cls.ITEM.read(item) for item in listed))

    def body(self) -> dict[str, Any]:
        return {"at": iso(self.at), self.ITEMS: [item.body() for item in getattr(self, self.ITEMS)]}
