# Address book (accounts.addresses) and buyer API keys (accounts.buyer_keys).

import agora.core.ids
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_api_key_seller'),
    ]

    operations = [
        migrations.CreateModel(
            name='Address',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', agora.core.ids.PublicIdField(prefix='adr')),
                ('label', models.CharField(blank=True, help_text='e.g. Home, Office', max_length=60)),
                ('name', models.CharField(max_length=100)),
                ('company', models.CharField(blank=True, max_length=100)),
                ('line1', models.CharField(max_length=200)),
                ('line2', models.CharField(blank=True, max_length=200)),
                ('city', models.CharField(max_length=100)),
                ('region', models.CharField(blank=True, max_length=100)),
                ('postcode', models.CharField(blank=True, max_length=20)),
                ('country', models.CharField(help_text='ISO 3166-1 alpha-2', max_length=2)),
                ('phone', models.CharField(blank=True, max_length=40)),
                ('vat_id', models.CharField(blank=True, help_text='normalised, business buyers', max_length=32)),
                ('is_default', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['-is_default', 'created_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='apikey',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='api_keys', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='apikey',
            name='kind',
            field=models.CharField(choices=[('seller', 'Seller'), ('app', 'App'), ('buyer', "a buyer's own key (reads their orders)")], default='seller', max_length=10),
        ),
        migrations.AddConstraint(
            model_name='apikey',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'buyer'), _negated=True), models.Q(('user__isnull', False), ('seller__isnull', True)), _connector='OR'), name='buyer_key_has_a_user_and_no_seller'),
        ),
        migrations.AddField(
            model_name='address',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addresses', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='address',
            constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('user',), name='one_default_address_per_user'),
        ),
    ]
