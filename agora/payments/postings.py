"""The ledger's rules as pure functions over plain data: no ORM, no clock, no I/O.

Sign convention ("flow" accounting): an entry of +X means X flowed *into* the account, -X that it
flowed *out*; every transaction's entries sum to zero per currency, so money is only ever moved,
never made or lost. External accounts (``provider_clearing``, ``buyer_refunds``,
``seller_payouts``) are where money enters or leaves the platform; their balances are the running
totals of money captured (negative), refunded and paid out.

Accounts, by kind and owner:

=====================  ====================  ===============================================
kind                   owner                 holds
=====================  ====================  ===============================================
provider_clearing      provider name         -(money captured through that provider)
escrow                 order public id       the buyer's money held for one order
seller_payable         seller public id      released to the seller, not yet paid out
                                             (negative: the seller owes, see refunds below)
platform_commission    "" (the platform)     commission earned on released sales
buyer_refunds          provider name         money returned to buyers through the provider
seller_payouts         seller public id      money paid out to the seller so far
store_credit           buyer's user id       the buyer's unspent store credit
credit_issued          program ("trade_in")  -(store credit the program has granted)
credit_hold            payment public id     credit set aside for one payment until capture
=====================  ====================  ===============================================

Store credit is a tender, not a discount: the orders keep their full totals, and at capture each
order's escrow is filled partly from the provider and partly from the payment's credit hold
(:func:`capture_postings`), so release, commission and the seller's share need no special case.
A refund goes back to the card first, up to what the card paid for the order, and the rest back to
store credit (:func:`refund_postings`).

Rounding: the commission on a gross amount is ``gross * bps / 10 000`` rounded half-even once, by
:meth:`agora.core.money.Money.__mul__` (Agora's one rounding point), in :func:`commission_minor`
only. The seller gets ``gross - commission``, so a split always sums exactly.

Refunds (:func:`refund_postings`) take money from the order's escrow first; what escrow cannot
cover is taken back from what was released: after the refund the commission on the order is again
exactly ``commission_minor(what the seller keeps)``, the difference is returned from the platform's
commission and the rest from the seller's payable. A seller already paid out can go negative
(owes the platform; later sales net it off). A refund never exceeds captured - refunded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from agora.core.money import Money

PROVIDER_CLEARING = "provider_clearing"
ESCROW = "escrow"
SELLER_PAYABLE = "seller_payable"
PLATFORM_COMMISSION = "platform_commission"
BUYER_REFUNDS = "buyer_refunds"
SELLER_PAYOUTS = "seller_payouts"
STORE_CREDIT = "store_credit"
CREDIT_ISSUED = "credit_issued"
CREDIT_HOLD = "credit_hold"
ACCOUNT_KINDS = (
    PROVIDER_CLEARING,
    ESCROW,
    SELLER_PAYABLE,
    PLATFORM_COMMISSION,
    BUYER_REFUNDS,
    SELLER_PAYOUTS,
    STORE_CREDIT,
    CREDIT_ISSUED,
    CREDIT_HOLD,
)
MAX_BPS = 10_000


class PostingError(ValueError):
    """A posting that must not be made (unbalanced, too large a refund, nothing to move)."""


class Unbalanced(PostingError):
    pass


class RefundTooLarge(PostingError):
    def __init__(self, amount_minor: int, refundable_minor: int, currency: str) -> None:
        super().__init__(
            f"a refund of {Money(amount_minor, currency)} is more than the "
            f"{Money(refundable_minor, currency)} still refundable (captured - refunded)"
        )
        self.amount_minor, self.refundable_minor = amount_minor, refundable_minor


class NothingToMove(PostingError):
    pass


@dataclass(frozen=True, slots=True, order=True)
class AccountKey:
    """Names one account: ``kind:owner:currency`` (``platform_commission:EUR`` has no owner)."""

    kind: str
    owner: str
    currency: str

    def __post_init__(self) -> None:
        if self.kind not in ACCOUNT_KINDS:
            raise PostingError(f"account kind {self.kind!r} is not one of {ACCOUNT_KINDS}")

    @property
    def code(self) -> str:
        return ":".join(part for part in (self.kind, self.owner, self.currency) if part)


@dataclass(frozen=True, slots=True)
class Posting:
    account: AccountKey
    amount_minor: int

    @property
    def currency(self) -> str:
        return self.account.currency


def check_balanced(postings: Iterable[Posting]) -> list[Posting]:
    """Returns the postings when they sum to zero in every currency and none is zero; raises
    :class:`Unbalanced` otherwise. The ledger service calls this before every insert."""
    items = list(postings)
    if len(items) < 2:
        raise Unbalanced(f"a transaction needs at least two entries, got {len(items)}")
    sums: dict[str, int] = defaultdict(int)
    for posting in items:
        if isinstance(posting.amount_minor, bool) or not isinstance(posting.amount_minor, int):
            raise Unbalanced(f"{posting.account.code}: {posting.amount_minor!r} is not an integer")
        if posting.amount_minor == 0:
            raise Unbalanced(f"{posting.account.code}: a zero entry says nothing; leave it out")
        sums[posting.currency] += posting.amount_minor
    off = {currency: total for currency, total in sums.items() if total}
    if off:
        raise Unbalanced(f"entries do not sum to zero per currency: {off}")
    return items


def _transfer(source: AccountKey, target: AccountKey, amount_minor: int) -> list[Posting]:
    return [Posting(source, -amount_minor), Posting(target, amount_minor)]


def _positive(amount_minor: int, what: str) -> int:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise NothingToMove(f"{what} must be a positive number of minor units, got {amount_minor}")
    return amount_minor


def commission_minor(gross_minor: int, commission_bps: int, currency: str) -> int:
    """The platform's commission on ``gross_minor``: the one place commission is rounded
    (half-even, through :class:`~agora.core.money.Money`)."""
    if not 0 <= commission_bps <= MAX_BPS:
        raise PostingError(f"commission {commission_bps} bps is outside 0..{MAX_BPS}")
    rate = Decimal(commission_bps) / Decimal(MAX_BPS)
    return (Money(gross_minor, currency) * rate).amount_minor


def escrow_account(order_ref: str, currency: str) -> AccountKey:
    return AccountKey(ESCROW, order_ref, currency)


def credit_account(buyer_ref: str, currency: str) -> AccountKey:
    """The buyer's spendable store credit (``buyer_ref``: the user's public id)."""
    return AccountKey(STORE_CREDIT, buyer_ref, currency)


def credit_hold_account(payment_ref: str, currency: str) -> AccountKey:
    return AccountKey(CREDIT_HOLD, payment_ref, currency)


def capture_postings(
    *,
    order_ref: str,
    amount_minor: int,
    currency: str,
    provider: str,
    credit_minor: int = 0,
    payment_ref: str = "",
) -> list[Posting]:
    """The buyer's money for one order arrives and is held in escrow: ``amount_minor -
    credit_minor`` from the provider, ``credit_minor`` from the payment's credit hold."""
    _positive(amount_minor, "captured amount")
    if not 0 <= credit_minor <= amount_minor:
        raise PostingError(f"credit {credit_minor} is outside 0..{amount_minor} of the capture")
    postings = [Posting(escrow_account(order_ref, currency), amount_minor)]
    if amount_minor - credit_minor:
        clearing = AccountKey(PROVIDER_CLEARING, provider, currency)
        postings.append(Posting(clearing, -(amount_minor - credit_minor)))
    if credit_minor:
        if not payment_ref:
            raise PostingError("a capture paid with store credit names its payment's credit hold")
        postings.append(Posting(credit_hold_account(payment_ref, currency), -credit_minor))
    return check_balanced(postings)


