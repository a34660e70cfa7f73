"""Trust's use cases: post a review, report content, decide with a statement of reasons, appeal
and decide the appeal. Each is one transaction with an audit entry and its events; the
marketplace's ``seller_transition`` and catalog's publish/unpublish do the state changes they
own, so a suspension here is the same suspension as the console's."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agora.accounts.services import actor_for_user
from agora.catalog.models import Product
from agora.catalog.services import product_publish, product_unpublish
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, AgoraError, FieldError, invalid, not_found
from agora.core.events import publish
from agora.marketplace.models import Seller
from agora.marketplace.selectors import seller_roles_of
from agora.marketplace.services import seller_transition
from agora.trust import errors
from agora.trust.events import AppealDecided, ModerationDecided, ReviewPosted
from agora.trust.models import Appeal, Decision, Notice, Review, TargetKind
from agora.trust.selectors import has_bought, redress_text
from agora.trust.text import clean_text, parse_rating

TITLE_MAX, BODY_MAX, EXPLANATION_MAX, STATEMENT_MAX = 120, 5000, 5000, 5000
APPEAL_WINDOW_DAYS = 183  # six months (DSA Art. 20(1))


def review_post(
    *, user: Any, product_public_id: str, rating: object, title: object, body: object
) -> Review:
    """Posts the buyer's review of a product, or edits the one they wrote (one per product).
    Only a buyer with a delivered or completed order line of the product may write it."""
    if user is None or not user.is_authenticated:
        raise AgoraError(errors.NOT_A_VERIFIED_BUYER, _("Sign in to review a product you bought."))
    product = Product.objects.filter(public_id=product_public_id).select_related("seller").first()
    if product is None:
        raise not_found("product", product_public_id)
    stars = parse_rating(rating)
    title_text = clean_text("title", title, limit=TITLE_MAX)
    body_text = clean_text("body", body, limit=BODY_MAX)
    if not has_bought(user=user, product=product):
        raise AgoraError(
            errors.NOT_A_VERIFIED_BUYER,
            _("Only buyers whose order of %(product)s was delivered may review it.")
            % {"product": product.title},
        )
    now = clock.now()
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(product=product, author=user).first()
        edited = review is not None
        if review is None:
            review = Review(product=product, seller=product.seller, author=user, created_at=now)
        review.rating, review.title, review.body, review.updated_at = (
            stars,
            title_text,
            body_text,
            now,
        )
        review.save()
        audit_record(
            actor=actor_for_user(user),
            action="review.edited" if edited else "review.posted",
            target=review,
            changes={"rating": stars, "product": product.public_id},
            seller_id=product.seller_id,
        )
        publish(
            ReviewPosted(
                review_id=review.public_id,
                product_id=product.public_id,
                seller_id=product.seller.public_id,
                rating=stars,
                edited=edited,
            )
        )
    return review


def _target_seller(kind: str, target_id: str) -> Seller:
    """The seller a reported target belongs to (or is); an unknown target names itself."""
    if kind == TargetKind.REVIEW:
        review = Review.objects.select_related("seller").filter(public_id=target_id).first()
        if review is None:
            raise not_found("review", target_id)
        return review.seller
    if kind == TargetKind.PRODUCT:
        product = Product.objects.select_related("seller").filter(public_id=target_id).first()
        if product is None:
            raise not_found("product", target_id)
        return product.seller
    if kind == TargetKind.SELLER:
        seller = Seller.objects.filter(public_id=target_id).first()
        if seller is None:
            raise not_found("seller", target_id)
        return seller
    raise invalid("target_kind", f"{kind!r} is not one of {', '.join(TargetKind.values)}")


def notice_submit(
    *,
    reporter: Any,
    reporter_ref: str,
    target_kind: str,
    target_id: str,
    reason: str,
    explanation: object,
) -> tuple[Notice, bool]:
    """Records a report (signed in or not). The same reporter reporting the same target while
    their first report is open gets that report back (``created`` False): a resubmit or a
    double click never floods the queue."""
    if reason not in Notice.Reason.values:
        raise invalid("reason", f"{reason!r} is not one of {', '.join(Notice.Reason.values)}")
    text = clean_text("explanation", explanation, limit=EXPLANATION_MAX)
    seller = _target_seller(target_kind, target_id)
    user = reporter if reporter is not None and reporter.is_authenticated else None
    ref = f"user:{user.pk}" if user is not None else reporter_ref
    if not ref:
        raise invalid("reporter", "a report needs a session or a signed-in user")
    open_ = {"reporter_ref": ref, "target_kind": target_kind, "target_id": target_id}
    existing = Notice.objects.filter(status=Notice.Status.OPEN, **open_).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                seller=seller,
                reason=reason,
                explanation=text,
                reporter=user,
                created_at=clock.now(),
                **open_,
            )
    except IntegrityError:  # the same report raced in: answer with the one that won
        return Notice.objects.get(status=Notice.Status.OPEN, **open_), False
    return notice, True


def _require_statement(facts: object, ground: object, automated: bool | None) -> tuple[str, str]:
    problems: list[FieldError] = []
    texts: dict[str, str] = {}
    for name, value in (("facts", facts), ("ground", ground)):
        try:
            texts[name] = clean_text(name, value, limit=STATEMENT_MAX)
        except AgoraError as exc:
            problems.extend(exc.errors)
    if automated is None:
        problems.append(FieldError("automated", "say whether automated means were used"))
    if problems:
        raise AgoraError(
            errors.STATEMENT_REQUIRED,
            _("A decision needs a statement of reasons: %(fields)s.")
            % {"fields": "; ".join(f"{p.field} {p.message}" for p in problems)},
            problems,
        )
    return texts["facts"], texts["ground"]


def _apply(actor: Actor, decision: Decision, *, reverse: bool) -> None:
    """Carries out (or undoes) a decision through the services that own the state."""
    kind, action = decision.target_kind, decision.action
    if action == Decision.Action.NONE:
        return
    if action == Decision.Action.SUSPEND:
        reason = _("Suspended by decision %(id)s: %(ground)s") % {
            "id": decision.public_id,
            "ground": decision.ground,
        }
        seller_transition(
            actor=actor,
            seller=decision.affected_seller,
            to="active" if reverse else "suspended",
            reason="" if reverse else reason[:300],
        )
        return
    if kind == TargetKind.REVIEW:
        review = Review.objects.select_for_update().get(public_id=decision.target_id)
        review.status = (
            Review.Status.VISIBLE
            if reverse
            else Review.Status.REMOVED
            if action == Decision.Action.REMOVE
            else Review.Status.RESTRICTED
        )
        review.save(update_fields=["status"])
    elif kind == TargetKind.PRODUCT:
        product = Product.objects.get(public_id=decision.target_id)
        if reverse:
            product_publish(actor=actor, product=product)
        else:
            product_unpublish(
                actor=actor, product=product, archive=action == Decision.Action.REMOVE
            )
    else:
        raise invalid(
            "action", f"a seller is suspended or left alone, not {action!r} (content only)"
        )


def decision_make(
    *,
    operator: Any,
    notice: Notice,
    action: str,
    facts: object,
    ground: object,
    automated: bool | None,
) -> Decision:
    """Decides on a notice's target and closes every open notice about it. Refused without a
    full statement of reasons (DSA Art. 17); the affected author or seller sees it, and every
    notifier sees the outcome."""
    if action not in Decision.Action.values:
        raise invalid("action", f"{action!r} is not one of {', '.join(Decision.Action.values)}")
    facts_text, ground_text = _require_statement(facts, ground, automated)
    actor = actor_for_user(operator)
    if not actor.is_operator:
        raise AgoraError(FORBIDDEN, _("Only operators decide on notices."))
    now = clock.now()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != Notice.Status.OPEN:
            raise AgoraError(
                errors.ALREADY_DECIDED,
                _("Notice %(id)s is decided already.") % {"id": notice.public_id},
            )
        kind, target = notice.target_kind, notice.target_id
        related = list(
            Notice.objects.select_for_update()
            .filter(target_kind=kind, target_id=target, status=Notice.Status.OPEN)
            .order_by("pk")
        )
        first = min(n.created_at for n in related)
        affected_user = None
        if kind == TargetKind.REVIEW:
            affected_user = Review.objects.get(public_id=target).author
        decision = Decision.objects.create(
            target_kind=kind,
            target_id=target,
            action=action,
            facts=facts_text,
            ground=ground_text,
            automated=bool(automated),
            redress=redress_text(),
            affected_user=affected_user,
            affected_seller=notice.seller,
            decided_by=operator,
            decided_at=now,
            hours_to_decide=(now - first).total_seconds() / 3600,
        )
        _apply(actor, decision, reverse=False)
        Notice.objects.filter(pk__in=[n.pk for n in related]).update(
            status=Notice.Status.DECIDED, decision=decision
        )
        _announce(actor, decision, notice.seller, {})
    return decision


def _announce(actor: Actor, decision: Decision, seller: Seller, extra: dict[str, str]) -> None:
    """The audit entry and the ``moderation.decided`` event of a decision just applied (a first
    decision, or a new one made on appeal)."""
    kind, target = decision.target_kind, decision.target_id
    audit_record(
        actor=actor,
        action="moderation.decided",
        target=decision,
        changes={"action": decision.action, "target": f"{kind}:{target}", **extra},
        seller_id=seller.pk,
    )
    publish(
        ModerationDecided(
            decision_id=decision.public_id,
            target_kind=kind,
            target_id=target,
            action=decision.action,
            seller_id=seller.public_id,
        )
    )


def _notifier_notice(user: Any, decision: Decision) -> Notice | None:
    """The notice ``user`` filed, signed in, that ``decision`` closed (their oldest)."""
    return (
        Notice.objects.filter(decision=decision, reporter=user).order_by("created_at", "id").first()
    )


def appeal_party(*, user: Any, decision: Decision) -> str | None:
    """Who ``user`` is to ``decision`` for an internal appeal (DSA Art. 20(1)): the affected
    party (the author, or staff of the seller, an action was taken against), a notifier (a
    signed-in user whose notice the decision closed with no action), or None. A reversed
    decision is appealed no more."""
    if user is None or not user.is_authenticated or decision.reversed_at is not None:
        return None
    if decision.action == Decision.Action.NONE:
        found = _notifier_notice(user, decision)
        return Appeal.Party.NOTIFIER if found is not None else None
    if decision.affected_user_id is not None:
        return Appeal.Party.AFFECTED if user.pk == decision.affected_user_id else None
    staff = any(
        m.seller_id == decision.affected_seller_id for m in seller_roles_of(user_id=user.pk)
    )
    return Appeal.Party.AFFECTED if staff else None


def _appealed_already(*, user: Any, decision: Decision, party: str) -> bool:
    mine = Appeal.objects.filter(decision=decision, party=party)
    if party == Appeal.Party.NOTIFIER:
        mine = mine.filter(appellant=user)
    return mine.exists()


def _too_late(decision: Decision) -> bool:
    return (clock.now() - decision.decided_at).days > APPEAL_WINDOW_DAYS


def may_appeal(*, user: Any, decision: Decision) -> bool:
    """True while ``user`` may appeal ``decision`` now: a party to it (:func:`appeal_party`),
    within six months, and not appealed by that party yet (what the pages offer a form for)."""
    party = appeal_party(user=user, decision=decision)
    if party is None or _too_late(decision):
        return False
    return not _appealed_already(user=user, decision=decision, party=party)


def appeal_submit(*, user: Any, decision: Decision, explanation: object) -> Appeal:
    """An internal appeal (DSA Art. 20), within six months: the affected party's against an
    action taken, once per decision; or a signed-in notifier's against "no action" on what they
    reported, once per notifier."""
    text = clean_text("explanation", explanation, limit=EXPLANATION_MAX)
    party = appeal_party(user=user, decision=decision)
    if party is None:
        if decision.action == Decision.Action.NONE:
            message = _(
                "Only a signed-in user whose notice decision %(id)s closed with no action may "
                "appeal it."
            )
        else:
            message = _("Only the person or seller decision %(id)s affects may appeal it.")
        raise AgoraError(errors.APPEAL_NOT_ALLOWED, message % {"id": decision.public_id})
    now = clock.now()
    if _too_late(decision):
        raise AgoraError(
            errors.APPEAL_NOT_ALLOWED,
            _("Decision %(id)s is more than six months old; it can no longer be appealed here.")
            % {"id": decision.public_id},
        )
    already = AgoraError(
        errors.APPEAL_NOT_ALLOWED,
        _("Decision %(id)s has been appealed already.") % {"id": decision.public_id},
    )
    notice = _notifier_notice(user, decision) if party == Appeal.Party.NOTIFIER else None
    try:
        with transaction.atomic():
            if _appealed_already(user=user, decision=decision, party=party):
                raise already
            appeal = Appeal.objects.create(
                decision=decision,
                party=party,
                notice=notice,
                appellant=user,
                explanation=text,
                created_at=now,
            )
            audit_record(
                actor=actor_for_user(user),
                action="moderation.appealed",
                target=appeal,
                changes={"decision": decision.public_id, "party": party},
                seller_id=decision.affected_seller_id,
            )
    except IntegrityError:  # the same party's second appeal raced in (a constraint backs it)
        raise already from None
    return appeal


def _decision_on_appeal(
    *, actor: Actor, operator: Any, appeal: Appeal, action: str, facts: str, ground: object
) -> Decision:
    """The decision a reversed notifier appeal makes: the action "no action" refused, with its
    own statement of reasons (facts: the appeal's statement), carried out like any decision,
    addressed to the affected party, who may appeal it in turn."""
    original = appeal.decision
    kind, target = original.target_kind, original.target_id
    allowed = (
        [Decision.Action.SUSPEND]
        if kind == TargetKind.SELLER
        else [Decision.Action.REMOVE, Decision.Action.RESTRICT, Decision.Action.SUSPEND]
    )
    if action not in allowed:
        raise invalid(
            "action",
            f"reversing 'no action' on a {kind} takes one of {', '.join(allowed)}, not {action!r}",
        )
    ground_text = _require_statement(facts, ground, False)[1]
    affected_user = None
    if kind == TargetKind.REVIEW:
        review = Review.objects.filter(public_id=target).first()
        if review is None:
            raise not_found("review", target)
        affected_user = review.author
    now = clock.now()
    decision = Decision.objects.create(
        target_kind=kind,
        target_id=target,
        action=action,
        facts=facts,
        ground=ground_text,
        automated=False,  # an appeal is decided by a person (DSA Art. 20(6))
        redress=redress_text(),
        affected_user=affected_user,
        affected_seller=original.affected_seller,
        decided_by=operator,
        decided_at=now,
        hours_to_decide=(now - appeal.created_at).total_seconds() / 3600,
    )
    _apply(actor, decision, reverse=False)
    _announce(actor, decision, original.affected_seller, {"on_appeal": appeal.public_id})
    return decision


def appeal_decide(
    *,
    operator: Any,
    appeal: Appeal,
    outcome: str,
    statement: object,
    action: str = "",
    ground: object = "",
) -> Appeal:
    """Decides an appeal with its own statement; the operator must not be the one who made the
    decision. Reversing an affected party's appeal undoes the action through the owners'
    services (restores the review, republishes the product, reinstates the seller). Reversing a
    notifier's appeal against "no action" takes ``action`` on ``ground`` as a new decision
    (:func:`_decision_on_appeal`) and answers every other open notifier appeal against the same
    decision with it."""
    if outcome not in (Appeal.Outcome.UPHELD, Appeal.Outcome.REVERSED):
        raise invalid("outcome", f"{outcome!r} is not 'upheld' or 'reversed'")
    text = clean_text("statement", statement, limit=STATEMENT_MAX)
    actor = actor_for_user(operator)
    if not actor.is_operator:
        raise AgoraError(FORBIDDEN, _("Only operators decide appeals."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        decision = appeal.decision
        if appeal.outcome != Appeal.Outcome.OPEN:
            raise AgoraError(
                errors.ALREADY_DECIDED,
                _("Appeal %(id)s is decided already.") % {"id": appeal.public_id},
            )
        if decision.decided_by_id == operator.pk:
            raise AgoraError(
                errors.SAME_OPERATOR,
                _("You made decision %(id)s; another operator must decide the appeal against it.")
                % {"id": decision.public_id},
            )
        now = clock.now()
        answered = [appeal]
        result: Decision | None = None
        if outcome == Appeal.Outcome.REVERSED:
            if appeal.party == Appeal.Party.NOTIFIER:
                result = _decision_on_appeal(
                    actor=actor,
                    operator=operator,
                    appeal=appeal,
                    action=action,
                    facts=text,
                    ground=ground,
                )
                # The other notifiers asked for the same thing: they get the same answer.
                answered += list(
                    Appeal.objects.select_for_update()
                    .filter(decision=decision, outcome=Appeal.Outcome.OPEN)
                    .exclude(pk=appeal.pk)
                    .order_by("pk")
                )
            else:
                _apply(actor, decision, reverse=True)
            decision.reversed_at = now
            decision.save(update_fields=["reversed_at"])
        for each in answered:
            each.outcome, each.statement, each.result = outcome, text, result
            each.decided_by, each.decided_at = operator, now
            each.save(update_fields=["outcome", "statement", "result", "decided_by", "decided_at"])
            audit_record(
                actor=actor,
                action=f"moderation.appeal_{outcome}",
                target=each,
                changes={
                    "decision": decision.public_id,
                    "party": each.party,
                    **({"new_decision": result.public_id} if result is not None else {}),
                },
                seller_id=decision.affected_seller_id,
            )
            publish(
                AppealDecided(
                    appeal_id=each.public_id,
                    decision_id=decision.public_id,
                    outcome=outcome,
                    seller_id=decision.affected_seller.public_id,
                    party=each.party,
                    new_decision_id=result.public_id if result is not None else "",
                )
            )
    return appeal
