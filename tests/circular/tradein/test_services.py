"""Trade-in services: quote, accept before the expiry (and not after), ship, receive, inspect
into store credit (once) or a revised offer, accept or refuse it, return, cancel, the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agora.accounts.services import actor_for_user
from agora.circular.models import TradeIn
from agora.circular.tradein import selectors, services
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent
from agora.payments.models import LedgerTransaction
from agora.payments.selectors import (
    store_credit_balance,
    store_credit_history,
    unbalanced_transactions,
)
from tests.circular.tradein.conftest import GOOD, SCRATCHED, make_buyer, quoted, received
from tests.conftest import SYSTEM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = TradeIn.Status


def _events(name: str) -> list[dict]:
    return list(OutboxEvent.objects.filter(name=name).values_list("payload", flat=True))


def test_a_quote_is_the_questionnaire_price_valid_for_fourteen_days(buyer, model):
    t = quoted(buyer, model, SCRATCHED)
    assert t.status == Status.QUOTED
    assert t.offer_minor == 20_000  # 250.00 x 0.80
    assert t.offer_expires_at == clock.now() + timedelta(days=14)
    assert t.public_id.startswith("tri")
    assert t.label_code.startswith("TI-") and len(t.label_code) == 13
    [event] = _events("tradein.quoted")
    assert event["offer_minor"] == 20_000 and event["tradein_id"] == t.public_id


def test_the_offer_period_follows_the_setting(buyer, model, settings):
    settings.AGORA_TRADEIN_OFFER_DAYS = 3
    assert quoted(buyer, model).offer_expires_at == clock.now() + timedelta(days=3)


def test_bad_answers_name_the_question_and_make_no_trade_in(buyer, model):
    with pytest.raises(AgoraError) as caught:
        quoted(buyer, model, GOOD | {"powers_on": "sometimes"})
    assert caught.value.problem.slug == "validation-error"
    assert "answers.powers_on" in str(caught.value) and "'sometimes'" in str(caught.value)
    assert not TradeIn.objects.exists()


def test_an_item_worth_too_little_gets_no_offer(buyer):
    from tests.circular.tradein.conftest import make_model

    cheap = make_model("Old charger", base=200)
    with pytest.raises(AgoraError) as caught:
        quoted(buyer, cheap, GOOD | {"powers_on": "no"})
    assert caught.value.problem.slug == "tradein-no-offer"
    assert "cannot offer anything" in str(caught.value)
    assert not TradeIn.objects.exists()


def test_an_inactive_model_is_not_quoted(buyer, model):
    model.active = False
    model.save()
    with pytest.raises(AgoraError) as caught:
        quoted(buyer, model)
    assert caught.value.problem.slug == "tradein-model-unavailable"


def test_accepting_after_the_expiry_is_refused_naming_the_date(buyer, model):
    t = quoted(buyer, model)
    clock.advance(timedelta(days=14, seconds=1))
    with pytest.raises(AgoraError) as caught:
        services.tradein_accept(actor=actor_for_user(buyer), tradein=t)
    assert caught.value.problem.slug == "tradein-offer-expired"
    assert caught.value.problem.status == 409
    assert "expired on 2026-05-18 09:00 UTC" in str(caught.value)
    t.refresh_from_db()
    assert t.status == Status.EXPIRED  # the refusal did not roll the expiry back
    assert not _events("tradein.accepted")
    with pytest.raises(AgoraError) as again:  # and stays refused
        services.tradein_accept(actor=actor_for_user(buyer), tradein=t)
    assert again.value.problem.slug == "tradein-offer-expired"


def test_accepting_just_before_the_expiry_works(buyer, model):
    t = quoted(buyer, model)
    clock.advance(timedelta(days=14) - timedelta(seconds=1))
    t = services.tradein_accept(actor=actor_for_user(buyer), tradein=t)
    assert t.status == Status.ACCEPTED
    assert [e["tradein_id"] for e in _events("tradein.accepted")] == [t.public_id]


def test_only_the_buyer_accepts(buyer, model):
    t = quoted(buyer, model)
    stranger = make_buyer("eve@example.org")
    with pytest.raises(AgoraError) as caught:
        services.tradein_accept(actor=actor_for_user(stranger), tradein=t)
    assert caught.value.problem.slug == "forbidden"


def test_inspection_at_the_offer_credits_it_once(buyer, model, operator):
    t = received(buyer, model, operator)
    assert t.status == Status.RECEIVED and t.shipping_note == "DHL 00340434"
    t = services.tradein_inspect(actor=operator, tradein=t, answers=GOOD)
    assert t.status == Status.CREDITED
    assert t.credited_minor == 25_000
    ltx = LedgerTransaction.objects.get(public_id=t.credit_transaction_id)
    assert ltx.kind == "credit_issue" and ltx.reference == t.public_id
    # a second inspection (a double click, a retry) is refused and grants nothing more
    with pytest.raises(AgoraError) as caught:
        services.tradein_inspect(actor=operator, tradein=t, answers=GOOD)
    assert caught.value.problem.slug == "tradein-wrong-state"
    history = store_credit_history(buyer=buyer, currency="EUR")
    assert [(m.kind, m.amount_minor, m.reference) for m in history] == [
        ("credit_issue", 25_000, t.public_id)
    ]
    assert store_credit_balance(buyer=buyer, currency="EUR") == 25_000
    assert len(_events("tradein.credited")) == 1
    assert len(_events("store_credit.issued")) == 1
    assert unbalanced_transactions() == []


def test_the_credit_key_stops_a_second_grant_even_past_the_state_check(buyer, model, operator):
    """Calling the grant twice for the same offer (as a retried step would) posts once."""
    t = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=GOOD
    )
    from agora.payments.services import store_credit_issue

    again = store_credit_issue(
        actor=SYSTEM,
        buyer=buyer,
        amount_minor=t.credited_minor,
        currency="EUR",
        program="trade_in",
        reference=t.public_id,
        idempotency_key=f"tradein:{t.public_id}:v1",
    )
    assert again.public_id == t.credit_transaction_id
    assert store_credit_balance(buyer=buyer, currency="EUR") == 25_000
    assert len(store_credit_history(buyer=buyer, currency="EUR")) == 1


def test_a_better_item_than_described_still_gets_the_accepted_offer(buyer, model, operator):
    me = actor_for_user(buyer)
    t = quoted(buyer, model, SCRATCHED)  # 200.00
    services.tradein_accept(actor=me, tradein=t)
    services.tradein_receive(actor=operator, tradein=t)  # never marked shipped: still received
    t = services.tradein_inspect(actor=operator, tradein=t, answers=GOOD)  # worth 250.00
    assert (t.status, t.credited_minor) == (Status.CREDITED, 20_000)


def test_worse_than_described_gets_a_revised_offer_the_buyer_can_accept(buyer, model, operator):
    t = received(buyer, model, operator)
    t = services.tradein_inspect(actor=operator, tradein=t, answers=SCRATCHED)
    assert t.status == Status.REVISED
    assert (t.inspected_value_minor, t.revised_offer_minor) == (20_000, 20_000)
    assert t.revised_expires_at == clock.now() + timedelta(days=7)
    assert "screen_or_frame_damage" in t.reason
    assert store_credit_balance(buyer=buyer, currency="EUR") == 0
    [revised] = _events("tradein.revised")
    assert (revised["offer_minor"], revised["revised_offer_minor"]) == (25_000, 20_000)
    t = services.tradein_accept_revised(actor=actor_for_user(buyer), tradein=t)
    assert (t.status, t.credited_minor) == (Status.CREDITED, 20_000)
    assert store_credit_balance(buyer=buyer, currency="EUR") == 20_000
    ltx = LedgerTransaction.objects.get(public_id=t.credit_transaction_id)
    assert ltx.idempotency_key == f"credit:tradein:{t.public_id}:v2"


def test_revised_then_refused_is_returned_without_credit(buyer, model, operator):
    t = received(buyer, model, operator)
    t = services.tradein_inspect(actor=operator, tradein=t, answers=SCRATCHED)
    t = services.tradein_refuse_revised(actor=actor_for_user(buyer), tradein=t)
    assert t.status == Status.REFUSED
    assert [x.public_id for x in selectors.tradein_queue()] == [t.public_id]
    with pytest.raises(AgoraError) as caught:
        services.tradein_mark_returned(actor=operator, tradein=t, note="  ")
    assert "tracking" in str(caught.value)
    t = services.tradein_mark_returned(actor=operator, tradein=t, note="DHL 1234 5678")
    assert (t.status, t.return_note) == (Status.RETURNED, "DHL 1234 5678")
    assert t.credited_minor is None and t.credit_transaction_id == ""
    assert store_credit_balance(buyer=buyer, currency="EUR") == 0
    assert store_credit_history(buyer=buyer, currency="EUR") == []
    assert [e["tradein_id"] for e in _events("tradein.returned")] == [t.public_id]
    assert not _events("tradein.credited")
    with pytest.raises(AgoraError):  # and a late "accept" cannot credit it
        services.tradein_accept_revised(actor=actor_for_user(buyer), tradein=t)


def test_a_revised_offer_expires_and_the_item_goes_back(buyer, model, operator):
    t = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=SCRATCHED
    )
    clock.advance(timedelta(days=7, minutes=1))
    with pytest.raises(AgoraError) as caught:
        services.tradein_accept_revised(actor=actor_for_user(buyer), tradein=t)
    assert caught.value.problem.slug == "tradein-offer-expired"
    assert "sent back" in str(caught.value)
    t.refresh_from_db()
    assert t.status == Status.EXPIRED
    assert [x.public_id for x in selectors.tradein_queue()] == [t.public_id]
    t = services.tradein_mark_returned(actor=operator, tradein=t, note="returned by courier")
    assert t.status == Status.RETURNED
    assert store_credit_balance(buyer=buyer, currency="EUR") == 0


def test_an_item_worth_nothing_on_inspection_is_refused_and_returned(buyer, model, operator):
    from tests.circular.tradein.conftest import make_model

    cheap = make_model("Basic phone", base=300)
    me = actor_for_user(buyer)
    t = quoted(buyer, cheap)
    services.tradein_accept(actor=me, tradein=t)
    services.tradein_receive(actor=operator, tradein=t)
    t = services.tradein_inspect(actor=operator, tradein=t, answers=GOOD | {"powers_on": "no"})
    assert (t.status, t.revised_offer_minor, t.inspected_value_minor) == (Status.REFUSED, 0, 90)
    assert "nothing to offer" in t.reason


def test_the_buyer_cannot_inspect_or_receive(buyer, model):
    me = actor_for_user(buyer)
    t = services.tradein_accept(actor=me, tradein=quoted(buyer, model))
    for step in (services.tradein_receive,):
        with pytest.raises(AgoraError) as caught:
            step(actor=me, tradein=t)
        assert caught.value.problem.slug == "forbidden"
    with pytest.raises(AgoraError):
        services.tradein_inspect(actor=me, tradein=t, answers=GOOD)


def test_inspection_answers_are_checked(buyer, model, operator):
    t = received(buyer, model, operator)
    with pytest.raises(AgoraError) as caught:
        services.tradein_inspect(actor=operator, tradein=t, answers={"powers_on": "yes"})
    assert "answers.screen_or_frame_damage" in str(caught.value)


def test_steps_out_of_order_are_refused_naming_the_states(buyer, model, operator):
    t = quoted(buyer, model)
    with pytest.raises(AgoraError) as caught:
        services.tradein_ship(actor=actor_for_user(buyer), tradein=t)
    assert caught.value.problem.slug == "tradein-wrong-state"
    assert "is quoted; this step needs accepted" in str(caught.value)
    with pytest.raises(AgoraError):
        services.tradein_receive(actor=operator, tradein=t)


def test_the_buyer_cancels_a_quote_or_an_unshipped_acceptance(buyer, model):
    me = actor_for_user(buyer)
    t = services.tradein_cancel(actor=me, tradein=quoted(buyer, model))
    assert t.status == Status.CANCELLED
    t2 = services.tradein_accept(actor=me, tradein=quoted(buyer, model))
    assert services.tradein_cancel(actor=me, tradein=t2).status == Status.CANCELLED
    t3 = services.tradein_accept(actor=me, tradein=quoted(buyer, model))
    services.tradein_ship(actor=me, tradein=t3)
    with pytest.raises(AgoraError) as caught:
        services.tradein_cancel(actor=me, tradein=t3)
    assert caught.value.problem.slug == "tradein-wrong-state"


def test_the_sweep_expires_due_quotes_and_revised_offers_only(buyer, model, operator):
    due = quoted(buyer, model)
    accepted = services.tradein_accept(actor=actor_for_user(buyer), tradein=quoted(buyer, model))
    revised = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=SCRATCHED
    )
    clock.advance(timedelta(days=6))
    fresh = quoted(buyer, model)
    clock.advance(timedelta(days=8))  # the first quote is 14 days old, the revised offer 14
    assert services.tradein_expire_due() == 2
    statuses = dict(TradeIn.objects.values_list("public_id", "status"))
    assert statuses[due.public_id] == Status.EXPIRED
    assert statuses[revised.public_id] == Status.EXPIRED
    assert statuses[accepted.public_id] == Status.ACCEPTED
    assert statuses[fresh.public_id] == Status.QUOTED
    assert services.tradein_expire_due() == 0


def test_the_summary_counts_credited_trade_ins_per_month(buyer, model, operator):
    services.tradein_inspect(actor=operator, tradein=received(buyer, model, operator), answers=GOOD)
    services.tradein_inspect(actor=operator, tradein=received(buyer, model, operator), answers=GOOD)
    [row] = selectors.tradein_summary()
    assert (row["month"].isoformat(), row["currency"]) == ("2026-05-01", "EUR")
    assert (row["credited"], row["credit_minor"]) == (2, 50_000)


def test_the_timeline_tells_the_story(buyer, model, operator):
    t = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=GOOD
    )
    labels = [str(s.label) for s in selectors.timeline(t)]
    assert labels[0] == "Quoted" and labels[-1] == "Store credit issued"
    assert "Received at the trade-in centre" in labels
