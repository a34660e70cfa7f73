"""Progress for long commands (``agora search reindex``, ``agora recs …``): a rich bar on a
terminal, a line per tenth of the way elsewhere (logs, CI), nothing at verbosity 0."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def counter(
    label: str, *, command: Any, verbosity: int
) -> Iterator[Callable[[int, int], None] | None]:
    """Yields ``report(done, total)`` (or None when quiet)."""
    if verbosity == 0:
        yield None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return
    last = [-1]

    def report(done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if tenth != last[0]:
            last[0] = tenth
            command.stderr.write(f"{label}: {done} of {total}")

    yield report


@contextlib.contextmanager
def stages(
    label: str, *, command: Any, verbosity: int
) -> Iterator[Callable[[str, float], None] | None]:
    """Yields ``report(stage, fraction)`` for work told in named stages (training)."""
    if verbosity == 0:
        yield None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=1.0)

            def update(stage: str, fraction: float) -> None:
                bar.update(task, completed=fraction, description=f"{label}: {stage}")

            yield update
        return
    last = [""]

    def report(stage: str, fraction: float) -> None:
        if stage != last[0]:
            last[0] = stage
            command.stderr.write(f"{label}: {stage} ({fraction:.0%})")

    yield report
