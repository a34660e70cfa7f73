"""``agora audit prices``: proof that a price is a property of the product, never of the person.

The audit quotes every published variant, in every currency it has a price in, for a set of
synthetic buyers (:data:`BUYERS`) that differ in order history, device (User-Agent), delivery
postcode within one country and loyalty (account age, repeat buyer). Each buyer is a real
request context going through the real code paths, over HTTP with Django's test client:

- the public catalogue API (``GET /api/v1/products``, every page);
- the cart API (``GET /api/v1/cart`` after ``PUT /api/v1/cart/destination``), with every variant
  put in the buyer's own cart, a hundred lines at a time (the cart's limit);
- the product page (``GET /p/<id>/`` in each currency chosen through the currency switch): the
  headline price, the price of each variant, and any "was" price shown; every page for the
  first buyer, a sample of them for the others unless ``pages="all"`` (:func:`audit_prices`);
- the listing cards of the search results (``GET /search/?sort=newest``, the whole store) and
  of each category page (``GET /c/<slug>/``) that holds a published product, in each currency:
  the card's price (the lowest of the product's variants, "from …" when they differ); every
  page of every listing for the first buyer, the first page of each for the others unless
  ``pages="all"``.

It reports every difference not explained by a documented rule:

- between buyers: a variant, currency and channel where one buyer is shown another amount than
  the first buyer of :data:`BUYERS`. The synthetic buyers hold no scheme (membership, coupon),
  so no documented rule (:mod:`agora.pricing.quote`) can explain any difference between them;
- against the quote: an amount that is not :func:`agora.pricing.quote.quote_many`'s;
- EU Omnibus: a "was" price that is not the lowest price of the 30 days before the current
  price took effect (computed here straight from the price history,
  :func:`agora.pricing.selectors.lowest_prior_prices`), or a reduction shown without it.

VAT and shipping are not compared: they follow the delivery address and the parcel by law and
by carrier tariff, not the buyer. Nothing the audit creates survives it: the synthetic buyers,
their orders, sessions and carts are written inside one transaction that is **rolled back**
when the audit ends, whatever its outcome.
"""

from __future__ import annotations

import html.parser
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from agora.catalog.models import Category, Product, Variant
from agora.checkout.models import MAX_CART_LINES, Cart, CartLine
from agora.checkout.signals import GUEST_CART_SESSION_KEY
from agora.core import clock
from agora.core.templatetags.agora_format import format_money
from agora.marketplace.models import Seller
from agora.marketplace.states import SellerState
from agora.pricing.models import Price
from agora.pricing.quote import OMNIBUS_DAYS, quote_many, schemes
from agora.pricing.selectors import lowest_prior_prices

COUNTRY = "DE"
LANGUAGE = "en"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


@dataclass(frozen=True)
class SyntheticBuyer:
    """A made-up buyer: a guest when ``account_age_days`` is None, else an account that old
    with ``orders`` past orders (a repeat buyer when many)."""

    name: str
    user_agent: str
    postcode: str
    account_age_days: int | None = None
    orders: int = 0

    def describe(self) -> str:
        who = (
            "guest"
            if self.account_age_days is None
            else f"account {self.account_age_days} days old, {self.orders} past orders"
        )
        device = next(
            (d for d in ("iPhone", "Android", "Macintosh", "Windows") if d in self.user_agent), "?"
        )
        return f"{who}, {device}, {COUNTRY} {self.postcode}"


# The first is the reference every other buyer is compared with.
BUYERS: tuple[SyntheticBuyer, ...] = (
    SyntheticBuyer("guest-desktop", DESKTOP, "10115"),
    SyntheticBuyer("guest-iphone", IPHONE, "10115"),
    SyntheticBuyer("guest-android", ANDROID, "80331"),
    SyntheticBuyer("new-account-mac", MAC, "80331", account_age_days=0, orders=0),
    SyntheticBuyer("repeat-buyer-iphone", IPHONE, "10115", account_age_days=3 * 365, orders=25),
    SyntheticBuyer("loyal-android", ANDROID, "80331", account_age_days=8 * 365, orders=60),
)

