"""Pure generation of the demo store: from a seed to a :class:`DemoSpec` of plain data.

Nothing here touches the database, so the whole catalogue (titles, translations, GTINs, VAT
ids, prices, stock) is tested without one; :mod:`agora.demo.build` then writes the spec through
the services. The same seed always gives the same spec. The product lines themselves are in
:mod:`agora.demo.lines`, the check digits and shop prices in :mod:`agora.demo.numbers`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.text import slugify

from agora.demo import data
from agora.demo.lines import LINES, image_url, model_url
from agora.demo.numbers import charm_price, complete_vat_id, gtin13

DEFAULT_SEED = 2026
CURRENCIES = ("EUR", "GBP", "CNY")
# Fixed demo exchange rates from the EUR base price (good enough for a shop window; real
# conversion belongs to crossborder, with dated rates).
RATES = {"EUR": Decimal("1"), "GBP": Decimal("0.86"), "CNY": Decimal("7.80")}
# Price stories, in days before now: a reduction (the EU 30-day prior price then shows the
# higher price) and a rise.
REDUCED_FROM_DAYS, REDUCED_AT_DAYS = 45, 8
RAISED_FROM_DAYS, RAISED_AT_DAYS = 75, 20

OPERATOR_PASSWORD = "operator-demo-2026"
BUYER_PASSWORD = "buyer-demo-2026"
OWNER_PASSWORD_SUFFIX = "-demo-2026"


# --- the spec -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    email: str
    display_name: str
    language: str
    password: str
    role: str  # operator | owner | buyer


@dataclass(frozen=True)
class MediaSpec:
    kind: str  # image | model
    url: str
    alt: str
    alt_zh: str


@dataclass(frozen=True)
class VariantSpec:
    sku: str
    gtin: str
    title: str
    options: dict[str, str]
    weight_grams: int
    prices: dict[str, int]  # currency → minor units, the price now
    earlier_prices: dict[str, int]  # the price before the last change; empty when steady
    stock: tuple[int, ...]  # units per seller location, in the seller's location order
    title_zh: str = ""  # the title in Simplified Chinese ("" when it reads the same)


@dataclass(frozen=True)
class ProductSpec:
    slug: str
    title: str
    description: str
    title_zh: str
    description_zh: str
    category: str
    attributes: dict[str, Any]
    variants: tuple[VariantSpec, ...]
    media: tuple[MediaSpec, ...]
    price_story: str  # steady | reduced | raised

    @property
    def translations(self) -> dict[str, dict[str, str]]:
        return {"zh-hans": {"title": self.title_zh, "description": self.description_zh}}


@dataclass(frozen=True)
class SellerSpec:
    data: data.SellerData
    vat_id: str
    owner: UserSpec
    products: tuple[ProductSpec, ...]

    @property
    def slug(self) -> str:
        return self.data.slug


@dataclass(frozen=True)
class DemoSpec:
    seed: int
    operator: UserSpec
    buyers: tuple[UserSpec, ...]
    sellers: tuple[SellerSpec, ...]
    categories: tuple[tuple[str, str, str, str], ...] = data.CATEGORIES
    attributes: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = data.ATTRIBUTES

    @property
    def products(self) -> list[ProductSpec]:
        return [p for s in self.sellers for p in s.products]


# --- prices -------------------------------------------------------------------------------------


def _prices(base_eur: Decimal) -> dict[str, int]:
    return {c: charm_price(base_eur * RATES[c], c) for c in CURRENCIES}


def _earlier_prices(base_eur: Decimal, story: str, factor: Decimal) -> dict[str, int]:
    """The price before the last change, different from today's in every currency."""
    if story == "steady":
        return {}
    now = _prices(base_eur)
    step = Decimal("0.05") if story == "reduced" else Decimal("-0.05")
    earlier: dict[str, int] = {}
    for currency in CURRENCIES:
        f = factor
        while (value := charm_price(base_eur * f * RATES[currency], currency)) == now[currency]:
            f += step
        earlier[currency] = value
    return earlier


# (warehouse max, store max) units, and the chance a location has none of a variant
_STOCK = {
    "tea": (120, 20, 0.05),
    "ceramics": (40, 12, 0.10),
    "leather": (25, 6, 0.10),
    "bikes": (10, 4, 0.15),
    "accessories": (60, 15, 0.05),
}
_STORE_SELECTION = 0.4  # the chance a shop does not stock a variant


