"""Data retention: the table of rules every app declares (``rules``), the check of the
``AGORA_RETENTION`` setting (``checks``) and the daily sweep that applies it (``sweep``).

Each app registers its own rules through the ``privacy.retention_rules`` extension point
(:mod:`agora.core.retention`), so privacy reads and deletes other apps' rows only through the
rules they hand it and never imports their models.
"""