PAGE_MODES = ("all", "sample", "none")
PAGE_SAMPLE = 40

CHANNEL_API = "catalog API"
CHANNEL_CART = "cart API"
CHANNEL_PAGE = "product page"
CHANNEL_PAGE_VARIANTS = "product page variants"
CHANNEL_CATEGORY = "category listing"
CHANNEL_SEARCH = "search results"
# Channels whose observations are keyed by product (a card shows the product's lowest price).
CARD_CHANNELS = (CHANNEL_CATEGORY, CHANNEL_SEARCH)
# Channels a buyer after the first may read only a sample of.
SAMPLED_CHANNELS = (CHANNEL_PAGE, CHANNEL_PAGE_VARIANTS, *CARD_CHANNELS)
# The search listing, in an order that is stable from page to page (newest, then product id).
SEARCH_LISTING = "/search/?sort=newest"


@dataclass(frozen=True)
class Difference:
    """One finding. ``kind``: ``buyers`` (two buyers shown different amounts), ``quote`` (a
    channel showing another amount than the quote) or ``omnibus`` (a wrong "was" price)."""

    kind: str
    channel: str
    product: str
    variant: str
    currency: str
    buyer_a: str
    shown_a: str
    buyer_b: str
    shown_b: str

    def line(self) -> str:
        what = {"buyers": "price differs between buyers", "quote": "price is not the quote"}.get(
            self.kind, "'was' price is not the 30-day low"
        )
        # A listing card shows a product's price, not a variant's.
        where = (
            f"variant {self.variant} (product {self.product})"
            if self.variant
            else f"product {self.product}"
        )
        return (
            f"{what}: {where} in {self.currency} on the {self.channel}: "
            f"{self.buyer_a} {self.shown_a} vs {self.buyer_b} {self.shown_b}"
        )


@dataclass
class AuditReport:
    variants: int = 0
    products: int = 0
    currencies: list[str] = field(default_factory=list)
    buyers: list[dict[str, str]] = field(default_factory=list)
    quotes: int = 0
    reductions: int = 0
    pages: str = "sample"
    pages_read: int = 0
    listing_pages_read: int = 0
    cards: int = 0
    rules: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "variants": self.variants,
            "products": self.products,
            "currencies": self.currencies,
            "buyers": self.buyers,
            "quotes": self.quotes,
            "reductions_checked": self.reductions,
            "pages": self.pages,
            "pages_read": self.pages_read,
            "listing_pages_read": self.listing_pages_read,
            "cards": self.cards,
            "rules": self.rules,
            "rolled_back": True,
            "differences": [asdict(d) for d in self.differences],
        }


def documented_rules() -> list[str]:
    """The rules that may make two quotes differ, as the audit states them."""
    rules = [
        "a price is the seller's price of the variant in the currency, the same on every channel",
        "a public reduction is a price change for everyone; a 'was' price shown with it is the "
        f"lowest price of the {OMNIBUS_DAYS} days before the reduction (EU Omnibus)",
        "VAT and shipping follow the delivery address and parcel, and are not compared",
    ]
    rules += [f"scheme {s.code}: {s.description}" for s in schemes()]
    return rules


# --- the synthetic buyers ---------------------------------------------------------------------


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "localhost"
        if host and not host.startswith(".") and "*" not in host:
            return host
    return "localhost"


