"""The real worker process (``agora worker --batch``) dispatches what a commit enqueued."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from agora.core.events import publish
from agora.core.models import AuditEntry, EventDelivery, OutboxEvent
from tests.conftest import SYSTEM, make_product, make_seller
from tests.core.worker_handlers import EVENT, HANDLER, WorkerPinged

ROOT = Path(__file__).resolve().parents[2]
AGORA = str(Path(sys.executable).with_name("agora"))


def database_url() -> str:
    """The database this test is using, as a DATABASE_URL for a child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=database_url(), PYTHONPATH=str(ROOT))
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.django_db(transaction=True)
def test_worker_process_dispatches_a_committed_event() -> None:
    """The real entry point: publishing a product commits a product.published event and
    enqueues the dispatch task; the worker runs it and marks the event dispatched."""
    from agora.catalog.services import product_publish

    seller = make_seller("worker")
    product = make_product(seller, "Kettle")
    OutboxEvent.objects.all().delete()  # price events of the set-up; this test is about one
    DBTaskResult.objects.all().delete()
    product_publish(actor=SYSTEM, product=product)
    row = OutboxEvent.objects.get(name="product.published")
    assert row.payload["product_id"] == product.public_id
    assert row.dispatched_at is None
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "agora.core.tasks.outbox_dispatch"

    run([AGORA, "worker", "--batch"])

    row.refresh_from_db()
    assert row.dispatched_at is not None
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value["events"] == 1


@pytest.mark.django_db(transaction=True)
def test_worker_process_applies_a_handler_once() -> None:
    with transaction.atomic():
        event_id = publish(WorkerPinged(note="hello"))
    code = (
        "import tests.core.worker_handlers as h; h.register(); "
        "from agora.cli import main; main(['worker', '--batch'])"
    )
    run([sys.executable, "-c", code])

    effects = AuditEntry.objects.filter(action="tests.worker_handled", target_id=event_id)
    assert [e.changes for e in effects] == [{"note": "hello"}]
    delivery = EventDelivery.objects.get(event__public_id=event_id, handler=HANDLER)
    assert delivery.status == EventDelivery.Status.DONE and delivery.attempts == 1
    assert OutboxEvent.objects.get(public_id=event_id).dispatched_at is not None
    assert OutboxEvent.objects.get(public_id=event_id).name == EVENT

    # a second worker run (e.g. the scheduler's sweep enqueued another round) changes nothing
    DBTaskResult.objects.all().delete()
    run([AGORA, "outbox", "--dispatch"])
    run(
        [
            sys.executable,
            "-c",
            code.replace("main(['worker', '--batch'])", "main(['outbox', '--dispatch'])"),
        ]
    )
    assert effects.count() == 1
