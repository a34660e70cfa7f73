"""The demo store's trade-in (issue 7, part C3): a handful of models we take in trade (phones,
laptops, bikes...), and one trade-in of the first demo buyer taken through the whole flow by
the services (quote, accept, ship, receive, inspect) so that buyer has store credit to spend
at checkout. A second run writes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from agora.accounts.models import User
from agora.accounts.services import actor_for_user
from agora.circular.models import TradeIn, TradeInModel
from agora.circular.tradein import services
from agora.core.actors import Actor
from agora.demo.generate import DemoSpec

# (name, category, brand, base value in minor units, currency): our demo valuations.
MODELS = (
    ("Fairphone 4 (128 GB)", "Phones", "Fairphone", 22_000, "EUR"),
    ("iPhone 12 (64 GB)", "Phones", "Apple", 26_000, "EUR"),
    ("Samsung Galaxy S21", "Phones", "Samsung", 19_000, "EUR"),
    ('MacBook Air 13" M1', "Laptops", "Apple", 48_000, "EUR"),
    ("Lenovo ThinkPad T14 Gen 2", "Laptops", "Lenovo", 36_000, "EUR"),
    ("Brompton C Line folding bike", "Bikes", "Brompton", 60_000, "EUR"),
    ("City e-bike (2021 or newer)", "Bikes", "", 70_000, "EUR"),
    ("Kindle Paperwhite (11th gen)", "E-readers", "Amazon", 4_500, "EUR"),
    ("Fairphone 4 (128 GB)", "Phones", "Fairphone", 19_000, "GBP"),
)
DEMO_ANSWERS = {
    "powers_on": "yes",
    "screen_or_frame_damage": "minor",
    "battery_or_wear": "good",
    "accessories_complete": "yes",
}


def build_tradein(spec: DemoSpec, *, actor: Actor) -> Counter[str]:
    created: Counter[str] = Counter()
    have = set(TradeInModel.objects.values_list("name", "currency"))
    for name, category, brand, base, currency in MODELS:
        if (name, currency) in have:
            continue
        services.tradein_model_create(
            actor=actor,
            name=name,
            category=category,
            brand=brand,
            base_value_minor=base,
            currency=currency,
        )
        created["trade-in models"] += 1
    buyer = User.objects.by_email(spec.buyers[0].email).first() if spec.buyers else None
    model = TradeInModel.objects.filter(name=MODELS[0][0], currency="EUR", active=True).first()
    if buyer is None or model is None or TradeIn.objects.filter(buyer=buyer).exists():
        return created
    # the demo acts for the buyer, and the audit log says so (every demo entry is "demo")
    me = replace(actor_for_user(buyer), label=actor.label)
    tradein = services.tradein_quote(actor=me, buyer=buyer, model=model, answers=DEMO_ANSWERS)
    services.tradein_accept(actor=me, tradein=tradein)
    services.tradein_ship(actor=me, tradein=tradein, note="demo parcel")
    services.tradein_receive(actor=actor, tradein=tradein)
    services.tradein_inspect(actor=actor, tradein=tradein, answers=DEMO_ANSWERS)
    created["credited trade-ins"] += 1
    return created
