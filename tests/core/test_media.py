"""Uploaded images are served from MEDIA_ROOT, and nothing else is."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "catalog").mkdir(parents=True)
    (tmp_path / "media" / "catalog" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (tmp_path / "media" / "notes.html").write_text("<script>alert(1)</script>")
    (tmp_path / "secret.txt").write_text("outside")
    return tmp_path


def test_an_uploaded_image_is_served_with_safe_headers(media) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/media/catalog/a.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db  # the friendly 404 page reads the visitor's cart
@pytest.mark.parametrize(
    "path",
    ["/media/notes.html", "/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/no.png"],
)
def test_anything_else_is_not_found(media, path: str) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(path).status_code == 404
