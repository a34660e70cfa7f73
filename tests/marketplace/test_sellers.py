"""Sellers: onboarding states, VAT ids, staff permissions and category commissions."""

from __future__ import annotations

import itertools

import pytest

from agora.accounts.services import actor_for_api_key, actor_for_user, api_key_issue, user_create
from agora.catalog.models import CategoryCommission
from agora.catalog.selectors import commission_bps_for
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry
from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.permissions import require_seller_access
from agora.marketplace.services import seller_apply, seller_staff_add, seller_transition
from agora.marketplace.states import TRANSITIONS, SellerState, can_move
from agora.marketplace.vat import VatIdError, normalize_vat_id
from tests.conftest import SYSTEM, make_category, make_seller

LEGAL = {
    ("applied", "verified"),
    ("verified", "active"),
    ("active", "suspended"),
    ("suspended", "active"),
    ("applied", "rejected"),
    ("verified", "rejected"),
}


def apply(**kw) -> Seller:  # type: ignore[no-untyped-def]
    args = {
        "display_name": "Oak & Ash",
        "legal_name": "Oak & Ash GmbH",
        "country": "DE",
        "payout_currency": "eur",
    }
    return seller_apply(actor=SYSTEM, **{**args, **kw})


@pytest.mark.parametrize(("current", "target"), list(itertools.product(SellerState, SellerState)))
def test_state_machine_table(current: SellerState, target: SellerState) -> None:
    assert can_move(current, target) == ((current.value, target.value) in LEGAL)
    assert set(TRANSITIONS) == set(SellerState)


@pytest.mark.django_db
def test_apply_creates_an_applied_seller_with_its_owner() -> None:
    owner = user_create(email="Owner@Example.com", password="a long passphrase 42")
    seller = apply(owner=owner, vat_id="de 136 695 976")
    assert seller.state == "applied" and seller.slug == "oak-ash"
    assert seller.payout_currency == "EUR" and seller.vat_id == "DE136695976"
    assert seller.public_id.startswith("sel_")
    assert SellerStaff.objects.get(seller=seller).role == "owner"
    assert owner.email == "owner@example.com"
    entry = AuditEntry.objects.get(action="seller.applied", target_id=seller.public_id)
    assert entry.changes == {"legal_name": "Oak & Ash GmbH", "country": "DE"}


@pytest.mark.django_db
def test_onboarding_walks_the_legal_path_and_audits_it() -> None:
    seller = apply()
    for target in ("verified", "active", "suspended", "active"):
        seller = seller_transition(actor=SYSTEM, seller=seller, to=target, reason="checked")
        assert Seller.objects.get(pk=seller.pk).state == target
    actions = list(
        AuditEntry.objects.filter(target_id=seller.public_id)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "seller.applied",
        "seller.verified",
        "seller.active",
        "seller.suspended",
        "seller.active",
    ]
    last = AuditEntry.objects.filter(target_id=seller.public_id).order_by("-id").first()
    assert last.changes == {"state": ["suspended", "active"], "reason": "checked"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "active"),
        ([], "suspended"),
        ([], "applied"),
        (["verified"], "suspended"),
        (["verified"], "applied"),
        (["verified", "active"], "verified"),
        (["verified", "active", "suspended"], "verified"),
        (["verified", "active", "suspended"], "applied"),
    ],
)
def test_illegal_transitions_are_refused(path: list[str], target: str) -> None:
    seller = apply()
    for step in path:
        seller = seller_transition(actor=SYSTEM, seller=seller, to=step, reason="checked")
    current = seller.state
    audits = AuditEntry.objects.count()
    with pytest.raises(AgoraError) as caught:
        seller_transition(actor=SYSTEM, seller=seller, to=target)
    assert caught.value.problem.slug == "invalid-state-transition"
    assert caught.value.problem.status == 409
    assert current in caught.value.detail and target in caught.value.detail
    assert Seller.objects.get(pk=seller.pk).state == current
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError):
        seller_transition(actor=SYSTEM, seller=apply(), to="closed")


@pytest.mark.parametrize(
    ("country", "raw", "normalised"),
    [
        ("DE", "DE136695976", "DE136695976"),
        ("DE", "136695976", "DE136695976"),
        ("de", "de 136 695 976", "DE136695976"),
        ("FR", "FR 40 303 265 045", "FR40303265045"),
        ("FR", "40303265045", "FR40303265045"),
        ("GB", "GB 980 7806 84", "GB980780684"),
        ("GB", "980780684", "GB980780684"),
        ("GR", "EL 094259216", "EL094259216"),
        ("NL", "NL004495445B01", "NL004495445B01"),
    ],
)
def test_valid_vat_ids_are_normalised(country: str, raw: str, normalised: str) -> None:
    assert normalize_vat_id(country, raw) == normalised


@pytest.mark.parametrize(
    ("country", "raw"),
    [
        ("DE", "DE136695977"),  # check digit
        ("FR", "FR41303265045"),  # check digits
        ("GB", "GB980780685"),  # check digit
        ("DE", "FR40303265045"),  # another country's id
        ("DE", "DE12345"),  # too short
        ("DE", ""),
        ("ZZ", "123456789"),  # no such country
    ],
)
def test_invalid_vat_ids_are_refused(country: str, raw: str) -> None:
    with pytest.raises(VatIdError):
        normalize_vat_id(country, raw)


