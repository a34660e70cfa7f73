"""How long the webhook delivery log is kept (registered in ``apps.py`` through the
``privacy.retention_rules`` extension point; see :mod:`agora.core.retention`)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agora.core.retention import Action, RetentionRule


def _finished_deliveries() -> QuerySet:
    """Deliveries still waiting for an attempt stay, whatever their age."""
    from agora.webhooks.models import WebhookDelivery

    return WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.PENDING)


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            kind="webhooks.deliveries",
            model="webhooks.WebhookDelivery",
            age_field="created_at",
            days=30,
            action=Action.DELETE,
            title=_("Webhook deliveries to sellers' systems and their log (bodies and answers)"),
            counted_from=_("from the event"),
            reason=_(
                "The bodies copy order facts; a month covers a seller's replay and debugging."
            ),
            rows=_finished_deliveries,
        ),
    ]
