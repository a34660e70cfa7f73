"""Tests for agora.traceability."""
