"""Writes a :class:`~agora.demo.generate.DemoSpec` into the database through the services.

Everything goes through the same service functions the API uses (sellers through their
onboarding states, products, prices with their history, stock movements, media, publishing), so
the demo store has the audit log, price history and outbox events a real one would.

Idempotent: users are keyed by email, sellers by slug, categories by slug, attributes by code,
locations by (seller, name) and products by (seller, slug or any of their SKUs). What exists is
left alone, so a second run writes nothing at all, and a run after a crash finishes the job
(each seller's catalogue is one transaction).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from agora.accounts.models import User
from agora.accounts.services import user_create
from agora.catalog.models import Attribute, Category, Product, ProductMedia, Variant
from agora.catalog.services import (
    VariantInput,
    category_create,
    media_add,
    product_create,
    product_publish,
)
from agora.checkout.models import ShippingZone
from agora.checkout.shipping import (
    shipping_method_create,
    shipping_rate_create,
    shipping_zone_create,
)
from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.vault.people import email_digest
from agora.demo.generate import (
    CURRENCIES,
    RAISED_AT_DAYS,
    RAISED_FROM_DAYS,
    REDUCED_AT_DAYS,
    REDUCED_FROM_DAYS,
    DemoSpec,
    ProductSpec,
    SellerSpec,
    all_users,
)
from agora.demo.history import build_history
from agora.demo.rental import build_rental
from agora.demo.sustainability import build_sustainability
from agora.demo.traceability import build_traceability
from agora.demo.tradein import build_tradein
from agora.fulfillment.models import Carrier
from agora.fulfillment.services import carrier_create
from agora.inventory.models import StockLevel, StockLocation
from agora.inventory.services import location_create, stock_receive
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply, seller_transition
from agora.marketplace.states import SellerState
from agora.pricing.models import Price, PriceChange
from agora.pricing.services import price_set

Progress = Callable[[int, int], None]


@dataclass
class BuildReport:
    created: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def database_has_sellers() -> bool:
    """``agora demo --if-empty`` builds nothing once any seller exists (demo or real)."""
    return Seller.objects.exists()


def build_demo(
    spec: DemoSpec, *, actor: Actor | None = None, progress: Progress | None = None
) -> BuildReport:
    """Creates whatever of ``spec`` is missing, one seller's catalogue per transaction, and
    reports what it created; ``progress(done, total)`` is called as products are handled."""
    actor = actor or system("demo")
    report = BuildReport()
    users = _users(spec, report)
    _attributes(spec, report)
    categories = _categories(spec, actor, report)
    _carriers(actor, report)
    now = clock.now()
    total, done = len(spec.products), 0
    for seller_spec in spec.sellers:
        with transaction.atomic():
            seller = _seller(seller_spec, users[seller_spec.owner.email], actor, report)
            locations = _locations(seller_spec, seller, actor, report)
            _shipping(seller, actor, report)
            if seller.state != SellerState.ACTIVE:  # e.g. suspended by an operator since
                report.notes.append(
                    f"{seller.display_name} is {seller.state}; its products were left as they are"
                )
                done += len(seller_spec.products)
                if progress is not None:
                    progress(done, total)
                continue
            slugs = set(Product.objects.filter(seller=seller).values_list("slug", flat=True))
            skus = set(Variant.objects.filter(seller=seller).values_list("sku", flat=True))
            for product_spec in seller_spec.products:
                done += 1
                if product_spec.slug in slugs or any(v.sku in skus for v in product_spec.variants):
                    report.skipped["products"] += 1
                else:
                    _product(product_spec, seller, locations, categories, actor, now, report)
                if progress is not None:
                    progress(done, total)
    buyer_ids = {email: user.pk for email, user in users.items()}
    report.created.update(build_history(spec, buyer_ids=buyer_ids, actor=actor))
    report.created.update(build_traceability(spec, actor=actor, buyer_ids=buyer_ids))
    report.created.update(build_sustainability(spec, actor=actor))
    report.created.update(build_tradein(spec, actor=actor))
    report.created.update(build_rental(spec, actor=actor))
    return report


@transaction.atomic
def _users(spec: DemoSpec, report: BuildReport) -> dict[str, User]:
    wanted = list(all_users(spec))
    digests = {email_digest(w.email): w.email for w in wanted}
    existing = {
        digests[u.email_digest]: u
        for u in User.objects.filter(email_digest__in=list(digests)).select_related("person")
    }
    # Each account gets its own Argon2 hash and salt, even where the demo password is the same.
    for person in wanted:
        if person.email in existing:
            report.skipped["users"] += 1
            continue
        if person.role == "operator":
            # Like Django's createsuperuser: the operator signs in to /admin.
            user = User.objects.create_superuser(
                person.email,
                person.password,
                display_name=person.display_name,
                preferred_language=person.language,
            )
        else:
            user = user_create(
                email=person.email,
                password=person.password,
                display_name=person.display_name,
                language=person.language,
            )
        existing[person.email] = user
        report.created["users"] += 1
    return existing


def _attributes(spec: DemoSpec, report: BuildReport) -> None:
    """Attributes are platform-wide definitions without a service yet; created as rows."""
    existing = set(
        Attribute.objects.filter(code__in=[a[0] for a in spec.attributes]).values_list(
            "code", flat=True
        )
    )
    missing = [
        Attribute(
            code=code,
            name=name,
            value_type=value_type,
            choices=list(choices),
            unit=unit,
            translations={"zh-hans": {"name": name_zh}},
        )
        for code, name, name_zh, value_type, choices, unit in spec.attributes
        if code not in existing
    ]
    Attribute.objects.bulk_create(missing)
    report.created["attributes"] += len(missing)


def _categories(spec: DemoSpec, actor: Actor, report: BuildReport) -> dict[str, Category]:
    categories = {
        c.slug: c for c in Category.objects.filter(slug__in=[c[0] for c in spec.categories])
    }
    with transaction.atomic():
        for position, (slug, parent, name, name_zh) in enumerate(spec.categories):
            if slug in categories:
                continue
            categories[slug] = category_create(
                actor=actor,
                name=name,
                slug=slug,
                parent=categories[parent] if parent else None,
                translations={"zh-hans": {"name": name_zh}},
                position=position,
            )
            report.created["categories"] += 1
    return categories


def _seller(spec: SellerSpec, owner: User, actor: Actor, report: BuildReport) -> Seller:
    data = spec.data
    seller = Seller.objects.filter(slug=data.slug).first()
    if seller is None:
        seller = seller_apply(
            actor=actor,
            display_name=data.display_name,
            legal_name=data.legal_name,
            country=data.country,
            payout_currency=data.currency,
            vat_id=spec.vat_id,
            slug=data.slug,
            commission_bps=data.commission_bps,
            owner=owner,
        )
        report.created["sellers"] += 1
    # Finish onboarding (also after a crash between the steps); never undo an operator's
    # suspension.
    for state in (SellerState.VERIFIED, SellerState.ACTIVE):
        if seller.state in (SellerState.APPLIED, SellerState.VERIFIED) and seller.state != state:
            seller = seller_transition(actor=actor, seller=seller, to=state, reason="demo store")
    return seller


def _locations(
    spec: SellerSpec, seller: Seller, actor: Actor, report: BuildReport
) -> list[StockLocation]:
    existing = {loc.name: loc for loc in StockLocation.objects.filter(seller=seller)}
    locations = []
    for loc in spec.data.locations:
        if loc.name not in existing:
            existing[loc.name] = location_create(
                actor=actor,
                seller=seller,
                name=loc.name,
                kind=loc.kind,
                country=spec.data.country,
                city=loc.city,
                address=loc.address,
                postcode=loc.postcode,
                latitude=loc.latitude,
                longitude=loc.longitude,
            )
            report.created["locations"] += 1
        locations.append(existing[loc.name])
    return locations


# Every demo seller ships to the EU and the UK with a standard, an express and a pick-up point
# service; prices per weight band in each shop currency, standard and pick-up point free above a
# basket of 60 (in major units).
SHIPPING_COUNTRIES = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]  # fmt: skip
SHIPPING_SERVICES = [
    # name, carrier, days, [(up to grams, EUR minor)], free over (EUR minor) or None
    ("Standard", "dhl", (3, 6), [(2000, 490), (10000, 890), (None, 1490)], 6000),
    ("Express", "ups", (1, 2), [(2000, 1290), (10000, 1990), (None, 2990)], None),
    # the lower-carbon choice checkout offers (issue 7): consolidated to a pick-up point, same
    # price as Standard and a day slower, so Standard stays the first option listed
    ("Pick-up point", "dhl", (3, 7), [(2000, 490), (10000, 890), (None, 1490)], 6000),
]
CURRENCY_FACTOR = {"EUR": (1, 1), "GBP": (86, 100), "CNY": (78, 10)}  # rough demo rates


# The carriers the demo's shipping services name, with their public tracking pages, so a
# shipment's tracking number links somewhere real.
CARRIERS = [
    ("dhl", "DHL", "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={tracking_number}"),
    ("ups", "UPS", "https://www.ups.com/track?tracknum={tracking_number}"),
]  # fmt: skip


def _carriers(actor: Actor, report: BuildReport) -> None:
    existing = set(Carrier.objects.values_list("code", flat=True))
    for code, name, template in CARRIERS:
        if code not in existing:
            carrier_create(actor=actor, code=code, name=name, tracking_url_template=template)
            report.created["carriers"] += 1


def _shipping(seller: Seller, actor: Actor, report: BuildReport) -> None:
    """A zone, three services and their rate bands, created once per seller."""
    if ShippingZone.objects.filter(seller=seller).exists():
        return
    zone = shipping_zone_create(
        actor=actor, seller=seller, name="Europe", countries=SHIPPING_COUNTRIES
    )
    for name, carrier, (fastest, slowest), bands, free_over in SHIPPING_SERVICES:
        method = shipping_method_create(
            actor=actor, zone=zone, name=name, carrier_code=carrier,
            min_delivery_days=fastest, max_delivery_days=slowest,
        )  # fmt: skip
        for currency, (num, den) in CURRENCY_FACTOR.items():
            start = 0
            for upto, eur in bands:
                shipping_rate_create(
                    actor=actor, method=method, weight_from_grams=start, weight_to_grams=upto,
                    currency=currency, amount_minor=eur * num // den,
                    free_over_minor=free_over * num // den if free_over else None,
                )  # fmt: skip
                start = upto or start
    report.created["shipping zones"] += 1


def _price_times(story: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    """When the earlier price began and when today's price took over."""
    if story == "reduced":
        return now - timedelta(days=REDUCED_FROM_DAYS), now - timedelta(days=REDUCED_AT_DAYS)
    if story == "raised":
        return now - timedelta(days=RAISED_FROM_DAYS), now - timedelta(days=RAISED_AT_DAYS)
    return None, None


