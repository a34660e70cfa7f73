"""A little of everything an operator looks at, built through the services (rows are written
directly only where the flow that writes them is not the point: an outbox delivery parked dead,
a webhook delivery, a checkout record)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group

from agora.accounts.models import User
from agora.catalog.models import Attribute, CategoryCommission
from agora.checkout.models import Checkout, SellerTaxProfile, TaxRate
from agora.checkout.services import cart_add, cart_get_or_create
from agora.core import clock
from agora.core.models import EventDelivery, OutboxEvent
from agora.core.tasks import outbox_dispatch
from agora.fulfillment.services import shipment_mark_delivered, shipment_update
from agora.inventory.reservations import stock_reserve
from agora.inventory.services import stock_policy_set, stock_receive
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply
from agora.orders.models import Order
from agora.payments.services import escrow_release, payout_create, refund_issue
from agora.sustainability.labels.services import label_challenge, label_request, label_review
from agora.webhooks.models import WebhookDelivery
from agora.webhooks.services import webhook_endpoint_create
from tests.checkout.helpers import eu_shipping
from tests.conftest import SYSTEM, key_client, make_category, make_product, make_seller
from tests.orders.factories import location, requested_return, ship_all
from tests.payments.factories import paid_through_payments
from tests.sustainability.labels.helpers import OPERATOR, product_with_passport, seller_actor

_round = itertools.count(1)


def operator(email: str = "ops@example.invalid") -> User:
    return User.objects.create_superuser(email, "an operator passphrase 42")


def populate() -> dict[str, object]:
    """One more round of every kind of row (call it twice to double the rows)."""
    n = next(_round)
    Group.objects.create(name=f"support {n}")
    seller = make_seller(f"shop{n}")
    key_client(seller)
    applicant = seller_apply(
        actor=SYSTEM,
        display_name=f"Applicant {n}",
        legal_name=f"Applicant {n} GmbH",
        country="DE",
        payout_currency="EUR",
        vat_id="DE136695976",
    )
    category = make_category(f"Kitchen {n}")
    CategoryCommission.objects.create(seller=seller, category=category, commission_bps=800)
    Attribute.objects.get_or_create(
        code="material", defaults={"name": "Material", "value_type": "text"}
    )
    product = make_product(seller, f"Cup {n}", category=category, publish=True)
    variant = product.variants.get()
    where = location(seller)
    stock_receive(actor=SYSTEM, location=where, variant=variant, quantity=5)
    stock_policy_set(actor=SYSTEM, variant=variant, low_stock_threshold=2)
    stock_reserve(actor=SYSTEM, reference=f"chk_ops{n}", items=[(variant.pk, 1)])
    eu_shipping(seller)
    TaxRate.objects.create(
        country="DE", category=f"special{n}", rate=Decimal("7.000"), valid_from=date(2026, 1, 1)
    )
    SellerTaxProfile.objects.get_or_create(seller=seller)

    buyer = User.objects.create_user(f"buyer{n}@example.invalid", "x")
    cart = cart_get_or_create(buyer=buyer, currency="EUR")
    cart_add(cart=cart, variant=variant, quantity=1)
    Checkout.objects.create(
        cart=cart,
        buyer=buyer,
        owner=f"user:{buyer.pk}",
        idempotency_key=f"k{n}",
        currency="EUR",
        amount_minor=1299,
        created_at=clock.now(),
        updated_at=clock.now(),
    )

    order = paid_through_payments(seller)
    shipment = ship_all(order)
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    shipment_mark_delivered(actor=SYSTEM, shipment=shipment)
    order = Order.objects.get(pk=order.pk)
    escrow_release(actor=SYSTEM, order=order)
    requested_return(order)
    refund_issue(
        actor=SYSTEM, order=order, amount_minor=100, reason="goodwill", idempotency_key=f"r{n}"
    )
    payout_create(actor=SYSTEM, seller=seller, currency="EUR")

    endpoint, _ = webhook_endpoint_create(
        actor=SYSTEM, url="https://example.com/hook", events=["*"], seller=seller
    )
    event = OutboxEvent.objects.order_by("-id").first()
    EventDelivery.objects.create(event=event, handler="tests.parked", status="dead", attempts=10)
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        msg_id=event.public_id,
        event_type=event.name,
        body="{}",
        status="failed",
        created_at=clock.now(),
    )
    outbox_dispatch.enqueue()  # a row in the task queue (django-tasks-db's own admin)
    green_label_with_challenge(seller, n)
    return {"seller": seller, "applicant": applicant, "order": order, "product": product}


def green_label_with_challenge(seller: Seller, n: int) -> None:
    """A granted label (evidence: a rule over the passport) that somebody challenged."""
    product = product_with_passport(seller, f"Bike {n}")
    label = label_request(
        actor=seller_actor(seller), product=product, kind="repairable", use_rule=True
    )
    label = label_review(actor=OPERATOR, label=label, grant=True)
    label_challenge(
        actor=SYSTEM, label=label, reason="The spare parts are not sold anywhere I looked."
    )
