"""Certificate documents: checked by content (a PDF's header, or an image Pillow can decode),
stored under MEDIA_ROOT with an unguessable name, and served only by the evidence page with
their checked type (never as HTML, ``nosniff``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from agora.core.errors import invalid
from agora.core.ids import new_public_id

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
               "WEBP": ("image/webp", "webp")}  # fmt: skip
SERVED_TYPES = frozenset({"application/pdf", *(t for t, _ in IMAGE_TYPES.values())})


@dataclass(frozen=True)
class StoredDocument:
    path: str
    name: str
    content_type: str


def document_type(file: UploadedFile) -> tuple[str, str]:
    """(content type, extension) of an accepted certificate file, or a refusal naming why."""
    if file.size is None or file.size > MAX_DOCUMENT_BYTES:
        raise invalid("document", f"is {file.size} bytes; at most {MAX_DOCUMENT_BYTES} are allowed")
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return "application/pdf", "pdf"
    try:
        with Image.open(file) as image:
            found = image.format or ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = ""
    finally:
        file.seek(0)
    if found not in IMAGE_TYPES:
        raise invalid(
            "document",
            f"{file.name!r} is not a PDF, PNG, JPEG or WebP file; upload the certificate",
        )
    return IMAGE_TYPES[found]


def document_store(file: UploadedFile, *, product_public_id: str) -> StoredDocument:
    content_type, extension = document_type(file)
    path = default_storage.save(
        f"sustainability/evidence/{product_public_id}/{new_public_id('doc')}.{extension}", file
    )
    return StoredDocument(path, (file.name or "certificate")[:200], content_type)


def document_exists(path: str) -> bool:
    return bool(path) and default_storage.exists(path)


def document_delete(path: str) -> None:
    if path and default_storage.exists(path):
        default_storage.delete(path)
