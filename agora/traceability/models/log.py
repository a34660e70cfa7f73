"""The transparency log's tables (part B): entries, stored subtree hashes, the head, checkpoints.

Rows here are only ever inserted (the head's size only grows); ``log_append`` is the one writer
of entries and nodes, ``checkpoint_sign`` of checkpoints. Anyone can recompute every hash from
the entries' bytes (``agora trace audit``), so a changed byte shows up as a mismatch.
"""

from __future__ import annotations

from django.db import models

__all__ = ["LogCheckpoint", "LogEntry", "LogHead", "LogNode"]


class LogHead(models.Model):
    """The one row that says how many entries the log holds; appends lock it, which puts every
    append in one order (the log's order) on PostgreSQL as SQLite's write lock does anyway."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "trace_log_head"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="trace_log_one_head")]

    def __str__(self) -> str:
        return f"log head: {self.size} entries"


class LogEntry(models.Model):
    """One logged record: the bytes the leaf hash covers and what they are about. The index is
    the leaf's position in the tree, public by design (proofs and checkpoints name it)."""

    index = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=64, help_text="what was logged, e.g. epcis.event")
    ref = models.CharField(max_length=512, help_text="its public id within the kind")
    data = models.BinaryField(help_text="RFC 8785 canonical JSON bytes, hashed as the leaf")
    leaf_hash = models.BinaryField(max_length=32, help_text="SHA-256(0x00 || data)")
    logged_at = models.DateTimeField()

    class Meta:
        db_table = "trace_log_entry"
        indexes = [models.Index(fields=["kind", "ref", "index"], name="trace_log_entry_ref")]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind} {self.ref}"


class LogNode(models.Model):
    """The hash of one perfect subtree, stored when it completes. ``key`` is the in-order
    number of (level, position) (see ``log/proofs.py``), so any set of nodes is one primary-key
    lookup and a proof never rehashes leaves."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    class Meta:
        db_table = "trace_log_node"

    def __str__(self) -> str:
        return f"node {self.key}"


class LogCheckpoint(models.Model):
    """A signed tree head: the C2SP checkpoint note as published, and its size and root for
    queries. Re-signing the same size (a new key) adds a row; the latest row is the current."""

    size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    origin = models.CharField(max_length=255)
    note = models.TextField(help_text="the signed note: checkpoint body, blank line, signatures")
    signed_at = models.DateTimeField()

    class Meta:
        db_table = "trace_log_checkpoint"
        indexes = [models.Index(fields=["size"], name="trace_log_checkpoint_size")]

    def __str__(self) -> str:
        return f"checkpoint {self.origin} #{self.size}"
