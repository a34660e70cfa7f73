"""What recommendations learn from and what buyers chose about them.

``Signal`` is the compact interaction table: one row per (buyer, product, kind, day, source
reference), its ``weight`` accumulating (units bought, units returned, views that day). Rows
refer to catalogue and order rows by plain ids, not foreign keys: commerce never depends on a
capability's tables, and ``agora recs rebuild`` can always recreate purchases and returns from the
orders. Buyers are named as checkout names them (``user:<pk>`` or ``guest:<hash>``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Signal(models.Model):
    class Kind(models.IntegerChoices):
        VIEW = 1, "view"
        CART_ADD = 2, "cart add"
        PURCHASE = 3, "purchase"
        RETURN = 4, "return"
        RATING = 5, "rating"
        NOT_INTERESTED = 6, "not interested"

    buyer = models.CharField(max_length=64)
    product_id = models.BigIntegerField()
    variant_id = models.BigIntegerField(null=True, blank=True)
    kind = models.PositiveSmallIntegerField(choices=Kind)
    weight = models.FloatField(help_text="units bought or returned, views that day, stars")
    day = models.DateField()
    ref = models.CharField(max_length=40, blank=True, help_text="the order's public id")
    country = models.CharField(max_length=60, blank=True, help_text="where a purchase shipped")

    class Meta:
        db_table = "recs_signal"
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "product_id", "kind", "day", "ref"], name="recs_signal_once"
            )
        ]
        indexes = [
            models.Index(fields=["ref"], name="recs_signal_ref_idx"),
            models.Index(fields=["kind", "day"], name="recs_signal_kind_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} {self.get_kind_display()} {self.product_id}"


class Preference(models.Model):
    """A signed-in buyer's choice about recommendations (DSA Art. 38): ``profiled`` False means
    every list they see is the same one everybody sees, built from nothing about them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    profiled = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "recs_preference"

    def __str__(self) -> str:
        return f"{self.user_id}: {'profiled' if self.profiled else 'not profiled'}"
