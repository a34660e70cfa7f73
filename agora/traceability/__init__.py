"""Verifiable traceability: an append-only Merkle log anyone can check offline (RFC 9162)."""