def credit_split(total_minor: int, credit_minor: int, order_totals: list[int]) -> list[int]:
    """How a payment's store credit is spread over its orders: each order in turn takes as much
    as it can (orders in the payment's order), so at most one order is paid by both tenders."""
    if not 0 <= credit_minor <= total_minor or sum(order_totals) != total_minor:
        raise PostingError(f"credit {credit_minor} does not fit orders totalling {total_minor}")
    parts, left = [], credit_minor
    for total in order_totals:
        take = min(total, left)
        parts.append(take)
        left -= take
    return parts


def release_postings(
    *, order_ref: str, seller_ref: str, escrow_minor: int, commission_bps: int, currency: str
) -> list[Posting]:
    """Everything left in an order's escrow goes to the seller, less the platform's commission."""
    _positive(escrow_minor, "escrow to release")
    commission = commission_minor(escrow_minor, commission_bps, currency)
    postings = [Posting(escrow_account(order_ref, currency), -escrow_minor)]
    if escrow_minor - commission:
        payable = AccountKey(SELLER_PAYABLE, seller_ref, currency)
        postings.append(Posting(payable, escrow_minor - commission))
    if commission:
        postings.append(Posting(AccountKey(PLATFORM_COMMISSION, "", currency), commission))
    return check_balanced(postings)