@pytest.mark.django_db
def test_apply_with_a_bad_vat_id_is_refused_and_writes_nothing() -> None:
    with pytest.raises(AgoraError) as caught:
        apply(vat_id="DE136695977")
    assert caught.value.problem.slug == "vat-id-invalid"
    assert [e.field for e in caught.value.errors] == ["vat_id"]
    assert not Seller.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "Germany"}, "country"),
        ({"payout_currency": "ABC"}, "payout_currency"),
        ({"display_name": " "}, "display_name"),
        ({"legal_name": ""}, "legal_name"),
        ({"display_name": "d" * 151}, "display_name"),
        ({"legal_name": "l" * 201}, "legal_name"),
        ({"commission_bps": 10001}, "commission_bps"),
        ({"commission_bps": -1}, "commission_bps"),
        ({"display_name": "!!!"}, "slug"),
    ],
)
def test_apply_refuses_bad_input(kw: dict, field: str) -> None:
    with pytest.raises(AgoraError) as caught:
        apply(**kw)
    assert [e.field for e in caught.value.errors] == [field]
    assert not Seller.objects.exists()


@pytest.mark.django_db
def test_slug_taken_is_refused() -> None:
    apply()
    with pytest.raises(AgoraError) as caught:
        apply(legal_name="Another GmbH")
    assert caught.value.problem.slug == "seller-slug-taken"
    assert Seller.objects.count() == 1


# --- who may act for a seller --------------------------------------------------------------


@pytest.mark.django_db
def test_staff_roles_limit_scope_families(seller: Seller) -> None:
    editor = user_create(email="editor@example.com", password="a long passphrase 42")
    stranger = user_create(email="stranger@example.com", password="a long passphrase 42")
    seller_staff_add(actor=SYSTEM, seller=seller, user=editor, role="catalog")
    as_editor = actor_for_user(editor, seller_id=seller.pk)
    require_seller_access(as_editor, seller, "catalog:write")
    require_seller_access(as_editor, seller, "pricing:write")
    for scope in ("orders:read", "sellers:write"):
        with pytest.raises(AgoraError) as caught:
            require_seller_access(as_editor, seller, scope)
        assert caught.value.problem.slug == "forbidden"
    with pytest.raises(AgoraError):
        require_seller_access(actor_for_user(stranger), seller, "catalog:read")
    seller_staff_add(actor=SYSTEM, seller=seller, user=editor, role="fulfilment")  # role replaced
    require_seller_access(as_editor, seller, "orders:write")
    with pytest.raises(AgoraError):
        require_seller_access(as_editor, seller, "catalog:write")
    with pytest.raises(AgoraError) as caught:
        seller_staff_add(actor=SYSTEM, seller=seller, user=editor, role="king")
    assert caught.value.errors[0].field == "role"


@pytest.mark.django_db
def test_operator_may_act_for_any_seller(seller: Seller) -> None:
    operator = user_create(email="ops@example.com", password="a long passphrase 42")
    operator.is_staff = True
    operator.save()
    require_seller_access(actor_for_user(operator), seller, "sellers:write")


@pytest.mark.django_db
def test_api_key_acts_only_for_its_seller_and_scopes(seller: Seller, other_seller: Seller) -> None:
    key, _ = api_key_issue(actor=SYSTEM, name="k", scopes=["catalog:read"], seller_id=seller.pk)
    actor = actor_for_api_key(key)
    require_seller_access(actor, seller, "catalog:read")
    with pytest.raises(AgoraError) as caught:
        require_seller_access(actor, seller, "catalog:write")
    assert caught.value.problem.slug == "scope-missing"
    with pytest.raises(AgoraError) as caught:
        require_seller_access(actor, other_seller, "catalog:read")
    assert caught.value.problem.slug == "forbidden"


# --- commissions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_commission_override_walks_up_the_category_tree(
    seller: Seller, other_seller: Seller
) -> None:
    home = make_category("Home")
    kitchen = make_category("Kitchen", home)
    cups = make_category("Cups", kitchen)
    garden = make_category("Garden")
    assert seller.commission_bps == 1000
    assert commission_bps_for(seller=seller, category=cups) == 1000
    CategoryCommission.objects.create(seller=seller, category=home, commission_bps=1500)
    assert commission_bps_for(seller=seller, category=cups) == 1500
    assert commission_bps_for(seller=seller, category=home) == 1500
    CategoryCommission.objects.create(seller=seller, category=kitchen, commission_bps=1200)
    assert commission_bps_for(seller=seller, category=cups) == 1200  # the nearest override wins
    assert commission_bps_for(seller=seller, category=kitchen) == 1200
    assert commission_bps_for(seller=seller, category=home) == 1500
    assert commission_bps_for(seller=seller, category=garden) == 1000
    assert commission_bps_for(seller=seller, category=None) == 1000
    assert commission_bps_for(seller=other_seller, category=cups) == 1000  # per seller
    CategoryCommission.objects.create(seller=seller, category=cups, commission_bps=0)
    assert commission_bps_for(seller=seller, category=cups) == 0  # zero is an override too


@pytest.mark.django_db
def test_seller_default_commission(db) -> None:  # type: ignore[no-untyped-def]
    seller = make_seller("delta")
    Seller.objects.filter(pk=seller.pk).update(commission_bps=750)
    seller.refresh_from_db()
    assert commission_bps_for(seller=seller, category=make_category("Books")) == 750
