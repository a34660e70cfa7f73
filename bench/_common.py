"""Shared scaffolding of the benchmarks: a throw-away data directory, a real ``agora serve`` on a
free port, a load driver of processes and threads, and percentile maths.

Benchmarks print progress to stderr and exactly one JSON object, on the last line of stdout.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import multiprocessing
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    """Progress for the human watching; stdout is reserved for the one JSON object."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def emit(result: dict[str, Any]) -> None:
    print(json.dumps(result, sort_keys=False), flush=True)


# --- environment ------------------------------------------------------------------------------


@contextlib.contextmanager
def data_dir(keep: bool = False) -> Iterator[Path]:
    """A fresh AGORA_DATA_DIR, removed afterwards unless ``keep``."""
    path = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    try:
        yield path
    finally:
        if keep:
            log(f"kept data directory {path}")
        else:
            shutil.rmtree(path, ignore_errors=True)


def agora_env(data: Path, database_url: str | None) -> dict[str, str]:
    """The environment of every agora process of one run: its own data dir and database,
    DEBUG off (DEBUG records every query and would distort the figures)."""
    env = dict(os.environ)
    env["AGORA_DATA_DIR"] = str(data)
    env["DEBUG"] = "0"
    env["DJANGO_SETTINGS_MODULE"] = "agora.settings"
    env.setdefault("LOG_LEVEL", "WARNING")
    env.setdefault("AGORA_LOG_LEVEL", "WARNING")
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def agora_command() -> list[str]:
    """The ``agora`` console script of the running interpreter's environment."""
    script = Path(sys.executable).parent / "agora"
    return [str(script)] if script.exists() else [sys.executable, "-m", "agora"]


def run_agora(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([*agora_command(), *args], env=env, check=True, stdout=sys.stderr, cwd=REPO)


def database_kind(database_url: str | None) -> str:
    if not database_url:
        return "sqlite"
    scheme = urlsplit(database_url).scheme
    if scheme.startswith("postgres"):
        return "postgresql"
    if scheme.startswith("sqlite"):
        return "sqlite"
    raise SystemExit(f"--database-url {database_url!r}: expected postgres://… or sqlite:///…")


def postgres_prepare(database_url: str, *, recreate: bool) -> None:
    """Create the benchmark's PostgreSQL database if it is missing. An existing one is used only
    when it holds no Agora tables yet, or dropped and created again with ``recreate``: a
    benchmark never writes into a database someone else may be using."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"--database-url {database_url!r} names no database")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
            return
    with psycopg.connect(database_url) as conn:
        used = conn.execute("SELECT to_regclass('catalog_product') IS NOT NULL").fetchone()[0]
    if used:
        raise SystemExit(
            f"database {name!r} already holds Agora tables; pass --recreate to drop and create "
            "it again, or name another database"
        )


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def agora_server(
    env: dict[str, str],
    *,
    workers: int,
    probe: str,
    timeout: float = 60,
    task_worker: bool = False,
) -> Iterator[int]:
    """Run ``agora serve --no-worker`` (or, with ``task_worker``, ``agora serve`` with its task
    worker and scheduler) on a free port until the block ends; yields the port once ``probe``
    answers 200."""
    port = free_port()
    cmd = [*agora_command(), "serve", "--port", str(port), "--workers", str(workers)]
    if not task_worker:
        cmd.insert(-4, "--no-worker")
    log("starting " + " ".join(cmd[1:]))
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=sys.stderr, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"agora serve exited with code {proc.returncode} before answering")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", probe)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    break
                raise SystemExit(f"GET {probe} answered {response.status} while starting")
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"agora serve did not answer on port {port} within {timeout}s")
            time.sleep(0.2)
        log(f"server answering on port {port}")
        yield port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# --- load driver ------------------------------------------------------------------------------

# A step factory is a module-level function ``factory(spec, seed) -> step`` run inside each
# worker thread; ``step()`` performs one "request" and returns None when it succeeded or a short
# description of the failure. Factories and their specs must pickle (workers are spawned).
StepFactory = Callable[[Any, int], Callable[[], str | None]]


def _worker_process(
    factory: StepFactory,
    spec: Any,
    threads: int,
    seed: int,
    start: float,
    warm_until: float,
    end: float,
    results: Any,
) -> None:
    latencies = array("d")
    failures: list[str] = []
    counts = {"errors": 0}
    lock = threading.Lock()

    def run(thread_seed: int) -> None:
        try:
            step = factory(spec, thread_seed)
        except Exception:
            with lock:
                failures.append(traceback.format_exc(limit=3))
                counts["errors"] += 1
            return
        mine = array("d")
        errors = 0
        failure = None
        while time.time() < start:
            time.sleep(0.001)
        while True:
            t0 = time.perf_counter()
            try:
                outcome = step()
            except Exception as exc:
                outcome = f"{type(exc).__name__}: {exc}"
            done = time.time()
            if done >= end:
                break
            if done >= warm_until:
                if outcome is None:
                    mine.append(time.perf_counter() - t0)
                else:
                    errors += 1
                    failure = failure or outcome
        with lock:
            latencies.extend(mine)
            counts["errors"] += errors
            if failure:
                failures.append(failure)

    pool = [threading.Thread(target=run, args=(seed * 1000 + i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    results.put((latencies.tobytes(), counts["errors"], failures[:3]))


@dataclass
class Sample:
    """Latencies (seconds) and failures of one or more measured windows; ``+`` pools them."""

    latencies: array = field(default_factory=lambda: array("d"))
    duration: float = 0.0
    errors: int = 0
    failures: list[str] = field(default_factory=list)

    def __add__(self, other: Sample) -> Sample:
        return Sample(
            self.latencies + other.latencies,
            self.duration + other.duration,
            self.errors + other.errors,
            (self.failures + other.failures)[:3],
        )

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.duration if self.duration else 0.0

    def summary(self) -> dict[str, Any]:
        out = summarize(self.latencies, self.duration, self.errors)
        if self.failures:
            out["first_errors"] = self.failures
        return out


def drive(
    factory: StepFactory,
    spec: Any,
    *,
    processes: int,
    concurrency: int,
    duration: float,
    warmup: float,
    seed: int = 1,
) -> Sample:
    """Run ``concurrency`` loops of ``step()`` spread over ``processes`` spawned processes for
    ``warmup`` + ``duration`` seconds; the sample covers the ``duration`` window only."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    per = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    start = time.time() + 1.5 + 0.3 * processes  # time to spawn and import before the gun
    warm_until = start + warmup
    end = warm_until + duration
    procs = [
        ctx.Process(
            target=_worker_process,
            args=(factory, spec, n, seed * 100 + i, start, warm_until, end, results),
        )
        for i, n in enumerate(per)
        if n
    ]
    for p in procs:
        p.start()
    sample = Sample(duration=duration)
    for _ in procs:
        while True:
            try:
                raw, errs, fails = results.get(timeout=1)
                break
            except queue.Empty:
                dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                if dead or time.time() > end + 120:
                    for p in procs:
                        p.kill()
                    raise SystemExit(f"load processes failed (exit codes {dead})") from None
        sample.latencies.frombytes(raw)
        sample.errors += errs
        sample.failures = (sample.failures + fails)[:3]
    for p in procs:
        p.join()
    return sample


# --- figures ----------------------------------------------------------------------------------


def percentile(ordered: Any, q: float) -> float:
    """The q-th percentile (0..100) of an ascending sequence, linearly interpolated between the
    closest ranks (numpy's default)."""
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(latencies: Any, duration: float, errors: int) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "req_per_s": round(len(ordered) / duration, 1),
        "p50_ms": round(percentile(ordered, 50) * 1000, 2),
        "p99_ms": round(percentile(ordered, 99) * 1000, 2),
        "requests": len(ordered),
        "errors": errors,
    }