def _make_account(buyer: SyntheticBuyer, index: int, seller: Seller | None) -> Any:
    """An account that old, with a saved address at the buyer's postcode and its past orders
    (completed, spread over the account's life). Written inside the audit's transaction."""
    from agora.accounts.addresses import AddressInput, address_create
    from agora.accounts.models import Address, User
    from agora.orders.models import Order

    now = clock.now()
    joined = now - timedelta(days=buyer.account_age_days or 0)
    user = User.objects.create_user(
        email=f"price-audit-{index}-{buyer.name}@audit.invalid", password=None
    )
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    address = address_create(
        user=user,
        data=AddressInput(
            name="Price Audit",
            line1="Teststraße 1",
            city="Berlin" if buyer.postcode.startswith("1") else "München",
            postcode=buyer.postcode,
            country=COUNTRY,
        ),
        make_default=True,
    )
    Address.objects.filter(pk=address.pk).update(created_at=joined, updated_at=joined)
    if seller is not None and buyer.orders:
        span = max((buyer.account_age_days or 1) - 31, 1)
        Order.objects.bulk_create(
            Order(
                seller=seller,
                buyer=user,
                buyer_ref=f"user:{user.pk}",
                channel=Order.Channel.WEB,
                status=Order.Status.COMPLETED,
                currency="EUR",
                subtotal_minor=2500,
                total_minor=2500,
                ship_country=COUNTRY,
                placed_at=now - timedelta(days=31 + span * i // buyer.orders),
            )
            for i in range(buyer.orders)
        )
    return user


def _client(buyer: SyntheticBuyer, index: int, user: Any | None) -> Client:
    client = Client(
        HTTP_USER_AGENT=buyer.user_agent,
        HTTP_ACCEPT_LANGUAGE=LANGUAGE,
        HTTP_HOST=_host(),
        REMOTE_ADDR=f"192.0.2.{10 + index}",  # TEST-NET-1: one address per buyer
    )
    if user is not None:
        client.force_login(user, backend=_session_backend(user))
    return client


def _session_backend(user: Any) -> str:
    """The first authentication backend that can load ``user`` back from a session (some,
    like the lock-out backend, only refuse sign-ins and load nobody)."""
    from django.contrib.auth import load_backend

    for path in settings.AUTHENTICATION_BACKENDS:
        get_user = getattr(load_backend(path), "get_user", None)
        if get_user is not None and get_user(user.pk) is not None:
            return path
    raise RuntimeError("no authentication backend loads the synthetic buyer's account")


# --- reading what each buyer is shown ---------------------------------------------------------


_VOID_ELEMENTS = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta")
_VOID_ELEMENTS += ("source", "track", "wbr")


class _ProductPage(html.parser.HTMLParser):
    """The prices a product page shows: the headline (``span.now``) with its Omnibus line
    (``p.omnibus``), and each variant's price (``<strong>``) and 30-day low in the chooser."""

    def __init__(self) -> None:
        super().__init__()
        self.selected: str | None = None
        self.headline = ""
        self.headline_was = ""
        self.variants: dict[str, list[str]] = {}
        self._stack: list[tuple[str, str]] = []
        self._variant: str | None = None
        self._done: set[str] = set()

    VOID = frozenset(_VOID_ELEMENTS)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "input" and a.get("name") == "variant":
            if a.get("type") == "radio":
                self._variant = a.get("value") or ""
                self.variants[self._variant] = ["", ""]
                if "checked" in a:
                    self.selected = self._variant
            elif a.get("type") == "hidden":
                self.selected = a.get("value")
        if tag in self.VOID:
            return
        mark = ""
        # The first of each is the product's; later ones belong to the cards of other products.
        if tag == "span" and "now" in classes and "now" not in self._done:
            mark = "now"
        elif tag == "p" and "omnibus" in classes and "omnibus" not in self._done:
            mark = "omnibus"
        elif self._variant and tag == "strong":
            mark = "variant-price"
        elif self._variant and tag == "span" and "muted" in classes:
            mark = "variant-was"
        self._stack.append((tag, mark))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._variant = None
        if any(open_tag == tag for open_tag, _ in self._stack):
            while self._stack:
                open_tag, mark = self._stack.pop()
                if mark in ("now", "omnibus"):
                    self._done.add(mark)
                if open_tag == tag:
                    break

    def handle_data(self, data: str) -> None:
        marks = {mark for _, mark in self._stack}
        if "now" in marks:
            self.headline += data
        elif "omnibus" in marks:
            self.headline_was += data
        elif self._variant and "variant-price" in marks:
            self.variants[self._variant][0] += data
        elif self._variant and "variant-was" in marks:
            self.variants[self._variant][1] += data


class _ListingPage(html.parser.HTMLParser):
    """The cards of a category or search page: each card's product (from its link to
    ``/p/<id>/``) and the price it shows (``span.now`` in ``p.price``, "" for "Not sold in …"),
    and the number of pages the listing has (the highest number in its pagination)."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[tuple[str, str]] = []
        self.pages = 1
        self._depth = 0  # open tags inside the current card (0: outside any card)
        self._product = ""
        self._price: list[str] | None = None
        self._price_depth = 0
        self._shown = ""
        self._in_pagination = 0

    VOID = frozenset(_VOID_ELEMENTS)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "ul" and "pagination" in classes:
            self._in_pagination = 1
        elif self._in_pagination and tag not in self.VOID:
            self._in_pagination += 1
        if tag == "article" and "card" in classes and not self._depth:
            self._depth, self._product, self._price, self._shown = 1, "", None, ""
            return
        if not self._depth or tag in self.VOID:
            return
        self._depth += 1
        href = a.get("href") or ""
        if tag == "a" and not self._product and href.startswith("/p/"):
            self._product = href.removeprefix("/p/").strip("/")
        if self._price is not None:
            self._price_depth += 1
        elif tag == "span" and "now" in classes:
            self._price, self._price_depth = [], 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_pagination:
            self._in_pagination -= 1
        if not self._depth or tag in self.VOID:
            return
        if self._price is not None:
            self._price_depth -= 1
            if self._price_depth == 0:
                self._shown = " ".join("".join(self._price).split())
                self._price = None
        self._depth -= 1
        if self._depth == 0:
            self.cards.append((self._product, self._shown))

    def handle_data(self, data: str) -> None:
        if self._price is not None:
            self._price.append(data)
        elif self._in_pagination and data.strip().isdigit():
            self.pages = max(self.pages, int(data.strip()))


@dataclass
class _Seen:
    """Observations: (channel, variant public id, currency) → buyer → what was shown."""

    shown: dict[tuple[str, str, str], dict[str, str]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    was: dict[tuple[str, str, str], dict[str, str]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    count: int = 0

    def add(self, channel: str, variant: str, currency: str, buyer: str, shown: str) -> None:
        self.shown[(channel, variant, currency)][buyer] = shown
        self.count += 1


def _api_prices(client: Client, buyer: str, seen: _Seen, wanted: set[str]) -> None:
    cursor = ""
    while True:
        path = "/api/v1/products?limit=100" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code} for {buyer}")
        page = response.json()
        for product in page["items"]:
            for variant in product["variants"]:
                if variant["id"] not in wanted:
                    continue
                for price in variant["prices"]:
                    seen.add(
                        CHANNEL_API,
                        variant["id"],
                        price["currency"],
                        buyer,
                        str(price["amount_minor"]),
                    )
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return


def _buyer_cart(client: Client, user: Any | None) -> Cart:
    response = client.get("/api/v1/cart")  # creates it, and sets the csrftoken cookie
    if response.status_code != 200:
        raise RuntimeError(f"GET /api/v1/cart answered {response.status_code}")
    if user is not None:
        return Cart.objects.get(buyer=user, status=Cart.Status.OPEN)
    token = client.session[GUEST_CART_SESSION_KEY]
    return Cart.objects.get(session_key=token, buyer=None, status=Cart.Status.OPEN)


def _cart_prices(
    client: Client,
    buyer: SyntheticBuyer,
    cart: Cart,
    currency: str,
    variants: list[tuple[int, str]],
    seen: _Seen,
) -> None:
    """Every variant through the buyer's own cart, MAX_CART_LINES at a time: the lines are put
    in directly (adding them one by one over HTTP costs minutes and prices nothing), the cart is
    read over HTTP, as the cart page and checkout read it."""
    CartLine.objects.filter(cart=cart).delete()
    Cart.objects.filter(pk=cart.pk).update(currency=currency)
    csrf = client.cookies["csrftoken"].value
    answer = client.put(
        "/api/v1/cart/destination",
        {"country": COUNTRY, "postcode": buyer.postcode},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    if answer.status_code != 200:
        raise RuntimeError(f"PUT /api/v1/cart/destination answered {answer.status_code}")
    now = clock.now()
    for start in range(0, len(variants), MAX_CART_LINES):
        chunk = variants[start : start + MAX_CART_LINES]
        CartLine.objects.bulk_create(
            CartLine(cart_id=cart.pk, variant_id=pk, quantity=1, added_at=now) for pk, _ in chunk
        )
        response = client.get("/api/v1/cart")
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/v1/cart answered {response.status_code}")
        summary = response.json()
        if summary["currency"] != currency:
            raise RuntimeError(f"the cart is in {summary['currency']}, not {currency}")
        for group in summary["sellers"]:
            for line in group["lines"]:
                unit = line["unit_price"]
                seen.add(
                    CHANNEL_CART,
                    line["variant_id"],
                    currency,
                    buyer.name,
                    str(unit["amount_minor"]) if unit and line["available"] else "not on sale",
                )
        CartLine.objects.filter(cart=cart).delete()


def _choose_currency(client: Client, currency: str) -> None:
    answer = client.post("/currency/", {"currency": currency, "next": "/"})
    if answer.status_code not in (200, 302):
        raise RuntimeError(f"POST /currency/ answered {answer.status_code}")


def _page_prices(
    client: Client, buyer: str, currency: str, products: list[str], seen: _Seen
) -> None:
    _choose_currency(client, currency)
    for public_id in products:
        response = client.get(f"/p/{public_id}/")
        if response.status_code != 200:
            raise RuntimeError(f"GET /p/{public_id}/ answered {response.status_code} for {buyer}")
        page = _ProductPage()
        page.feed(response.content.decode())
        if page.selected:
            key = (CHANNEL_PAGE, page.selected, currency)
            seen.add(*key, buyer, " ".join(page.headline.split()))
            seen.was[key][buyer] = " ".join(page.headline_was.split())
        for variant, (price, was) in page.variants.items():
            key = (CHANNEL_PAGE_VARIANTS, variant, currency)
            seen.add(*key, buyer, " ".join(price.split()))
            seen.was[key][buyer] = " ".join(was.split())


def _listing_prices(
    client: Client,
    buyer: str,
    currency: str,
    listings: list[tuple[str, str]],
    seen: _Seen,
    every_page: bool,
) -> int:
    """Reads each listing (channel, path) in the currency the buyer chose last (the product
    pages switched it), every page of it or only the first; returns the pages read."""
    read = 0
    for channel, path in listings:
        number, last = 1, 1
        while number <= last:
            url = f"{path}{'&' if '?' in path else '?'}page={number}"
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code} for {buyer}")
            page = _ListingPage()
            page.feed(response.content.decode())
            for product, shown in page.cards:
                seen.add(channel, product, currency, buyer, shown)
            read += 1
            last = page.pages if every_page else 1
            number += 1
    return read


def _listings() -> list[tuple[str, str]]:
    """The search listing of the whole store, and each category page with a published
    product of an active seller on it."""
    slugs = (
        Category.objects.filter(
            products__status=Product.Status.PUBLISHED,
            products__seller__state=SellerState.ACTIVE,
        )
        .order_by("slug")
        .values_list("slug", flat=True)
        .distinct()
    )
    return [(CHANNEL_SEARCH, SEARCH_LISTING)] + [(CHANNEL_CATEGORY, f"/c/{s}/") for s in slugs]


def card_text(amounts: list[int], currency: str) -> str:
    """What an honest card shows for a product whose variants cost ``amounts`` in ``currency``:
    the lowest, as "from …" when they differ, or nothing when none is sold in it."""
    if not amounts:
        return ""
    price = format_money({"amount_minor": min(amounts), "currency": currency})
    return gettext("from %(price)s") % {"price": price} if len(set(amounts)) > 1 else price


# --- the audit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Variant:
    pk: int
    public_id: str
    product: str


@contextmanager
def _rolled_back() -> Iterator[None]:
    """Everything inside is undone at the end, success or failure."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def audit_prices(
    *,
    buyers: tuple[SyntheticBuyer, ...] = BUYERS,
    pages: str = "sample",
    sample: int = PAGE_SAMPLE,
    progress: Callable[[str], None] | None = None,
) -> AuditReport:
    """Runs the audit (see the module docstring) and returns its report; writes nothing that
    outlives it.

    The product pages are the slowest part (70 ms each): ``pages="all"`` reads every page in
    every currency for every buyer; ``"sample"`` (the default) reads every page in every
    currency for the first buyer, which checks every "was" price and every page price against
    the quote, and ``sample`` pages per currency for each other buyer (the products with a
    reduction first, then those with several variants, then the others), which is where a
    personalised branch in the page's code shows; ``"none"`` reads no page."""
    if pages not in PAGE_MODES:
        raise ValueError(f"pages must be one of {', '.join(PAGE_MODES)}, not {pages!r}")
    if sample < 1:
        raise ValueError(f"the page sample must be at least 1, not {sample}")
    with _rolled_back():
        return _audit(buyers, pages, sample, progress or (lambda _: None))


