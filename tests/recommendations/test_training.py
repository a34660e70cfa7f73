"""Training by command and by task; serving picks up the newer model."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agora.core import schedule
from agora.recommendations import serving
from agora.recommendations.models import Signal
from agora.recommendations.tasks import recs_train
from agora.recommendations.training import models_dir
from tests.recommendations.conftest import Shop


def test_train_command_saves_a_model_that_serving_loads(shop: Shop) -> None:
    out, err = StringIO(), StringIO()
    call_command("recs", "train", "--today", "2026-05-20", "--json", stdout=out, stderr=err)
    answer = json.loads(out.getvalue().strip().splitlines()[-1])
    assert answer["users"] == 6 and answer["items"] == 7 and answer["purchases"] == 24
    assert "training:" in err.getvalue()  # progress on stderr
    assert (models_dir() / "LATEST").read_text() == answer["model"]
    assert serving.model_name() == answer["model"]
    # A newer model replaces it in a running process (checked every few seconds; forced here).
    second = recs_train.call()
    assert second["trained"] is True and second["model"] != answer["model"]
    serving.current_model(force=True)
    assert serving.model_name() == second["model"]


def test_bad_input_and_nothing_to_learn_are_errors(shop: Shop) -> None:
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("recs", "train", "--today", "yesterday")
    Signal.objects.all().delete()
    with pytest.raises(CommandError, match="no purchases to learn from"):
        call_command("recs", "train", verbosity=0)
    assert recs_train.call()["trained"] is False


def test_training_is_scheduled_daily() -> None:
    job = next(j for j in schedule.jobs() if j.name == "recs.train")
    assert job.every.days == 1 and job.task is recs_train
