"""Users' emails and names and their saved addresses move into the vault (issue 8 item 1):
each user gets a person, found by the email digest; each address is sealed under it."""

import django.db.models.deletion
from django.db import migrations, models

SEALED = ("name", "company", "line1", "line2", "city", "region", "postcode", "phone", "vat_id")


def into_vault(apps, schema_editor):  # type: ignore[no-untyped-def]
    from agora.core.vault.migrating import person_insert, seal_for

    person_model = apps.get_model("core", "Person")
    user_model = apps.get_model("accounts", "User")
    address_model = apps.get_model("accounts", "Address")
    for user in user_model.objects.filter(person__isnull=True).iterator():
        person = person_insert(person_model, email=user.email, name=user.display_name)
        user.person, user.email_digest = person, person.email_digest
        user.save(update_fields=["person", "email_digest"])
    for address in address_model.objects.select_related("user__person").iterator():
        record = {name: getattr(address, name) or "" for name in SEALED}
        address.sealed = seal_for(
            address.user.person, record, purpose=f"address:{address.public_id}"
        )
        address.save(update_fields=["sealed"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_account_security"),
        ("core", "0002_person_vault"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="person",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="user",
                to="core.person",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="email_digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="address",
            name="sealed",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.RunPython(into_vault, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="user", name="email"),
        migrations.RemoveField(model_name="user", name="display_name"),
        *[migrations.RemoveField(model_name="address", name=name) for name in SEALED],
        migrations.AlterField(
            model_name="user",
            name="email_digest",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