# --- one-shot bursts: N clients released together, one flow each ------------------------------

# A flow factory is a module-level function ``factory(spec, index) -> flow`` run inside a worker
# thread before the gun (open connections there); ``flow()`` runs client ``index``'s one flow
# and returns a short outcome ("completed", "out_of_stock", or an error kind).
FlowFactory = Callable[[Any, int], Callable[[], str]]


@dataclass
class Shot:
    """One client's flow: its outcome, when it started and ended (seconds after the gun)."""

    index: int
    outcome: str
    start: float
    end: float
    detail: str = ""

    @property
    def latency(self) -> float:
        return self.end - self.start


def _burst_process(
    factory: FlowFactory, spec: Any, indexes: list[int], gun: float, results: Any
) -> None:
    shots: list[tuple[int, str, float, float, str]] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            flow = factory(spec, index)
        except Exception:
            with lock:
                shots.append((index, "setup_error", 0.0, 0.0, traceback.format_exc(limit=3)))
            return
        while time.time() < gun:
            time.sleep(0.0005)
        t0 = time.time()
        detail = ""
        try:
            outcome = flow()
        except Exception as exc:
            outcome, detail = "exception", f"{type(exc).__name__}: {exc}"
        t1 = time.time()
        if isinstance(outcome, tuple):
            outcome, detail = outcome
        with lock:
            shots.append((index, outcome, t0 - gun, t1 - gun, detail[:300]))

    pool = [threading.Thread(target=run, args=(i,)) for i in indexes]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    results.put(shots)


def burst(
    factory: FlowFactory, spec: Any, *, clients: int, processes: int, timeout: float = 600
) -> list[Shot]:
    """Run ``clients`` flows at once from ``processes`` spawned processes (threads inside),
    released together by a start time all of them wait for (the barrier); returns one
    :class:`Shot` per client."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    processes = max(1, min(processes, clients))
    groups = [list(range(i, clients, processes)) for i in range(processes)]
    gun = time.time() + 2.0 + 0.4 * processes + clients / 500  # spawn, import, connect
    procs = [
        ctx.Process(target=_burst_process, args=(factory, spec, g, gun, results)) for g in groups
    ]
    for p in procs:
        p.start()
    shots: list[Shot] = []
    for _ in procs:
        while True:
            try:
                got = results.get(timeout=1)
                break
            except queue.Empty:
                dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                if dead or time.time() > gun + timeout:
                    for p in procs:
                        p.kill()
                    raise SystemExit(f"burst processes failed (exit codes {dead})") from None
        shots.extend(Shot(*s) for s in got)
    for p in procs:
        p.join()
    late = sum(1 for s in shots if s.start > 0.25)
    if late:
        log(f"warning: {late} clients started more than 0.25 s after the gun (not ready)")
    return shots
