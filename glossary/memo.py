"""Values computed from the store, kept until the store changes: the one memo of the glossary.

A value is kept under the store generation it was computed from (the
Catalog's, which changes whenever the Catalog notices an import): a value
computed from an older generation is never kept, and a newer generation
drops every value kept before. When ``budget`` is used up, the least recently
used values go first; what a value costs is the caller's measure (bytes of
an answer, or 1 per value).
"""

from __future__ import annotations

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
