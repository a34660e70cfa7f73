"""Trade-in fixtures through the services: a model we accept, a buyer, an operator, and helpers
that take a trade-in through the flow up to a given step."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from agora.accounts.services import actor_for_user, user_create
from agora.circular.models import TradeIn, TradeInModel
from agora.circular.tradein import services
from agora.core import clock
from tests.conftest import SYSTEM

START = datetime(2026, 5, 4, 9, tzinfo=UTC)
GOOD = {
    "powers_on": "yes",
    "screen_or_frame_damage": "none",
    "battery_or_wear": "good",
    "accessories_complete": "yes",
}
SCRATCHED = GOOD | {"screen_or_frame_damage": "minor"}  # x0.80


def make_model(name: str = "Fairphone 4 128 GB", base: int = 25_000, **kw: Any) -> TradeInModel:
    return services.tradein_model_create(
        actor=SYSTEM, name=name, base_value_minor=base, currency="EUR", category="Phones", **kw
    )


def make_buyer(email: str = "ada@example.org") -> Any:
    return user_create(email=email, password="correct horse battery")


def quoted(buyer: Any, model: TradeInModel, answers: dict[str, str] | None = None) -> TradeIn:
    return services.tradein_quote(
        actor=actor_for_user(buyer), buyer=buyer, model=model, answers=answers or GOOD
    )


def received(buyer: Any, model: TradeInModel, operator: Any) -> TradeIn:
    """Quoted with GOOD answers, accepted, shipped and received."""
    me = actor_for_user(buyer)
    t = quoted(buyer, model)
    t = services.tradein_accept(actor=me, tradein=t)
    t = services.tradein_ship(actor=me, tradein=t, note="DHL 00340434")
    return services.tradein_receive(actor=operator, tradein=t)


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with clock.frozen_at(START):
        yield


@pytest.fixture
def model(db) -> TradeInModel:  # type: ignore[no-untyped-def]
    return make_model()


@pytest.fixture
def buyer(db) -> Any:  # type: ignore[no-untyped-def]
    return make_buyer()


@pytest.fixture
def operator_user(db) -> Any:  # type: ignore[no-untyped-def]
    user = user_create(email="ops@example.org", password="correct horse battery")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def operator(operator_user) -> Any:  # type: ignore[no-untyped-def]
    return actor_for_user(operator_user)