def _sampled(
    products: list[str],
    currency: str,
    variants: dict[int, _Variant],
    expected_was: dict[tuple[str, str], int | None],
    sample: int,
) -> list[str]:
    reduced = {v.product for v in variants.values() if expected_was.get((v.public_id, currency))}
    counts: dict[str, int] = defaultdict(int)
    for v in variants.values():
        counts[v.product] += 1
    ranked = sorted(products, key=lambda p: (p not in reduced, counts[p] < 2, products.index(p)))
    return ranked[:sample]


def _audit(
    buyers: tuple[SyntheticBuyer, ...], pages: str, sample: int, progress: Callable[[str], None]
) -> AuditReport:
    report = AuditReport(
        buyers=[{"name": b.name, "is": b.describe()} for b in buyers],
        rules=documented_rules(),
        pages=pages,
    )
    rows = (
        Variant.objects.filter(
            product__status=Product.Status.PUBLISHED, product__seller__state=SellerState.ACTIVE
        )
        .order_by("product_id", "position", "id")
        .values_list("pk", "public_id", "product__public_id")
    )
    variants = {pk: _Variant(pk, public_id, product) for pk, public_id, product in rows}
    by_currency: dict[str, list[int]] = defaultdict(list)
    for variant_id, currency in Price.objects.filter(variant_id__in=list(variants)).values_list(
        "variant_id", "currency"
    ):
        by_currency[currency].append(variant_id)
    report.variants = len(variants)
    report.products = len({v.product for v in variants.values()})
    report.currencies = sorted(by_currency)
    products = list(dict.fromkeys(v.product for v in variants.values()))
    wanted = {v.public_id for v in variants.values()}

    # What the rules say each buyer must be shown: the quote, and the 30-day low from history.
    expected: dict[tuple[str, str], int] = {}
    expected_was: dict[tuple[str, str], int | None] = {}
    for currency, ids in by_currency.items():
        listed = dict(
            Price.objects.filter(variant_id__in=ids, currency=currency).values_list(
                "variant_id", "amount_minor"
            )
        )
        lows = lowest_prior_prices(variant_ids=ids, currency=currency, days=OMNIBUS_DAYS)
        for variant_id, q in quote_many(ids, channel="api", currency=currency).items():
            key = (variants[variant_id].public_id, currency)
            expected[key] = q.amount_minor
            low = lows.get(variant_id)
            expected_was[key] = low if low is not None and low > listed[variant_id] else None
    if pages != "none":  # the product page is where reductions are shown
        report.reductions = sum(1 for low in expected_was.values() if low is not None)

    seller = Seller.objects.filter(state=SellerState.ACTIVE).order_by("pk").first()
    listings = _listings() if pages != "none" else []
    seen = _Seen()
    for index, buyer in enumerate(buyers):
        progress(f"buyer {index + 1} of {len(buyers)}: {buyer.name} ({buyer.describe()})")
        user = _make_account(buyer, index, seller) if buyer.account_age_days is not None else None
        client = _client(buyer, index, user)
        _api_prices(client, buyer.name, seen, wanted)
        cart = _buyer_cart(client, user)
        for currency in report.currencies:
            chosen = [(pk, variants[pk].public_id) for pk in by_currency[currency]]
            _cart_prices(client, buyer, cart, currency, chosen, seen)
            if pages == "all" or (pages == "sample" and index == 0):
                read = products
            elif pages == "sample":
                read = _sampled(products, currency, variants, expected_was, sample)
            else:
                read = []
            _page_prices(client, buyer.name, currency, read, seen)
            report.pages_read += len(read)
            if listings:  # _page_prices switched the buyer to this currency, pages or not
                every_page = pages == "all" or index == 0
                report.listing_pages_read += _listing_prices(
                    client, buyer.name, currency, listings, seen, every_page
                )
    report.quotes = seen.count
    report.cards = sum(
        len(by_buyer) for key, by_buyer in seen.shown.items() if key[0] in CARD_CHANNELS
    )
    with translation.override(LANGUAGE):
        report.differences = _compare(buyers, seen, expected, expected_was, variants)
    return report