@dataclass(frozen=True, slots=True)
class OrderPosition:
    """Where one order's money is, as the ledger says (all in minor units of ``currency``).

    ``released_minor`` is what left escrow for the seller and the platform, net of refunds taken
    back from it; ``commission_minor`` the platform's part of it; ``commission_bps`` the rate
    the release used (``None`` before a release).
    """

    order_ref: str
    seller_ref: str
    currency: str
    captured_minor: int = 0
    refunded_minor: int = 0
    escrow_minor: int = 0
    released_minor: int = 0
    commission_minor: int = 0
    commission_bps: int | None = None
    credit_captured_minor: int = 0  # the part of captured paid with store credit
    credit_refunded_minor: int = 0  # the part of refunded returned as store credit

    @property
    def refundable_minor(self) -> int:
        return self.captured_minor - self.refunded_minor

    @property
    def card_refundable_minor(self) -> int:
        """What can still go back to the card: what the card paid less what it got back."""
        card_paid = self.captured_minor - self.credit_captured_minor
        return card_paid - (self.refunded_minor - self.credit_refunded_minor)


def refund_postings(
    *,
    position: OrderPosition,
    amount_minor: int,
    provider: str,
    credit_minor: int = 0,
    buyer_ref: str = "",
) -> list[Posting]:
    """Returns ``amount_minor`` to the buyer, ``credit_minor`` of it as store credit and the rest
    through the provider: from escrow first, then taken back from the released part (commission
    recomputed on what the seller keeps; see the module docstring).

    Refuses more than ``captured - refunded`` with :class:`RefundTooLarge`, and more to the card
    than the card paid.
    """
    _positive(amount_minor, "refund")
    currency = position.currency
    if amount_minor > position.refundable_minor:
        raise RefundTooLarge(amount_minor, position.refundable_minor, currency)
    if not 0 <= credit_minor <= amount_minor:
        raise PostingError(f"credit {credit_minor} is outside 0..{amount_minor} of the refund")
    if amount_minor - credit_minor > position.card_refundable_minor:
        raise RefundTooLarge(amount_minor - credit_minor, position.card_refundable_minor, currency)
    if credit_minor and not buyer_ref:
        raise PostingError("a refund to store credit names the buyer's credit account")
    from_escrow = min(amount_minor, position.escrow_minor)
    from_released = amount_minor - from_escrow
    if from_released > position.released_minor:  # only if the position itself is inconsistent
        raise RefundTooLarge(
            amount_minor, position.escrow_minor + position.released_minor, currency
        )
    postings = []
    if amount_minor - credit_minor:
        refunds = AccountKey(BUYER_REFUNDS, provider, currency)
        postings.append(Posting(refunds, amount_minor - credit_minor))
    if credit_minor:
        postings.append(Posting(credit_account(buyer_ref, currency), credit_minor))
    if from_escrow:
        postings.append(Posting(escrow_account(position.order_ref, currency), -from_escrow))
    if from_released:
        bps = position.commission_bps if position.commission_bps is not None else 0
        kept = position.released_minor - from_released
        commission_back = position.commission_minor - commission_minor(kept, bps, currency)
        seller_back = from_released - commission_back
        if commission_back:
            platform = AccountKey(PLATFORM_COMMISSION, "", currency)
            postings.append(Posting(platform, -commission_back))
        if seller_back:
            payable = AccountKey(SELLER_PAYABLE, position.seller_ref, currency)
            postings.append(Posting(payable, -seller_back))
    return check_balanced(postings)


