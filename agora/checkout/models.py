"""Checkout's tables: the operator's VAT rates, sellers' shipping, and buyers' carts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.ids import PublicIdField
from agora.core.vault.people import person_profile

MAX_LINE_QUANTITY = 999  # per cart line; a merge caps at it, an add beyond it is refused
MAX_CART_LINES = 100


class TaxRate(models.Model):
    """One VAT rate the operator can edit: a country's rate for a category from a date, or,
    with a postcode pattern, the standard rate of a territory (Canary Islands: 0)."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 (GR for Greece)")
    category = models.CharField(
        max_length=30, help_text="standard, reduced, reduced2, super_reduced, parking, …"
    )
    rate = models.DecimalField(max_digits=6, decimal_places=3, help_text="percent, e.g. 19.000")
    postcode_pattern = models.CharField(
        max_length=100, blank=True, help_text="regular expression over the whole postcode"
    )
    name = models.CharField(max_length=100, blank=True, help_text="territory, for exceptions")
    valid_from = models.DateField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["country", "category", "postcode_pattern", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "category", "postcode_pattern", "valid_from"],
                name="one_tax_rate_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0) & models.Q(rate__lte=100),
                name="tax_rate_is_a_percent",
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.country} {self.name or self.postcode_pattern}".strip()
        return f"{where} {self.category} {self.rate} % from {self.valid_from}"


class SellerTaxProfile(models.Model):
    """How a seller's prices are stored: tax-inclusive (the default for consumer shops in the
    EU) or tax-exclusive. Without a row the setting AGORA_PRICES_INCLUDE_TAX decides."""

    seller = models.OneToOneField("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    prices_include_tax = models.BooleanField(default=True)

    def __str__(self) -> str:
        mode = "inclusive" if self.prices_include_tax else "exclusive"
        return f"seller {self.seller_id}: prices tax-{mode}"


class ShippingZone(models.Model):
    public_id = PublicIdField(prefix="shz")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    countries = models.JSONField(default=list, help_text='ISO alpha-2 codes, e.g. ["DE", "AT"]')
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ShippingMethod(models.Model):
    public_id = PublicIdField(prefix="shm")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="methods")
    name = models.CharField(max_length=100)
    carrier_code = models.CharField(max_length=40, help_text="e.g. dhl, ups, own-courier")
    min_delivery_days = models.PositiveIntegerField()
    max_delivery_days = models.PositiveIntegerField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_delivery_days__lte=models.F("max_delivery_days")),
                name="shipping_days_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.carrier_code})"


class ShippingRate(models.Model):
    """A weight band of a method: ``weight_from_grams ≤ w < weight_to_grams`` (no upper bound
    when ``weight_to_grams`` is null) costs ``amount_minor``; free when the seller's subtotal
    reaches ``free_over_minor``."""

    public_id = PublicIdField(prefix="shr")
    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="rates")
    weight_from_grams = models.PositiveIntegerField(default=0)
    weight_to_grams = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    free_over_minor = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["method", "currency", "weight_from_grams"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gte=0), name="shipping_rate_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(weight_to_grams__isnull=True)
                | models.Q(weight_to_grams__gt=models.F("weight_from_grams")),
                name="shipping_band_not_empty",
            ),
        ]

    def __str__(self) -> str:
        upper = self.weight_to_grams if self.weight_to_grams is not None else "∞"
        return f"{self.weight_from_grams}-{upper} g: {self.amount_minor} {self.currency}"


class Cart(models.Model):
    """A basket that may hold several sellers' goods; checkout splits it per seller. A buyer
    has at most one open cart (it follows them across devices); a guest's cart is found by a
    random token kept in their server-side session and is merged into the buyer's on login."""

    class Status(models.TextChoices):
        OPEN = "open"
        MERGED = "merged", "merged into a buyer's cart"
        CHECKED_OUT = "checked_out", "checked out"

    public_id = PublicIdField(prefix="cart")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True, help_text="guest token")
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    currency = models.CharField(max_length=3)
    country = models.CharField(max_length=2, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    vat_id = models.CharField(max_length=32, blank=True, help_text="normalised, B2B buyers")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["buyer"],
                condition=models.Q(status="open", buyer__isnull=False),
                name="one_open_cart_per_buyer",
            ),
            models.UniqueConstraint(
                fields=["session_key"],
                condition=models.Q(status="open") & ~models.Q(session_key=""),
                name="one_open_cart_per_guest",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="one_line_per_variant"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1) & models.Q(quantity__lte=MAX_LINE_QUANTITY),
                name="cart_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} * variant {self.variant_id}"


class Checkout(models.Model):
    """One attempt to pay for a cart: the record of a flow that spans several transactions and a
    provider call (DESIGN.md §4), so a crash at any point can be resumed or compensated by the
    sweep (:mod:`agora.checkout.flow.sweep`). The stock it holds is reserved under ``public_id``
    and its orders carry ``checkout_ref = public_id``."""

    class State(models.TextChoices):
        STARTED = "started"
        ORDERS_PLACED = "orders_placed", "orders placed, payment not asked yet"
        AUTHORIZING = "authorizing", "asking the payment provider"
        REQUIRES_ACTION = "requires_action", "waiting for 3-D Secure"
        PAID = "paid"
        REFUNDING = "refunding", "paid but not fulfillable: refunding"
        FAILED = "failed", "payment refused: compensated"
        COMPENSATED = "compensated", "abandoned or crashed: compensated"

    public_id = PublicIdField(prefix="chk")
    cart = models.ForeignKey(Cart, on_delete=models.PROTECT, related_name="checkouts")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.CharField(max_length=80, help_text="user:<pk> or guest:<token digest>")
    idempotency_key = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=State, default=State.STARTED)
    # Who it is for, in the vault: the buyer's person, or a guest's (their email and the
    # delivery address sealed there, not here).
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField(default=0)
    shipping_choices = models.JSONField(default=dict, blank=True)
    payment = models.ForeignKey(
        "payments.PaymentIntent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.JSONField(null=True, blank=True, help_text="the problem that ended it")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"], name="one_checkout_per_key_and_owner"
            ),
        ]
        indexes = [models.Index(fields=["state", "updated_at"], name="checkout_state_idx")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.state}"

    @property
    def email(self) -> str:
        """Where the confirmation goes: the buyer's or guest's email, opened from the vault
        (empty once they are erased)."""
        return person_profile(self.person).email if self.person_id else ""
