"""Request and response schemas of the cart and shipping endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, StrictBool, StrictInt

from agora.api.schemas import MoneyOut, StrictInput


class CartLineIn(StrictInput):
    variant_id: str = Field(max_length=40, examples=["var_01jd3k6n2w9y8x7v5t4s3r2q1p"])
    quantity: StrictInt = Field(description="1 to 999")


class CartQuantityIn(StrictInput):
    quantity: StrictInt = Field(description="1 to 999; DELETE the line to remove it")


class DestinationIn(StrictInput):
    country: str = Field(max_length=2, examples=["DE"])
    postcode: str = Field(default="", max_length=20)
    vat_id: str = Field(default="", max_length=32, description="business buyers: e.g. ATU…")


class LineTaxOut(BaseModel):
    rate: str
    net: MoneyOut
    tax: MoneyOut
    gross: MoneyOut


class CartLineOut(BaseModel):
    variant_id: str
    product_id: str
    sku: str
    title: str = Field(description="the product's name and the variant's, e.g. 'Mug — Set of 4'")
    variant_title: str = Field(description="the variant's own name ('' when it has none)")
    quantity: int
    weight_grams: int | None
    available: bool
    unavailable_reason: str | None
    unit_price: MoneyOut | None
    line_total: MoneyOut
    tax_category: str
    tax: LineTaxOut | None


class ShippingOptionOut(BaseModel):
    method_id: str
    name: str
    carrier_code: str
    zone: str
    min_delivery_days: int
    max_delivery_days: int
    price: MoneyOut
    free: bool


class ProblemOut(BaseModel):
    type: str
    title: str
    detail: str


class ShippingOut(BaseModel):
    options: list[ShippingOptionOut]
    problem: ProblemOut | None


class GroupTaxOut(BaseModel):
    regime: str
    notes: list[str]
    net: MoneyOut
    tax: MoneyOut
    gross: MoneyOut
    by_rate: dict[str, MoneyOut]


class SellerRefOut(BaseModel):
    id: str
    name: str
    country: str


class SellerGroupOut(BaseModel):
    seller: SellerRefOut
    prices_include_tax: bool
    lines: list[CartLineOut]
    subtotal: MoneyOut
    weight_grams: int
    shipping: ShippingOut | None
    tax: GroupTaxOut | None
    tax_problem: ProblemOut | None = None


class DestinationOut(BaseModel):
    country: str
    postcode: str
    vat_id: str


class TotalsOut(BaseModel):
    items: MoneyOut
    tax: MoneyOut | None
    items_gross: MoneyOut | None


class CartOut(BaseModel):
    id: str
    currency: str
    destination: DestinationOut | None
    sellers: list[SellerGroupOut]
    line_count: int
    totals: TotalsOut
    updated_at: datetime


# --- seller shipping --------------------------------------------------------------------------


class ZoneIn(StrictInput):
    name: str = Field(max_length=100, examples=["EU core"])
    countries: list[str] = Field(max_length=300, examples=[["DE", "AT"]])


class MethodIn(StrictInput):
    name: str = Field(max_length=100, examples=["Standard"])
    carrier_code: str = Field(max_length=40, examples=["dhl"])
    min_delivery_days: StrictInt = Field(ge=0, le=365, examples=[2])
    max_delivery_days: StrictInt = Field(ge=0, le=365, examples=[4])
    active: StrictBool = True


class MethodPatchIn(StrictInput):
    active: StrictBool


class RateIn(StrictInput):
    weight_from_grams: StrictInt = Field(ge=0, examples=[0])
    weight_to_grams: StrictInt | None = Field(default=None, ge=1, examples=[1000])
    currency: str = Field(max_length=3, examples=["EUR"])
    amount_minor: StrictInt = Field(ge=0, examples=[490])
    free_over_minor: StrictInt | None = Field(default=None, ge=0, examples=[5000])


class RateOut(BaseModel):
    id: str
    weight_from_grams: int
    weight_to_grams: int | None
    price: MoneyOut
    free_over: MoneyOut | None


class MethodOut(BaseModel):
    id: str
    zone_id: str
    name: str
    carrier_code: str
    min_delivery_days: int
    max_delivery_days: int
    active: bool
    rates: list[RateOut]


class ZoneOut(BaseModel):
    id: str
    name: str
    countries: list[str]
    methods: list[MethodOut]
