"""Uploading a product image: the file is checked as an image (Pillow decodes it), stored under
MEDIA_ROOT with an unguessable name, and recorded through :func:`media_add`. A refused record
removes the stored file, so nothing is left half-written."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from agora.catalog.models import Product, ProductMedia
from agora.catalog.services import media_add
from agora.core.actors import Actor
from agora.core.errors import invalid
from agora.core.ids import new_public_id
from agora.marketplace.permissions import require_seller_access

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# Pillow format name → file extension; formats browsers show everywhere.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def image_format(file: UploadedFile) -> str:
    """The file's image format (by decoding it, not by its name), or a refusal naming why."""
    if file.size is None or file.size > MAX_IMAGE_BYTES:
        raise invalid("file", f"is {file.size} bytes; at most {MAX_IMAGE_BYTES} are allowed")
    try:
        file.seek(0)
        with Image.open(file) as image:
            found = image.format or ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise invalid("file", f"{file.name!r} is not a readable image") from exc
    finally:
        file.seek(0)
    if found not in IMAGE_FORMATS:
        raise invalid(
            "file", f"{found or 'unknown'} images are not accepted; use {', '.join(IMAGE_FORMATS)}"
        )
    return found


def media_upload(
    *,
    actor: Actor,
    product: Product,
    file: UploadedFile,
    alt: str = "",
    translations: dict[str, Any] | None = None,
) -> ProductMedia:
    """Stores an uploaded image for ``product`` and adds it to the product's media."""
    require_seller_access(actor, product.seller, "catalog:write")
    extension = IMAGE_FORMATS[image_format(file)]
    name = default_storage.save(
        f"products/{product.public_id}/{new_public_id('img')}.{extension}", file
    )
    try:
        return media_add(
            actor=actor,
            product=product,
            kind=ProductMedia.Kind.IMAGE,
            url=default_storage.url(name),
            alt=alt,
            translations=translations,
        )
    except Exception:
        default_storage.delete(name)
        raise
