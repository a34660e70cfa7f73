"""The search index: one denormalised document per public product, its lowest prices, the
vocabulary for typo correction, and the events already applied.

Rows refer to catalogue rows by plain integer ids, not foreign keys: commerce never depends on a
capability's tables (deleting a product touches nothing here; the ``product.deleted`` handler
removes the document). The full-text structures live beside these tables and are created by a
vendor-aware migration: an FTS5 table ``search_fts`` on SQLite, a generated ``tsvector`` column
with GIN and ``pg_trgm`` indexes on PostgreSQL.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    product_id = models.BigIntegerField(primary_key=True)
    public_id = models.CharField(max_length=40, unique=True)
    seller_id = models.BigIntegerField()
    category_id = models.BigIntegerField(null=True)
    category_path = models.JSONField(default=list, help_text="category ids from the root down")
    language = models.CharField(max_length=10)
    titles = models.JSONField(default=dict, help_text="{language: title} for suggestions")
    # Normalised text (agora.search.text.normalise), all languages together.
    title_text = models.TextField()
    keyword_text = models.TextField(help_text="categories, seller, attributes, SKUs")
    body_text = models.TextField()
    stem_text = models.TextField(help_text="English stems of title and keyword words")
    short_text = models.TextField(help_text="title + keywords: the 1-2 character query path")
    terms = models.JSONField(default=list, help_text="this document's vocabulary words")
    in_stock = models.BooleanField()
    popularity = models.IntegerField(help_text="units sold in paid orders, less returns")
    boost = models.FloatField(help_text="agora.search.ranking.boost(popularity, in_stock)")
    published_at = models.DateTimeField(null=True)
    indexed_at = models.DateTimeField()

    class Meta:
        db_table = "search_document"
        indexes = [
            models.Index(fields=["seller_id"], name="search_doc_seller_idx"),
            models.Index(fields=["category_id"], name="search_doc_category_idx"),
            models.Index(fields=["published_at"], name="search_doc_published_idx"),
            models.Index(fields=["popularity"], name="search_doc_popularity_idx"),
            models.Index(fields=["boost"], name="search_doc_boost_idx"),
        ]

    def __str__(self) -> str:
        return self.public_id


class SearchPrice(models.Model):
    """The lowest current price of a document's variants in one currency (filters, sorting,
    price-band facets)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3)
    min_amount_minor = models.BigIntegerField()

    class Meta:
        db_table = "search_price"
        constraints = [
            models.UniqueConstraint(fields=["document", "currency"], name="search_price_once")
        ]
        indexes = [
            models.Index(fields=["currency", "min_amount_minor"], name="search_price_amount_idx")
        ]

    def __str__(self) -> str:
        return f"{self.min_amount_minor} {self.currency}"


class SearchGram(models.Model):
    """Every Chinese (CJK) character and pair of neighbouring characters of a document's short
    text: the index of one- and two-character queries (茶, 咖啡), which the trigram index cannot
    serve. Measured in bench/search.py at 100k products: a scan with ``LIKE`` took ~50 ms, a
    look-up here ~0.1 ms."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    gram = models.CharField(max_length=2)

    class Meta:
        db_table = "search_gram"
        constraints = [
            models.UniqueConstraint(fields=["gram", "document"], name="search_gram_once")
        ]

    def __str__(self) -> str:
        return self.gram


class SearchTerm(models.Model):
    """A word of the indexed text with the number of documents holding it: typo correction
    chooses among these (the most frequent wins a tie)."""

    term = models.CharField(max_length=100, primary_key=True)
    stem = models.CharField(max_length=100)
    df = models.IntegerField()

    class Meta:
        db_table = "search_term"

    def __str__(self) -> str:
        return self.term


class SearchState(models.Model):
    """Counters other processes read cheaply, e.g. the vocabulary's version: a search process
    reloads its in-memory vocabulary when the words (not their counts) changed."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "search_state"

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class AppliedEvent(models.Model):
    """An event the index has applied, by its outbox id: a redelivery is skipped."""

    event_id = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=60)
    applied_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "search_applied_event"

    def __str__(self) -> str:
        return f"{self.name} {self.event_id}"
