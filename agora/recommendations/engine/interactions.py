"""Purchases as arrays: the one input every source of the engine reads.

A purchase row is kept as given (one row per invoice line); sources that count "times bought"
count distinct invoices, so duplicate lines of one invoice never inflate a signal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Purchase:
    """One purchased line: who bought what, on which invoice, on which day, how many, where."""

    user: str
    item: str
    invoice: str
    day: datetime.date
    quantity: int
    country: str = ""


def _index(values: list[str]) -> dict[str, int]:
    return {value: position for position, value in enumerate(values)}


@dataclass
class Interactions:
    """Purchases indexed by dense user and item numbers (sorted ids, so builds are repeatable).

    ``user``, ``item``, ``invoice``, ``day`` (proleptic ordinal) and ``quantity`` are parallel
    arrays, one entry per purchase line. ``negative`` maps a user to items they returned or
    marked "not interested"; the model never recommends those to them.
    """

    users: list[str]
    items: list[str]
    invoices: list[str]
    countries: list[str]
    user: np.ndarray
    item: np.ndarray
    invoice: np.ndarray
    day: np.ndarray
    quantity: np.ndarray
    country: np.ndarray  # per line: index into ``countries``, or -1 when not given
    user_country: np.ndarray  # per user: index into ``countries`` of their latest purchase, or -1
    negative: dict[str, set[str]] = field(default_factory=dict)
    user_index: dict[str, int] = field(init=False, repr=False)
    item_index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.user_index = _index(self.users)
        self.item_index = _index(self.items)

    @classmethod
    def from_purchases(
        cls,
        purchases: Iterable[Purchase],
        *,
        negatives: Mapping[str, Iterable[str]] | None = None,
    ) -> Interactions:
        """Builds the arrays. Raises ``ValueError`` naming the first purchase whose quantity is
        below 1, since a return is a negative signal and belongs in ``negatives`` instead."""
        rows = list(purchases)
        for row in rows:
            if row.quantity < 1:
                raise ValueError(
                    f"purchase of {row.item!r} by {row.user!r} on invoice {row.invoice!r} has "
                    f"quantity {row.quantity}; expected 1 or more (pass returns as negatives)"
                )
        users = sorted({row.user for row in rows})
        items = sorted({row.item for row in rows})
        invoices = sorted({row.invoice for row in rows})
        countries = sorted({row.country for row in rows if row.country})
        user_index, item_index = _index(users), _index(items)
        invoice_index, country_index = _index(invoices), _index(countries)
        size = len(rows)
        user = np.fromiter((user_index[r.user] for r in rows), np.int32, size)
        day = np.fromiter((r.day.toordinal() for r in rows), np.int32, size)
        user_country = np.full(len(users), -1, np.int32)
        latest = np.full(len(users), -1, np.int64)
        for position, row in enumerate(rows):
            if row.country and day[position] >= latest[user[position]]:
                latest[user[position]] = day[position]
                user_country[user[position]] = country_index[row.country]
        return cls(
            users=users,
            items=items,
            invoices=invoices,
            countries=countries,
            user=user,
            item=np.fromiter((item_index[r.item] for r in rows), np.int32, size),
            invoice=np.fromiter((invoice_index[r.invoice] for r in rows), np.int32, size),
            day=day,
            quantity=np.fromiter((r.quantity for r in rows), np.int32, size),
            country=np.fromiter((country_index.get(r.country, -1) for r in rows), np.int32, size),
            user_country=user_country,
            negative={user: set(items) for user, items in (negatives or {}).items()},
        )

    @property
    def n_users(self) -> int:
        return len(self.users)

    @property
    def n_items(self) -> int:
        return len(self.items)

    def __len__(self) -> int:
        return int(self.user.size)

    def country_of(self, user: str) -> str | None:
        """The country of the user's latest purchase, or None when unknown."""
        position = self.user_index.get(user)
        if position is None or self.user_country[position] < 0:
            return None
        return self.countries[self.user_country[position]]

    def distinct_lines(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(user, item, invoice, day)`` with each (user, item, invoice) once: the unit of
        "times bought"."""
        key = np.stack([self.user, self.item, self.invoice]).T
        _, first = np.unique(key, axis=0, return_index=True)
        return self.user[first], self.item[first], self.invoice[first], self.day[first]

    def invoice_counts(self) -> sparse.csr_matrix:
        """User x item matrix of distinct invoices: how many times each user bought each item."""
        user, item, _, _ = self.distinct_lines()
        ones = np.ones(user.size, np.float32)
        matrix = sparse.csr_matrix(
            (ones, (user, item)), shape=(self.n_users, self.n_items), dtype=np.float32
        )
        matrix.sum_duplicates()
        return matrix

    def last_day(self) -> sparse.csr_matrix:
        """User x item matrix of the ordinal of the latest day each user bought each item."""
        order = np.lexsort((self.day, self.item, self.user))
        user, item, day = self.user[order], self.item[order], self.day[order]
        last = np.ones(user.size, bool)
        last[:-1] = (user[1:] != user[:-1]) | (item[1:] != item[:-1])
        return sparse.csr_matrix(
            (day[last].astype(np.float64), (user[last], item[last])),
            shape=(self.n_users, self.n_items),
        )