def _compare(
    buyers: tuple[SyntheticBuyer, ...],
    seen: _Seen,
    expected: dict[tuple[str, str], int],
    expected_was: dict[tuple[str, str], int | None],
    variants: dict[int, _Variant],
) -> list[Difference]:
    product_of = {v.public_id: v.product for v in variants.values()}
    # What each product's card must show: its variants' quotes in the currency.
    amounts_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (variant, currency), amount in expected.items():
        amounts_of[(product_of[variant], currency)].append(amount)
    reference = buyers[0].name
    found: list[Difference] = []

    def note(kind: str, key: tuple[str, str, str], a: str, x: str, b: str, y: str) -> None:
        channel, variant, currency = key
        if channel in CARD_CHANNELS:  # keyed by product
            found.append(Difference(kind, channel, variant, "", currency, a, x, b, y))
            return
        product = product_of.get(variant, "?")
        found.append(Difference(kind, channel, product, variant, currency, a, x, b, y))

    for key, by_buyer in sorted(seen.shown.items()):
        channel, variant, currency = key
        base = by_buyer.get(reference, "not shown")
        for buyer in buyers[1:]:
            if buyer.name not in by_buyer and channel in SAMPLED_CHANNELS:
                continue  # a page outside this buyer's sample
            shown = by_buyer.get(buyer.name, "not shown")
            if shown != base:
                note("buyers", key, reference, base, buyer.name, shown)
        amount = expected.get((variant, currency))
        if channel in CARD_CHANNELS:
            want = card_text(amounts_of.get((variant, currency), []), currency)
        elif channel in (CHANNEL_API, CHANNEL_CART):
            want = str(amount) if amount is not None else "not on sale"
        else:
            want = (
                format_money({"amount_minor": amount, "currency": currency})
                if amount is not None
                else ""
            )
        for buyer, shown in by_buyer.items():
            if shown != want:
                note("quote", key, "quote", want, buyer, shown)
    for key, by_buyer in sorted(seen.was.items()):
        channel, variant, currency = key
        low = expected_was.get((variant, currency))
        want = format_money({"amount_minor": low, "currency": currency}) if low is not None else ""
        for buyer, shown in by_buyer.items():
            if (want and want not in shown) or (not want and shown):
                lowest = f"30-day low {want}" if want else "no reduction, no 'was' price"
                note("omnibus", key, "price history", lowest, buyer, shown or "none shown")
    return found