def _stock(rng: random.Random, profile: str, kinds: list[str]) -> tuple[int, ...]:
    if profile == "books":  # second-hand: one copy (rarely two) at one place, some already sold
        units = [0] * len(kinds)
        if rng.random() >= 0.12:
            units[rng.randrange(len(kinds))] = 2 if rng.random() < 0.1 else 1
        return tuple(units)
    warehouse_max, store_max, none = _STOCK[profile]
    # A shop carries a selection of what the warehouse holds.
    return tuple(
        0
        if rng.random() < (none if k == "warehouse" else max(none, _STORE_SELECTION))
        else rng.randint(1, warehouse_max if k == "warehouse" else store_max)
        for k in kinds
    )


def _story(rng: random.Random) -> tuple[str, Decimal]:
    roll = rng.random()
    if roll < 0.18:
        return "reduced", Decimal(rng.choice(["1.15", "1.20", "1.25", "1.30"]))
    if roll < 0.25:
        return "raised", Decimal(rng.choice(["0.90", "0.92", "0.94"]))
    return "steady", Decimal(1)


def _seller(seller: data.SellerData, seed: int) -> SellerSpec:
    rng = random.Random(f"{seed}:{seller.slug}")
    drafts = [d for line, n in seller.lines for d in LINES[line](rng, n)]
    kinds = [loc.kind for loc in seller.locations]
    products, slugs, item = [], set(), 0
    for number, draft in enumerate(drafts, start=1):
        slug = slugify(draft.title)[:120]
        if slug in slugs:
            raise ValueError(f"two demo products of {seller.slug} share the slug {slug!r}")
        slugs.add(slug)
        story, factor = _story(rng)
        variants = []
        for v in draft.variants:
            item += 1
            gtin = v.gtin or gtin13(f"{seller.gs1_prefix}{item:05d}")
            variants.append(
                VariantSpec(
                    sku=f"{seller.sku_prefix}-{number:04d}-{v.code}",
                    gtin=gtin,
                    title=v.title,
                    title_zh=data.variant_title_zh(v.title),
                    options=v.options,
                    weight_grams=v.grams,
                    prices=_prices(v.base_eur),
                    earlier_prices=_earlier_prices(v.base_eur, story, factor),
                    stock=_stock(rng, draft.stock, kinds),
                )
            )
        media = [MediaSpec("image", image_url(*draft.picture), draft.title, draft.title_zh)]
        if draft.model:
            alt_zh = f"3D模型：{draft.title_zh}"  # noqa: RUF001 (Chinese punctuation)
            media.append(
                MediaSpec("model", model_url(draft.model), f"3D model: {draft.title}", alt_zh)
            )
        products.append(
            ProductSpec(
                slug=slug,
                title=draft.title,
                description=draft.description,
                title_zh=draft.title_zh,
                description_zh=draft.description_zh,
                category=draft.category,
                attributes=draft.attributes,
                variants=tuple(variants),
                media=tuple(media),
                price_story=story,
            )
        )
    owner = UserSpec(
        email=seller.owner_email,
        display_name=seller.owner_name,
        language=seller.owner_language,
        password=seller.slug.split("-")[0] + OWNER_PASSWORD_SUFFIX,
        role="owner",
    )
    return SellerSpec(
        data=seller,
        vat_id=complete_vat_id(seller.country, seller.vat_pattern),
        owner=owner,
        products=tuple(products),
    )


def build_spec(seed: int = DEFAULT_SEED) -> DemoSpec:
    """The whole demo store for ``seed``: sellers with their catalogues, and the accounts."""
    email, name = data.OPERATOR
    operator = UserSpec(email, name, "en", OPERATOR_PASSWORD, "operator")
    buyers = tuple(
        UserSpec(f"buyer{i}@demo.agora.test", display, language, BUYER_PASSWORD, "buyer")
        for i, (display, language) in enumerate(data.BUYERS, start=1)
    )
    sellers = tuple(_seller(s, seed) for s in data.SELLERS)
    return DemoSpec(seed=seed, operator=operator, buyers=buyers, sellers=sellers)


def all_users(spec: DemoSpec) -> Iterable[UserSpec]:
    yield spec.operator
    yield from (s.owner for s in spec.sellers)
    yield from spec.buyers
