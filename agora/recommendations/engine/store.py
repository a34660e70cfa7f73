"""Saving and loading a trained :class:`Model`: ``arrays.npz`` (numpy, no pickles) and
``model.json`` (ids, configuration, facts). Loading only maps arrays and parses JSON, so it takes
milliseconds for the demo and well under a second for the Online Retail catalogue; a directory is
written to a sibling temporary folder first and renamed, so a reader never sees half a model.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from agora.recommendations.engine.model import BlendConfig, Model

FORMAT = 1
ARRAYS = (
    "user_items",
    "user_scores",
    "user_sources",
    "user_evidence",
    "item_items",
    "item_scores",
    "item_sources",
    "item_evidence",
    "popular_items",
    "popular_buyers",
)


class ModelFileError(Exception):
    """A model directory that cannot be loaded; the message names the file and the problem."""


def save(model: Model, directory: Path | str) -> None:
    """Writes the model into ``directory`` (created or replaced as a whole)."""
    target = Path(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        np.savez(staging / "arrays.npz", **{name: getattr(model, name) for name in ARRAYS})
        document = {
            "format": FORMAT,
            "today": model.today.isoformat(),
            "config": model.config.as_dict(),
            "meta": model.meta,
            "users": model.users,
            "items": model.items,
            "countries": model.countries,
            "item_terms": model.item_terms,
            "negative": model.negative,
        }
        (staging / "model.json").write_text(json.dumps(document, ensure_ascii=False))
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
            os.replace(target, retired / target.name)
            os.replace(staging, target)
            shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def load(directory: Path | str) -> Model:
    """Reads a model written by :func:`save`; raises :class:`ModelFileError` otherwise."""
    source = Path(directory)
    try:
        document = json.loads((source / "model.json").read_text())
    except FileNotFoundError as exc:
        raise ModelFileError(f"{source}: no model.json (not a saved model)") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{source / 'model.json'}: not valid JSON: {exc}") from exc
    if document.get("format") != FORMAT:
        raise ModelFileError(
            f"{source / 'model.json'}: format {document.get('format')!r}; expected {FORMAT}"
        )
    try:
        with np.load(source / "arrays.npz", allow_pickle=False) as arrays:
            loaded = {name: arrays[name] for name in ARRAYS}
    except (OSError, KeyError, ValueError) as exc:
        raise ModelFileError(f"{source / 'arrays.npz'}: cannot be read: {exc}") from exc
    try:
        return Model(
            users=document["users"],
            items=document["items"],
            countries=document["countries"],
            today=datetime.date.fromisoformat(document["today"]),
            config=BlendConfig(**document["config"]),
            meta=document["meta"],
            item_terms=document["item_terms"],
            negative=document["negative"],
            **loaded,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(f"{source / 'model.json'}: missing or wrong field: {exc}") from exc
