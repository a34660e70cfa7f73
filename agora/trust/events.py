"""Events trust publishes."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ReviewPosted(DomainEvent):
    """A verified buyer posted or edited a review (recommendations may use the rating)."""

    name = "review.posted"
    review_id: str
    product_id: str
    seller_id: str
    rating: int
    edited: bool


@dataclass(frozen=True, kw_only=True)
class ModerationDecided(DomainEvent):
    """An operator decided on content or a seller, with a statement of reasons."""

    name = "moderation.decided"
    decision_id: str
    target_kind: str
    target_id: str
    action: str
    seller_id: str


@dataclass(frozen=True, kw_only=True)
class AppealDecided(DomainEvent):
    """An internal appeal was upheld (decision stands) or reversed: an affected party's reversal
    brings the content or seller back; a notifier's reversal of "no action" made a new decision
    (``new_decision_id``, itself published as ``moderation.decided``)."""

    name = "moderation.appeal_decided"
    appeal_id: str
    decision_id: str
    outcome: str
    seller_id: str
    party: str = "affected"  # "affected" or "notifier"
    new_decision_id: str = ""