def refund_credit_part(position: OrderPosition, amount_minor: int, card_pending_minor: int) -> int:
    """How much of a refund goes back as store credit: the card gets back what it paid first
    (less refunds to it still in progress), store credit the rest."""
    card_left = max(position.card_refundable_minor - card_pending_minor, 0)
    return max(amount_minor - card_left, 0)


def credit_issue_postings(
    *, program: str, buyer_ref: str, amount_minor: int, currency: str
) -> list[Posting]:
    """A program (trade-in) grants the buyer store credit."""
    _positive(amount_minor, "store credit")
    return check_balanced(
        _transfer(
            AccountKey(CREDIT_ISSUED, program, currency),
            credit_account(buyer_ref, currency),
            amount_minor,
        )
    )


def credit_hold_postings(
    *, buyer_ref: str, payment_ref: str, amount_minor: int, currency: str
) -> list[Posting]:
    """Credit set aside for one payment (so two checkouts cannot spend it twice)."""
    _positive(amount_minor, "store credit to hold")
    return check_balanced(
        _transfer(
            credit_account(buyer_ref, currency),
            credit_hold_account(payment_ref, currency),
            amount_minor,
        )
    )


def credit_release_postings(
    *, buyer_ref: str, payment_ref: str, amount_minor: int, currency: str
) -> list[Posting]:
    """A payment that failed or was cancelled gives its held credit back to the buyer."""
    _positive(amount_minor, "store credit to release")
    return check_balanced(
        _transfer(
            credit_hold_account(payment_ref, currency),
            credit_account(buyer_ref, currency),
            amount_minor,
        )
    )


def payout_postings(*, seller_ref: str, payable_minor: int, currency: str) -> list[Posting]:
    """Pays the seller's whole positive payable balance out (a negative one is owed to us)."""
    _positive(payable_minor, "payable balance to pay out")
    return check_balanced(
        _transfer(
            AccountKey(SELLER_PAYABLE, seller_ref, currency),
            AccountKey(SELLER_PAYOUTS, seller_ref, currency),
            payable_minor,
        )
    )


def position_after(position: OrderPosition, postings: Iterable[Posting]) -> OrderPosition:
    """The order's position once ``postings`` are applied (used by tests and by the selector
    that builds a position from the ledger's rows, so both read entries the same way)."""
    captured, refunded = position.captured_minor, position.refunded_minor
    credit_captured = position.credit_captured_minor
    credit_refunded = position.credit_refunded_minor
    escrow, released, commission = (
        position.escrow_minor,
        position.released_minor,
        position.commission_minor,
    )
    for posting in postings:
        kind, amount = posting.account.kind, posting.amount_minor
        if kind == PROVIDER_CLEARING:
            captured -= amount
        elif kind == CREDIT_HOLD:
            captured -= amount
            credit_captured -= amount
        elif kind == BUYER_REFUNDS:
            refunded += amount
        elif kind == STORE_CREDIT:
            refunded += amount
            credit_refunded += amount
        elif kind == ESCROW:
            escrow += amount
        elif kind == SELLER_PAYABLE:
            released += amount
        elif kind == PLATFORM_COMMISSION:
            released += amount
            commission += amount
    return OrderPosition(
        order_ref=position.order_ref,
        seller_ref=position.seller_ref,
        currency=position.currency,
        captured_minor=captured,
        refunded_minor=refunded,
        escrow_minor=escrow,
        released_minor=released,
        commission_minor=commission,
        commission_bps=position.commission_bps,
        credit_captured_minor=credit_captured,
        credit_refunded_minor=credit_refunded,
    )
