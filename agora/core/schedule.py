"""Periodic jobs: apps register them in ``AppConfig.ready()``; ``agora scheduler`` enqueues each
as a task when it is due. The scheduler only enqueues, the worker runs, so a slow job never
delays the clock of the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.tasks import Task


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Task
    # Cheap check run by the scheduler; when it returns False nothing is enqueued this round.
    when: Callable[[], bool] | None = None


_JOBS: dict[str, PeriodicJob] = {}


def every(
    interval: timedelta,
    task: Task,
    *,
    name: str | None = None,
    when: Callable[[], bool] | None = None,
) -> PeriodicJob:
    job = PeriodicJob(name or task.module_path, interval, task, when)
    _JOBS[job.name] = job
    return job


def jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())
