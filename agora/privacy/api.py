"""Consent over the API (the buyer's session with CSRF, like the cart): read the purposes with
their current text versions and where the visitor stands, and change any of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router
from pydantic import BaseModel

from agora.accounts.services import actor_for_user
from agora.api.schemas import StrictInput
from agora.checkout.auth import buyer_session_auth
from agora.core.errors import UNAUTHENTICATED, AgoraError, invalid
from agora.privacy.models import ConsentRecord
from agora.privacy.purposes import PURPOSES
from agora.privacy.rights.erasure import erasure_run
from agora.privacy.rights.export import export_data
from agora.privacy.selectors import consent_state
from agora.privacy.services import consent_set
from agora.privacy.subjects import request_subject

router = Router(tags=["buyer: privacy"], auth=buyer_session_auth)


class ConsentOut(BaseModel):
    purpose: str
    title: str
    text: str
    current_version: int = Field(description="send this back when you change the choice")
    granted: bool = Field(description="the latest decision (false when never asked)")
    counts: bool = Field(description="granted on the current text: only then is it used")
    decided_version: int | None
    decided_at: datetime | None
    method: str


class ConsentChoiceIn(StrictInput):
    granted: bool
    version: int = Field(description="the text version the person was shown")


class ConsentsIn(StrictInput):
    choices: dict[str, ConsentChoiceIn] = Field(
        examples=[{"personalisation": {"granted": True, "version": 1}}]
    )


def _out(subject: str) -> list[ConsentOut]:
    state = consent_state(subject)
    return [
        ConsentOut(
            purpose=code,
            title=str(PURPOSES[code].title),
            text=str(PURPOSES[code].text),
            current_version=PURPOSES[code].version,
            granted=s.granted,
            counts=s.counts,
            decided_version=s.text_version,
            decided_at=s.at,
            method=s.method,
        )
        for code, s in state.items()
    ]


@router.get("/me/consents", response=list[ConsentOut], summary="Consent by purpose")
def consents_get(request: HttpRequest) -> list[ConsentOut]:
    return _out(request_subject(request))


@router.put("/me/consents", response=list[ConsentOut], summary="Give or withdraw consent")
def consents_put(request: HttpRequest, payload: ConsentsIn) -> list[ConsentOut]:
    subject = request_subject(request, create=True)
    consent_set(
        subject=subject,
        choices={k: v.granted for k, v in payload.choices.items()},
        versions={k: v.version for k, v in payload.choices.items()},
        method=ConsentRecord.Method.API,
    )
    return _out(subject)


def _signed_in(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise AgoraError(UNAUTHENTICATED, "sign in: only an account's own data can be exported")
    return user


@router.get(
    "/me/export",
    response=dict[str, Any],
    summary="Everything the platform holds about me",
    description="The same document as the privacy page's JSON download: one titled section "
    "per app (account, orders, reviews, consent, recommendation signals…).",
)
def export_get(request: HttpRequest) -> dict[str, Any]:
    return export_data(_signed_in(request).pk)


class ErasureIn(StrictInput):
    password: str = Field(max_length=200, description="the account's password, to confirm")
    confirm: bool = Field(description="must be true: erasure cannot be undone")


class ErasureOut(BaseModel):
    erased: str = Field(description="the account's public id")
    completed_at: datetime
    persons: int = Field(description="vault persons whose keys were destroyed")


@router.post(
    "/me/erasure",
    response=ErasureOut,
    summary="Erase my account",
    description="Destroys the account's personal-data keys, deletes what was derived from it "
    "and signs the session out; orders stay as invoices without personal fields. A second "
    "request is 409 erasure-already-done.",
)
def erasure_post(request: HttpRequest, payload: ErasureIn) -> ErasureOut:
    user = _signed_in(request)
    if not payload.confirm:
        raise invalid("confirm", "must be true: erasure cannot be undone")
    if not user.check_password(payload.password):
        raise invalid("password", "is not the account's password; nothing was erased")
    erasure = erasure_run(actor=actor_for_user(user), user_id=user.pk)
    request.session.flush()
    return ErasureOut(
        erased=erasure.user_public_id,
        completed_at=erasure.completed_at,
        persons=len(erasure.persons),
    )
