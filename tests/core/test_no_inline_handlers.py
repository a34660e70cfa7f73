"""The Content-Security-Policy refuses inline event handlers and ``javascript:`` links, so a
template with one has a dead control (the pick list's Print button had one): none may remain."""

from __future__ import annotations

import re
from pathlib import Path

import agora

INLINE = re.compile(r"\son[a-z]+\s*=\s*[\"']|href\s*=\s*[\"']javascript:", re.IGNORECASE)


def test_no_template_has_an_inline_event_handler() -> None:
    root = Path(agora.__file__).parent
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("templates/**/*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert not found, found
