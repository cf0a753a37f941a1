"""Values computed from the store, kept until the store changes: the one memo of the glossary.

A value is kept under the store generation it was computed from (the
Catalog's, which changes whenever the Catalog notices an import): a value
computed from an older generation is never kept, and a newer generation
drops every value kept before. When ``budget`` is used up, the least recently
used values go first; what a value costs is the caller's measure (bytes of
an answer, the bytes a value and its key retain by ``kept_bytes``, or 1 per value).
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict


class Memo:
    def __init__(self, budget: int, largest: int | None = None):
        self.budget = budget
        self.largest = budget if largest is None else largest  # a value costing more is not kept
        self._lock = threading.Lock()
        self._generation = None
        self._values: OrderedDict = OrderedDict()
        self._used = 0

    @property
    def used(self) -> int:
        """The cost of the values kept: at most ``budget``."""
        return self._used

    def clear(self) -> None:
        """Forget every value kept."""
        with self._lock:
            self._values.clear()
            self._used = 0

    def get(self, key, generation):
        """The value kept under ``key`` if it was computed from ``generation``, else None."""
        with self._lock:
            self._move_to(generation)
            found = self._values.get(key)
            if found is None:
                return None
            self._values.move_to_end(key)
            return found[1]

    def put(self, key, value, cost: int, generation) -> None:
        """Keep ``value``, computed from ``generation``, unless the store has changed since."""
        if cost > self.largest:
            return
        with self._lock:
            if generation != self._generation:
                return
            previous = self._values.pop(key, None)
            if previous is not None:
                self._used -= previous[0]
            self._values[key] = (cost, value)
            self._used += cost
            while self._used > self.budget:
                _, (dropped, _) = self._values.popitem(last=False)
                self._used -= dropped

    def computed(self, key, compute, generation, cost=lambda value: 1):
        """The value under ``key``, computing and keeping it the first time."""
        found = self.get(key, generation)
        if found is None:
            found = compute()
            self.put(key, found, cost(found), generation)
        return found

    def _move_to(self, generation) -> None:
        if generation != self._generation:
            self._values.clear()
            self._used = 0
            self._generation = generation


# What a memo spends on one value besides the key and the value: its ordered-dict entry and the
# (cost, value) pair, about 200 bytes in CPython 3.11.
ENTRY_BYTES = 200


def kept_bytes(key, value) -> int:
    """What keeping ``value`` under ``key`` costs in bytes: both, and the memo's own entry."""
    return retained_bytes((key, value)) + ENTRY_BYTES


def retained_bytes(value) -> int:
    """About how many bytes ``value`` holds: its objects' sizes (``sys.getsizeof``) over strings, bytes,
    numbers, tuples, lists, sets, dicts and dataclass instances, each object counted once.

    An object shared with other values is counted for each of them, so a memo's sum of these over-
    rather than under-states what it holds. Types not listed count their own size only.
    """
    seen: set[int] = set()
    total = 0
    pending = [value]
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, (str, bytes, int, float, bool)) or item is None:
            continue
        if isinstance(item, (tuple, list, set, frozenset)):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            if hasattr(item, "__dict__"):
                total += sys.getsizeof(item.__dict__)
            pending.extend(getattr(item, field.name) for field in dataclasses.fields(item))
    return total
