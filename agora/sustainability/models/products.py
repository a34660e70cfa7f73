"""A seller's carbon footprint for a product, with the basis it rests on (part S2).

Traceability's passport has a free-text carbon figure; this row is the one that says *how the
number was obtained* (an LCA study, an EPD, a supplier's declaration, or a published category
average from ``products/category_averages.csv``), when, and which document or table row it
comes from. The passport page shows this row when there is one (``product_footprint``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core.ids import PublicIdField

__all__ = ["ProductFootprint"]


class ProductFootprint(models.Model):
    class Basis(models.TextChoices):
        LCA = "lca", _("life-cycle assessment (LCA) study")
        EPD = "epd", _("environmental product declaration (EPD)")
        SUPPLIER = "supplier", _("supplier declaration")
        CATEGORY_AVERAGE = "category_average", _("published category average")

    public_id = PublicIdField(prefix="pfp")
    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    kg_co2e = models.DecimalField(max_digits=12, decimal_places=3)
    basis = models.CharField(max_length=20, choices=Basis)
    # The study's title, the EPD registration number or the supplier's declaration reference;
    # for a category average the row key of the averages table.
    reference = models.CharField(max_length=300)
    # For a category average: how many of the row's functional unit one product unit holds
    # (0.1 for a 100 g tea caddy when the average is per kg of tea).
    functional_units = models.DecimalField(max_digits=10, decimal_places=4, default=1)
    assessed_on = models.DateField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.public_id
