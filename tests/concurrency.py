"""Running real concurrent transactions in tests: tasks on a bounded thread pool, each with its
own database connection, released at the same moment (the race tests of stock and rental)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from django.db import connection

from agora.core.errors import AgoraError


def run_together(tasks: list[Callable[[], Any]], *, threads: int, timeout: float) -> list[Any]:
    """Each task's result, or ("refused", problem slug, error) for an AgoraError, or ("error",
    repr, exception) for anything else (a database error is a failure the test should show).
    Fails when a task is still running after ``timeout`` seconds (a deadlock)."""
    go = threading.Event()

    def guarded(task: Callable[[], Any]) -> Any:
        go.wait(timeout)
        try:
            return task()
        except AgoraError as exc:
            return ("refused", exc.problem.slug, exc)
        except Exception as exc:
            return ("error", repr(exc), exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(guarded, task) for task in tasks]
        go.set()
        _, not_done = wait(futures, timeout=timeout)
        assert not not_done, f"{len(not_done)} tasks still running after {timeout}s: a deadlock?"
    return [f.result() for f in futures]
