"""Orders refer to the person they were bought for and keep the delivery address sealed under
that person's key (issue 8 item 1); only the country stays readable."""

import django.db.models.deletion
from django.db import migrations, models


def into_vault(apps, schema_editor):  # type: ignore[no-untyped-def]
    from agora.core.vault.migrating import person_insert, seal_for

    person_model = apps.get_model("core", "Person")
    order_model = apps.get_model("orders", "Order")
    for order in order_model.objects.exclude(ship_to={}).select_related("buyer__person"):
        address = dict(order.ship_to or {})
        if order.buyer_id is not None:
            person = order.buyer.person
        else:
            person = person_insert(person_model, email=str(address.get("email") or ""))
        street = {k: str(v) for k, v in address.items() if k not in ("country", "email") and v}
        order.person = person
        if street:
            order.ship_to_sealed = seal_for(person, street, purpose=f"order:{order.public_id}")
        order.save(update_fields=["person", "ship_to_sealed"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_order_refunds"),
        ("accounts", "0005_vault"),
        ("core", "0002_person_vault"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.person",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="ship_to_sealed",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.RunPython(into_vault, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="order", name="ship_to"),
    ]
