"""A checkout names the person it is for (a guest's email sealed in the vault) instead of keeping
the email in clear (issue 8 item 1)."""

import django.db.models.deletion
from django.db import migrations, models


def into_vault(apps, schema_editor):  # type: ignore[no-untyped-def]
    from agora.core.vault.migrating import person_insert

    person_model = apps.get_model("core", "Person")
    checkout_model = apps.get_model("checkout", "Checkout")
    for checkout in checkout_model.objects.select_related("buyer__person").iterator():
        if checkout.buyer_id is not None:
            checkout.person = checkout.buyer.person
        elif checkout.email:
            checkout.person = person_insert(person_model, email=checkout.email)
        else:
            continue
        checkout.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0003_backfill_order_buyer_ref"),
        ("accounts", "0005_vault"),
        ("core", "0002_person_vault"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkout",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.person",
            ),
        ),
        migrations.RunPython(into_vault, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="checkout", name="email"),
    ]