def _product(
    spec: ProductSpec,
    seller: Seller,
    locations: list[StockLocation],
    categories: dict[str, Category],
    actor: Actor,
    now: datetime,
    report: BuildReport,
) -> None:
    product = product_create(
        actor=actor,
        seller=seller,
        title=spec.title,
        description=spec.description,
        category=categories[spec.category],
        slug=spec.slug,
        language="en",
        translations=spec.translations,
        attributes=spec.attributes,
        variants=[
            VariantInput(
                sku=v.sku,
                gtin=v.gtin,
                title=v.title,
                options=v.options,
                weight_grams=v.weight_grams,
                translations={"zh-hans": {"title": v.title_zh}} if v.title_zh else {},
            )
            for v in spec.variants
        ],
    )
    earlier_at, current_at = _price_times(spec.price_story, now)
    variants = list(product.variants.all())  # by position; each knows its product and seller
    for variant, vspec in zip(variants, spec.variants, strict=True):
        for currency in CURRENCIES:
            if vspec.earlier_prices:
                price_set(
                    actor=actor,
                    variant=variant,
                    currency=currency,
                    source="demo",
                    amount_minor=vspec.earlier_prices[currency],
                    effective_at=earlier_at,
                )
            price_set(
                actor=actor,
                variant=variant,
                currency=currency,
                source="demo",
                amount_minor=vspec.prices[currency],
                effective_at=current_at,
            )
        for location, units in zip(locations, vspec.stock, strict=True):
            if units:
                stock_receive(
                    actor=actor,
                    location=location,
                    variant=variant,
                    quantity=units,
                    reason="opening stock",
                    reference="demo",
                )
    for media in spec.media:
        media_add(
            actor=actor,
            product=product,
            kind=media.kind,
            url=media.url,
            alt=media.alt,
            translations={"zh-hans": {"alt": media.alt_zh}},
        )
    product_publish(actor=actor, product=product)
    report.created["products"] += 1
    report.created["variants"] += len(variants)


