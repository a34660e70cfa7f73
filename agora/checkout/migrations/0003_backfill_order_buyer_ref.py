"""Orders placed before ``Order.buyer_ref`` existed learn who bought them from their checkout
(the only place a guest's reference was kept). Written here because checkout owns that
reference; orders' own migration cannot read checkout's table without a cycle."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat


def backfill(apps, schema_editor):
    Checkout = apps.get_model("checkout", "Checkout")
    Order = apps.get_model("orders", "Order")
    Order.objects.filter(buyer_ref="", buyer__isnull=False).update(
        buyer_ref=Concat(
            Value("user:"), Cast(F("buyer_id"), output_field=Order._meta.get_field("buyer_ref"))
        )
    )
    for public_id, owner in Checkout.objects.filter(owner__startswith="guest:").values_list(
        "public_id", "owner"
    ):
        Order.objects.filter(checkout_ref=public_id, buyer_ref="").update(buyer_ref=owner)


class Migration(migrations.Migration):
    dependencies = [("checkout", "0002_checkout_flow"), ("orders", "0003_order_buyer_ref")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
