"""Image uploads: decoded and stored, recorded as media; a non-image or a refused record leaves
no file behind."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.catalog.models import ProductMedia
from agora.catalog.uploads import media_upload
from agora.core.errors import AgoraError
from tests.conftest import SYSTEM, make_product

pytestmark = pytest.mark.django_db


def png(name: str = "cup.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_image_is_stored_and_recorded(seller, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    product = make_product(seller)
    media = media_upload(
        actor=SYSTEM,
        product=product,
        file=png(),
        alt="A red cup",
        translations={"zh-hans": {"alt": "红色杯子"}},
    )
    assert media.kind == "image" and media.url.startswith("/media/products/")
    assert media.url.endswith(".png") and "cup" not in media.url  # the name is ours, not theirs
    stored = media.url.removeprefix("/media/")
    assert default_storage.exists(stored)
    assert media.translations == {"zh-hans": {"alt": "红色杯子"}}


def test_a_file_that_is_not_an_image_is_refused(seller, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    product = make_product(seller)
    fake = SimpleUploadedFile("cup.png", b"<svg>not a png</svg>", content_type="image/png")
    with pytest.raises(AgoraError) as caught:
        media_upload(actor=SYSTEM, product=product, file=fake)
    assert caught.value.errors[0].field == "file"
    assert not ProductMedia.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_refused_record_removes_the_stored_file(seller, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    product = make_product(seller)
    with pytest.raises(AgoraError):  # alt longer than its column
        media_upload(actor=SYSTEM, product=product, file=png(), alt="x" * 301)
    assert not ProductMedia.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
