"""Signed download links for a person's export: the link names the account and its time, so a
changed, borrowed or old link is refused by name instead of serving anyone's data."""

from __future__ import annotations

from django.core import signing

from agora.core.errors import AgoraError
from agora.privacy.errors import EXPORT_LINK_INVALID

SALT = "agora.privacy.export"
MAX_AGE_SECONDS = 60 * 60  # one hour: long enough to download, short enough to leak little


def export_token(user_public_id: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign(user_public_id)


def export_token_check(token: str, *, user_public_id: str) -> None:
    """Raises ``export-link-invalid`` naming what is wrong with the link."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        owner = signer.unsign(token, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise AgoraError(
            EXPORT_LINK_INVALID, "the export link has expired (links last one hour)"
        ) from exc
    except signing.BadSignature as exc:
        raise AgoraError(
            EXPORT_LINK_INVALID, "the export link was changed: its signature does not match"
        ) from exc
    if owner != user_public_id:
        raise AgoraError(EXPORT_LINK_INVALID, "the export link belongs to another account")
