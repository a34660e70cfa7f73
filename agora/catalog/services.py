"""Use cases of the catalogue. Every write checks the actor's access to the seller, runs in one
transaction, writes the audit log and publishes events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.text import slugify

from agora.catalog import errors
from agora.catalog.events import (
    ProductDeleted,
    ProductPublished,
    ProductUnpublished,
    ProductUpdated,
)
from agora.catalog.models import Attribute, Category, Product, ProductMedia, Variant
from agora.catalog.validation import clean_gtin, clean_translations, language_codes
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record, diff
from agora.core.errors import (
    CONFLICT,
    AgoraError,
    FieldError,
    invalid,
    not_found,
    require_max_length,
)
from agora.core.events import publish
from agora.marketplace.errors import SELLER_NOT_ACTIVE
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access

# The column is a 32-bit integer on PostgreSQL; beyond it a write would fail as a server error.
MAX_WEIGHT_GRAMS = 2_147_483_647


@dataclass
class VariantInput:
    sku: str
    gtin: str = ""
    title: str = ""
    options: dict[str, str] = field(default_factory=dict)
    weight_grams: int | None = None
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


def _clean_attributes(value: dict[str, Any], path: str = "attributes") -> dict[str, Any]:
    if not value:
        return {}
    known = {a.code: a for a in Attribute.objects.filter(code__in=list(value))}
    cleaned: dict[str, Any] = {}
    for code, raw in value.items():
        attribute = known.get(code)
        if attribute is None:
            raise invalid(f"{path}.{code}", "unknown attribute; define it first or leave it out")
        kind = attribute.value_type
        ok = (
            (kind == Attribute.ValueType.TEXT and isinstance(raw, str))
            or (
                kind == Attribute.ValueType.NUMBER
                and isinstance(raw, (int, float))
                and not isinstance(raw, bool)
            )
            or (kind == Attribute.ValueType.BOOLEAN and isinstance(raw, bool))
            or (kind == Attribute.ValueType.CHOICE and raw in attribute.choices)
        )
        if not ok:
            expected = f"one of {attribute.choices}" if kind == "choice" else f"a {kind}"
            raise invalid(f"{path}.{code}", f"{raw!r} is not {expected}")
        cleaned[code] = raw
    return cleaned


def _clean_variant(seller: Seller, data: VariantInput, path: str) -> dict[str, Any]:
    """``path`` locates the variant in the request (``variants[0]``), or is empty when the
    variant is the whole body, so errors name the field as the client sent it."""
    prefix = f"{path}." if path else ""
    sku = (data.sku or "").strip()
    if not sku or len(sku) > 64:
        raise invalid(f"{prefix}sku", "must be 1 to 64 characters")
    if data.weight_grams is not None and not 0 <= data.weight_grams <= MAX_WEIGHT_GRAMS:
        raise invalid(
            f"{prefix}weight_grams", f"{data.weight_grams} is outside 0..{MAX_WEIGHT_GRAMS}"
        )
    return {
        "sku": sku,
        "gtin": clean_gtin(data.gtin, f"{prefix}gtin"),
        "title": _at_most(f"{prefix}title", (data.title or "").strip(), 200),
        "options": {str(k): str(v) for k, v in (data.options or {}).items()},
        "weight_grams": data.weight_grams,
        "translations": clean_translations("variant", data.translations, f"{prefix}translations"),
    }


def _free_slug(taken_in: QuerySet, base: str, max_length: int) -> str:
    """``base``, or ``base-2``, ``base-3``… when taken: a slug derived from a title or name
    never refuses a request; only a slug the client chose can clash."""
    taken = set(
        taken_in.filter(slug__startswith=base[: max_length - 8]).values_list("slug", flat=True)
    )
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return candidate


def _at_most(field_name: str, value: str, limit: int) -> str:
    require_max_length(field_name, value, limit)
    return value


def _sku_taken(sku: str, exc: IntegrityError, path: str) -> AgoraError:
    return AgoraError(
        errors.SKU_TAKEN,
        f"SKU {sku!r} is already used by another of this seller's variants",
        [FieldError(path, "already in use")],
    )


def product_create(
    *,
    actor: Actor,
    seller: Seller,
    title: str,
    description: str = "",
    category: Category | None = None,
    slug: str = "",
    language: str = "en",
    translations: dict[str, Any] | None = None,
    attributes: dict[str, Any] | None = None,
    variants: list[VariantInput] | None = None,
) -> Product:
    """Creates a draft product with its variants."""
    require_seller_access(actor, seller, "catalog:write")
    title = (title or "").strip()
    if not title:
        raise invalid("title", "must not be empty")
    require_max_length("title", title, 300)
    if language not in language_codes():
        raise invalid("language", f"{language!r} is not one of {sorted(language_codes())}")
    explicit_slug = bool(slugify(slug or ""))
    slug = slugify(slug or title, allow_unicode=False)[:120] or f"p-{clock.now():%Y%m%d%H%M%S%f}"
    if not explicit_slug:  # derived from the title: two products may share a title
        slug = _free_slug(Product.objects.filter(seller=seller), slug, 120)
    clean_tr = clean_translations("product", translations)
    clean_attrs = _clean_attributes(attributes or {})
    clean_variants = [
        _clean_variant(seller, v, f"variants[{i}]") for i, v in enumerate(variants or [])
    ]
    skus = [v["sku"] for v in clean_variants]
    if len(set(skus)) != len(skus):
        raise invalid("variants", "two variants share a SKU")
    now = clock.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                product = Product.objects.create(
                    seller=seller,
                    category=category,
                    slug=slug,
                    title=title,
                    description=description or "",
                    language=language,
                    translations=clean_tr,
                    attributes=clean_attrs,
                    status=Product.Status.DRAFT,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError as exc:
            raise AgoraError(
                errors.SLUG_TAKEN,
                f"this seller already has a product with slug {slug!r}",
                [FieldError("slug", "already in use")],
            ) from exc
        for position, data in enumerate(clean_variants):
            _insert_variant(product, data, position, f"variants[{position}].sku")
        audit_record(
            actor=actor,
            action="product.created",
            target=product,
            changes={"title": title, "variants": skus},
            seller_id=seller.pk,
        )
    return product


def _insert_variant(product: Product, data: dict[str, Any], position: int, path: str) -> Variant:
    try:
        with transaction.atomic():
            return Variant.objects.create(
                product=product,
                seller_id=product.seller_id,
                position=position,
                created_at=clock.now(),
                **data,
            )
    except IntegrityError as exc:
        raise _sku_taken(data["sku"], exc, path) from exc


_PRODUCT_FIELDS = {
    "title",
    "description",
    "category",
    "slug",
    "language",
    "translations",
    "attributes",
}


def product_update(*, actor: Actor, product: Product, changes: dict[str, Any]) -> Product:
    """Applies a partial update; unknown fields are refused, not ignored."""
    require_seller_access(actor, product.seller, "catalog:write")
    if unknown := set(changes) - _PRODUCT_FIELDS:
        raise invalid(sorted(unknown)[0], "is not a field that can be changed")
    values = dict(changes)
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise invalid("title", "must not be empty")
        require_max_length("title", values["title"], 300)
    if "language" in values and values["language"] not in language_codes():
        raise invalid(
            "language", f"{values['language']!r} is not one of {sorted(language_codes())}"
        )
    if "translations" in values:
        values["translations"] = clean_translations("product", values["translations"])
    if "attributes" in values:
        values["attributes"] = _clean_attributes(values["attributes"] or {})
    if "slug" in values:
        values["slug"] = slugify(values["slug"] or "")[:120]
        if not values["slug"]:
            raise invalid("slug", "must contain letters or digits")
    if "description" in values:
        values["description"] = values["description"] or ""
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        changed = diff(product, values)
        if not changed:
            return product
        for name, value in values.items():
            setattr(product, name, value)
        product.updated_at = clock.now()
        try:
            with transaction.atomic():
                product.save()
        except IntegrityError as exc:
            raise AgoraError(
                errors.SLUG_TAKEN,
                f"this seller already has a product with slug {values.get('slug')!r}",
                [FieldError("slug", "already in use")],
            ) from exc
        audit_record(
            actor=actor,
            action="product.updated",
            target=product,
            changes=changed,
            seller_id=product.seller_id,
        )
        publish(
            ProductUpdated(
                product_id=product.public_id,
                seller_id=product.seller.public_id,
                fields=sorted(changed),
            )
        )
    return product


def product_publish(*, actor: Actor, product: Product) -> Product:
    """Publishes a product; it needs an active seller and at least one priced variant."""
    require_seller_access(actor, product.seller, "catalog:write")
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("seller").get(pk=product.pk)
        if not product.seller.is_active:
            raise AgoraError(
                SELLER_NOT_ACTIVE,
                f"seller {product.seller.public_id} is {product.seller.state}, not active",
            )
        if not product.variants.filter(prices__isnull=False).exists():
            raise AgoraError(
                errors.NOT_PUBLISHABLE, f"product {product.public_id} has no variant with a price"
            )
        if product.status == Product.Status.PUBLISHED:
            return product
        previous = product.status
        product.status = Product.Status.PUBLISHED
        product.published_at = product.updated_at = clock.now()
        product.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action="product.published",
            target=product,
            changes={"status": [previous, "published"]},
            seller_id=product.seller_id,
        )
        publish(ProductPublished(product_id=product.public_id, seller_id=product.seller.public_id))
    return product


def product_unpublish(*, actor: Actor, product: Product, archive: bool = False) -> Product:
    require_seller_access(actor, product.seller, "catalog:write")
    target = Product.Status.ARCHIVED if archive else Product.Status.DRAFT
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("seller").get(pk=product.pk)
        if product.status == target:
            return product
        previous = product.status
        product.status = target
        product.updated_at = clock.now()
        product.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=f"product.{target}",
            target=product,
            changes={"status": [previous, target]},
            seller_id=product.seller_id,
        )
        if previous == Product.Status.PUBLISHED:
            publish(
                ProductUnpublished(product_id=product.public_id, seller_id=product.seller.public_id)
            )
    return product


def product_delete(*, actor: Actor, product: Product) -> None:
    """Deletes a product and its variants; orders keep their own copy of SKU, title and price."""
    require_seller_access(actor, product.seller, "catalog:write")
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("seller").get(pk=product.pk)
        audit_record(
            actor=actor,
            action="product.deleted",
            target=product,
            changes={
                "title": product.title,
                "skus": list(product.variants.values_list("sku", flat=True)),
            },
            seller_id=product.seller_id,
        )
        publish(ProductDeleted(product_id=product.public_id, seller_id=product.seller.public_id))
        _delete_unless_kept(product, product.public_id)


def variant_add(*, actor: Actor, product: Product, data: VariantInput) -> Variant:
    require_seller_access(actor, product.seller, "catalog:write")
    clean = _clean_variant(product.seller, data, "")
    with transaction.atomic():
        position = product.variants.count()
        variant = _insert_variant(product, clean, position, "sku")
        audit_record(
            actor=actor,
            action="variant.created",
            target=variant,
            changes={"sku": variant.sku},
            seller_id=product.seller_id,
        )
        Product.objects.filter(pk=product.pk).update(updated_at=clock.now())
    return variant


_VARIANT_FIELDS = {"sku", "gtin", "title", "options", "weight_grams", "translations"}


def variant_update(*, actor: Actor, variant: Variant, changes: dict[str, Any]) -> Variant:
    require_seller_access(actor, variant.product.seller, "catalog:write")
    if unknown := set(changes) - _VARIANT_FIELDS:
        raise invalid(sorted(unknown)[0], "is not a field that can be changed")
    merged = VariantInput(
        sku=changes.get("sku", variant.sku),
        gtin=changes.get("gtin", variant.gtin),
        title=changes.get("title", variant.title),
        options=changes.get("options", variant.options),
        weight_grams=changes.get("weight_grams", variant.weight_grams),
        translations=changes.get("translations", variant.translations),
    )
    clean = _clean_variant(variant.product.seller, merged, "")
    with transaction.atomic():
        variant = (
            Variant.objects.select_for_update().select_related("product__seller").get(pk=variant.pk)
        )
        changed = diff(variant, clean)
        if not changed:
            return variant
        for name, value in clean.items():
            setattr(variant, name, value)
        try:
            with transaction.atomic():
                variant.save()
        except IntegrityError as exc:
            raise _sku_taken(clean["sku"], exc, "sku") from exc
        audit_record(
            actor=actor,
            action="variant.updated",
            target=variant,
            changes=changed,
            seller_id=variant.seller_id,
        )
    return variant


def variant_delete(*, actor: Actor, variant: Variant) -> None:
    require_seller_access(actor, variant.product.seller, "catalog:write")
    with transaction.atomic():
        product = Product.objects.select_for_update().filter(pk=variant.product_id).first()
        if product is None or not Variant.objects.filter(pk=variant.pk).exists():
            # Deleted by a concurrent request since it was looked up: it is gone either way.
            raise not_found("variant", variant.public_id)
        others_priced = (
            product.variants.exclude(pk=variant.pk).filter(prices__isnull=False).exists()
        )
        if product.status == Product.Status.PUBLISHED and not others_priced:
            raise AgoraError(
                errors.NOT_PUBLISHABLE,
                f"{variant.sku} is the last priced variant of published product "
                f"{product.public_id}; unpublish the product first",
            )
        audit_record(
            actor=actor,
            action="variant.deleted",
            target=variant,
            changes={"sku": variant.sku},
            seller_id=variant.seller_id,
        )
        _delete_unless_kept(variant, variant.sku)


def _delete_unless_kept(obj: Product | Variant, label: str) -> None:
    """Other apps protect rows that are evidence (an issued certificate outlives a catalogue
    edit); the refusal names what keeps it, and the atomic block around the caller undoes the
    audit entry and the event."""
    try:
        obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        kinds = sorted({str(o._meta.verbose_name_plural) for o in exc.args[1]})
        raise AgoraError(
            errors.KEPT_RECORDS, f"{label} cannot be deleted: kept {', '.join(kinds)} refer to it"
        ) from exc


def category_create(
    *,
    actor: Actor,
    name: str,
    slug: str = "",
    parent: Category | None = None,
    translations: dict[str, Any] | None = None,
    position: int = 0,
) -> Category:
    """Categories are platform-wide, so only operators and system jobs create them."""
    if not (actor.kind == "system" or actor.is_operator):
        from agora.core.errors import FORBIDDEN

        raise AgoraError(FORBIDDEN, "only platform operators manage categories")
    name = (name or "").strip()
    if not name:
        raise invalid("name", "must not be empty")
    require_max_length("name", name, 120)
    clean_tr = clean_translations("category", translations)
    chosen = slugify(slug or "")[:80]
    derived = chosen or _free_slug(Category.objects.all(), slugify(name)[:80] or "c", 80)
    try:
        with transaction.atomic():
            category = Category.objects.create(
                name=name,
                slug=derived,
                parent=parent,
                position=position,
                translations=clean_tr,
            )
            audit_record(
                actor=actor, action="category.created", target=category, changes={"name": name}
            )
    except IntegrityError as exc:
        raise AgoraError(
            CONFLICT,
            f"a category with slug {derived!r} already exists",
            [FieldError("slug", "already in use")],
        ) from exc
    return category


def media_add(
    *,
    actor: Actor,
    product: Product,
    kind: str,
    url: str,
    alt: str = "",
    translations: dict[str, Any] | None = None,
) -> ProductMedia:
    require_seller_access(actor, product.seller, "catalog:write")
    if kind not in ProductMedia.Kind.values:
        raise invalid("kind", f"{kind!r} is not one of {ProductMedia.Kind.values}")
    if not url or not (url.startswith(("https://", "http://", "/"))):
        raise invalid("url", "must be an absolute http(s) URL or a path starting with /")
    require_max_length("url", url, 500)
    require_max_length("alt", alt, 300)
    with transaction.atomic():
        media = ProductMedia.objects.create(
            product=product,
            kind=kind,
            url=url,
            alt=alt,
            translations=clean_translations("media", translations),
            position=product.media.count(),
        )
        audit_record(
            actor=actor,
            action="media.added",
            target=media,
            changes={"url": url},
            seller_id=product.seller_id,
        )
    return media
