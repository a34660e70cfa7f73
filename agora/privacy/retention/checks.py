"""The system check that refuses a bad ``AGORA_RETENTION`` at start-up (``agora serve``,
``agora migrate``, ``agora check``, ``agora retention`` all run it), naming the kind, the value
and what would be accepted."""

from __future__ import annotations

from django.core import checks

from agora.privacy.retention.rules import setting_problems


@checks.register(checks.Tags.compatibility)
def check_retention_setting(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    return [
        checks.Error(problem.msg, hint=problem.hint, id=problem.id)
        for problem in setting_problems()
    ]
