"""``agora worker``: runs background tasks from the database queue (django-tasks-db).

It is django-tasks-db's ``db_worker`` with quieter defaults: at the normal verbosity only task
failures are logged (every successful outbox sweep would otherwise print two lines), ``-v 2``
shows each task, ``-v 3`` debugging detail.
"""

from __future__ import annotations

import logging

from django_tasks_db.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = "Run background tasks (outbox dispatch and others) until stopped; --batch to drain."

    def configure_logging(self, verbosity: int) -> None:
        levels = {0: logging.CRITICAL, 1: logging.WARNING, 2: logging.INFO}
        super().configure_logging(2)
        level = levels.get(verbosity, logging.DEBUG)
        for name in ("django.tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
