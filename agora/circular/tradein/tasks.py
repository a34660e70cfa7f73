"""Background tasks of trade-in, run by ``agora worker``."""

from __future__ import annotations

from django.tasks import task


@task()
def tradein_sweep() -> dict[str, int]:
    """Expires quotes and revised offers past their date (every 15 minutes)."""
    from agora.circular.tradein.services import tradein_expire_due

    return {"expired": tradein_expire_due()}
