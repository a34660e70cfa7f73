"""A search document from plain catalogue data: a pure function, no database, so what is
searchable about a product can be read (and tested) in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agora.search import ranking
from agora.search.text import cjk_grams, latin_words, normalise, stem_text

SEPARATOR = " | "  # keeps a phrase from matching across two fields


@dataclass(frozen=True)
class CategoryNode:
    id: int
    parent_id: int | None
    name: str
    translations: dict[str, dict[str, str]]


@dataclass
class ProductFacts:
    """What the index needs to know about one product, gathered by :mod:`agora.search.indexing`."""

    id: int
    public_id: str
    seller_id: int
    seller_name: str
    category_id: int | None
    language: str
    title: str
    description: str
    translations: dict[str, dict[str, str]]
    attributes: dict[str, Any]
    published_at: Any
    skus: list[str] = field(default_factory=list)
    min_prices: dict[str, int] = field(default_factory=dict)
    available: int = 0
    units_sold: int = 0


def category_chain(category_id: int | None, tree: dict[int, CategoryNode]) -> list[CategoryNode]:
    """The category and its ancestors, root first (a cycle, impossible by construction, stops)."""
    chain: list[CategoryNode] = []
    seen: set[int] = set()
    while category_id is not None and category_id in tree and category_id not in seen:
        seen.add(category_id)
        node = tree[category_id]
        chain.append(node)
        category_id = node.parent_id
    return chain[::-1]


def _attribute_words(attributes: dict[str, Any]) -> list[str]:
    """Text values are searchable, and so are yes/no attributes that are yes (``handmade``)."""
    words: list[str] = []
    for key, value in sorted(attributes.items()):
        if isinstance(value, bool):
            if value:
                words.append(key.replace("_", " "))
        elif isinstance(value, str):
            words.append(value)
        elif isinstance(value, list):
            words.extend(str(v) for v in value if isinstance(v, str))
    return words


def _per_language(facts: ProductFacts, name: str, default: str) -> dict[str, str]:
    texts = {facts.language: default} if default else {}
    for language, fields in sorted((facts.translations or {}).items()):
        value = (fields or {}).get(name)
        if isinstance(value, str) and value.strip():
            texts[language] = value
    return texts


def compose(facts: ProductFacts, tree: dict[int, CategoryNode]) -> dict[str, Any]:
    """The ``SearchDocument`` fields (plus ``prices``) of a product."""
    titles = _per_language(facts, "title", facts.title)
    descriptions = _per_language(facts, "description", facts.description)
    chain = category_chain(facts.category_id, tree)
    category_names = [
        name
        for node in chain
        for name in [
            node.name,
            *(t.get("name", "") for t in (node.translations or {}).values() if t),
        ]
        if name
    ]
    keywords = [*category_names, facts.seller_name, *_attribute_words(facts.attributes)]
    keywords += facts.skus
    title_text = SEPARATOR.join(normalise(t) for t in dict.fromkeys(titles.values()))
    keyword_text = SEPARATOR.join(n for n in (normalise(k) for k in keywords) if n)
    body_text = SEPARATOR.join(normalise(d) for d in dict.fromkeys(descriptions.values()))
    words = latin_words(f"{title_text} {keyword_text} {body_text}")
    terms = sorted({w for w in words if w.isalpha() and len(w) <= 100})
    in_stock = facts.available > 0
    return {
        "product_id": facts.id,
        "public_id": facts.public_id,
        "seller_id": facts.seller_id,
        "category_id": facts.category_id,
        "category_path": [node.id for node in chain],
        "language": facts.language,
        "titles": titles,
        "title_text": title_text,
        "keyword_text": keyword_text,
        "body_text": body_text,
        "stem_text": stem_text(f"{title_text} {keyword_text}"),
        "short_text": f"{title_text}{SEPARATOR}{keyword_text}",
        "terms": terms,
        "grams": sorted(cjk_grams(f"{title_text} {keyword_text}")),
        "in_stock": in_stock,
        "popularity": max(facts.units_sold, 0),
        "boost": ranking.boost(facts.units_sold, in_stock),
        "published_at": facts.published_at,
        "prices": dict(sorted(facts.min_prices.items())),
    }
