"""The demo's trade-in: models seeded, the first demo buyer holds store credit from one credited
trade-in, and a second run writes nothing."""

from __future__ import annotations

import pytest

from agora.accounts.services import user_create
from agora.circular.models import TradeIn, TradeInModel
from agora.demo.generate import build_spec
from agora.demo.tradein import MODELS, build_tradein
from agora.payments.selectors import store_credit_balance
from tests.conftest import SYSTEM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_the_demo_buyer_gets_store_credit_once():
    spec = build_spec()
    buyer = user_create(email=spec.buyers[0].email, password="correct horse battery")
    first = build_tradein(spec, actor=SYSTEM)
    assert first == {"trade-in models": len(MODELS), "credited trade-ins": 1}
    [t] = TradeIn.objects.filter(buyer=buyer)
    assert t.status == TradeIn.Status.CREDITED
    assert t.credited_minor == 17_600  # 220.00 x 0.80 (minor scratches)
    assert store_credit_balance(buyer=buyer, currency="EUR") == 17_600
    assert build_tradein(spec, actor=SYSTEM) == {}
    assert TradeInModel.objects.count() == len(MODELS)
    assert store_credit_balance(buyer=buyer, currency="EUR") == 17_600