# --- the summary --------------------------------------------------------------------------------


def totals() -> dict[str, int]:
    """Row counts the summary shows (the whole database, demo or not)."""
    return {
        "sellers": Seller.objects.count(),
        "products": Product.objects.count(),
        "variants": Variant.objects.count(),
        "prices": Price.objects.count(),
        "price changes": PriceChange.objects.count(),
        "stock levels": StockLevel.objects.count(),
        "media": ProductMedia.objects.count(),
        "categories": Category.objects.count(),
    }


def summary(spec: DemoSpec, report: BuildReport | None, *, seconds: float, url: str) -> str:
    """What was built and how to sign in, for the terminal."""
    lines = []
    if report is None:
        lines.append(
            "The database already has sellers, so the demo store was not built (--if-empty)."
        )
    elif report.changed:
        made = ", ".join(f"{n} {what}" for what, n in report.created.items() if n)
        lines.append(f"Demo store built in {seconds:.1f} s (seed {spec.seed}): {made}.")
    else:
        lines.append(
            f"Demo store already complete (seed {spec.seed}); nothing changed ({seconds:.1f} s)."
        )
    lines += [f"  note: {note}" for note in (report.notes if report else [])]
    lines.append(
        "In the database: " + ", ".join(f"{n} {what}" for what, n in totals().items()) + "."
    )
    lines += ["", f"Open {url}", ""]

    rows = [("operator, also for /admin/", spec.operator.email, spec.operator.password)]
    rows += [
        (f"{s.data.display_name} ({s.data.country}), owner", s.owner.email, s.owner.password)
        for s in spec.sellers
    ]
    first, last = spec.buyers[0], spec.buyers[-1]
    rows.append((f"{len(spec.buyers)} buyers", f"{first.email} … {last.email}", first.password))
    label_width = max(len(r[0]) for r in rows)
    email_width = max(len(r[1]) for r in rows)
    lines.append("Logins (the demo passwords, unless someone has changed them since):")
    lines += [
        f"  {label:<{label_width}}  {email:<{email_width}}  {pw}" for label, email, pw in rows
    ]
    return "\n".join(lines) + "\n"
