"""A person's rights over their data: export (GDPR Art. 15 and 20) and erasure (Art. 17)."""
