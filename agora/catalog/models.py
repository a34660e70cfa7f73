"""The catalogue: categories, products, variants, attributes and media.

Translatable text lives in a ``translations`` JSON object per row,
``{"zh-hans": {"title": "…", "description": "…"}}``: each field is translated on its own and
falls back to the default-language column when missing.
"""

from __future__ import annotations

from django.db import models

from agora.core.ids import PublicIdField


class Category(models.Model):
    public_id = PublicIdField(prefix="cat")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    translations = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A named property products may carry (material, colour, capacity)."""

    class ValueType(models.TextChoices):
        TEXT = "text"
        NUMBER = "number"
        BOOLEAN = "boolean"
        CHOICE = "choice"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    value_type = models.CharField(max_length=10, choices=ValueType)
    choices = models.JSONField(default=list, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    translations = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.code


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        ARCHIVED = "archived"

    public_id = PublicIdField(prefix="prod")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    language = models.CharField(
        max_length=10, default="en", help_text="language of title/description"
    )
    translations = models.JSONField(default=dict, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "slug"], name="product_slug_per_seller")
        ]
        indexes = [
            models.Index(fields=["status", "public_id"], name="product_status_pid_idx"),
            models.Index(fields=["seller", "public_id"], name="product_seller_pid_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Variant(models.Model):
    public_id = PublicIdField(prefix="var")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    # Denormalised from product so "SKU unique per seller" is a database constraint.
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    gtin = models.CharField(
        max_length=14, blank=True, help_text="GTIN-8/12/13/14, check digit valid"
    )
    title = models.CharField(max_length=200, blank=True)
    # Per-field translations of the variant's own text, like a product's: {"zh-hans": {"title"}}.
    translations = models.JSONField(default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True, help_text='e.g. {"size": "M"}')
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku"], name="sku_unique_per_seller")
        ]

    def __str__(self) -> str:
        return self.sku


class ProductMedia(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image"
        MODEL = "model", "3D model (glTF)"
        VIDEO = "video"

    public_id = PublicIdField(prefix="med")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=Kind)
    url = models.CharField(max_length=500, help_text="absolute URL or path under MEDIA_URL")
    alt = models.CharField(max_length=300, blank=True)
    translations = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "product media"

    def __str__(self) -> str:
        return self.url


class ProductTextHistory(models.Model):
    """Earlier values of a product's text (e.g. descriptions that changed over time in an
    import), kept so a change of name is explainable."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="text_history")
    field = models.CharField(max_length=30)
    value = models.TextField()
    valid_from = models.DateTimeField()
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["product", "field", "valid_from"]
        verbose_name_plural = "product text history"

    def __str__(self) -> str:
        return f"{self.field} of {self.product_id} from {self.valid_from:%Y-%m-%d}"


class CategoryCommission(models.Model):
    """A seller's commission for one category (and its sub-categories), overriding the seller's
    default. It lives here, not in marketplace, because it keys on a category and catalog sits
    above marketplace in the layers."""

    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    commission_bps = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "category"], name="one_commission_per_category"
            ),
            models.CheckConstraint(
                condition=models.Q(commission_bps__lte=10000),
                name="category_commission_at_most_100pct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commission_bps} bps, seller {self.seller_id}, category {self.category_id}"
