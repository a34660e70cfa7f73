"""Standard Webhooks signing: the published test vector, and verify() refusing what it must."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agora.webhooks.signing import (
    MissingHeaders,
    SignatureMismatch,
    TimestampOutOfTolerance,
    WebhookVerificationError,
    new_secret,
    secret_key,
    sign,
    verify,
)

# The vector the official Standard Webhooks libraries test against.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
PAYLOAD = b'{"test": 2432232314}'
EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def headers(signature: str = EXPECTED, timestamp: int = TIMESTAMP) -> dict[str, str]:
    return {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def test_sign_reproduces_the_published_test_vector() -> None:
    assert sign(SECRET, MSG_ID, TIMESTAMP, PAYLOAD) == EXPECTED
    # the official libraries also accept the secret without its prefix
    assert sign(SECRET.removeprefix("whsec_"), MSG_ID, TIMESTAMP, PAYLOAD) == EXPECTED


def test_verify_accepts_the_published_test_vector() -> None:
    verify(SECRET, headers(), PAYLOAD, now=TIMESTAMP)
    # header names in any case, as HTTP frameworks hand them over
    verify(SECRET, {k.title(): v for k, v in headers().items()}, PAYLOAD, now=TIMESTAMP + 299)


def test_verify_refuses_a_tampered_payload() -> None:
    with pytest.raises(SignatureMismatch):
        verify(SECRET, headers(), b'{"test": 2432232315}', now=TIMESTAMP)


def test_verify_refuses_the_wrong_secret() -> None:
    with pytest.raises(SignatureMismatch):
        verify(new_secret(), headers(), PAYLOAD, now=TIMESTAMP)


def test_verify_refuses_another_message_id() -> None:
    other = {**headers(), "webhook-id": "msg_other"}
    with pytest.raises(SignatureMismatch):
        verify(SECRET, other, PAYLOAD, now=TIMESTAMP)


@pytest.mark.parametrize("offset", [-301, 301, -86400, 86400])
def test_verify_refuses_old_and_future_timestamps(offset: int) -> None:
    # "now" is offset from the signed timestamp: -301 means the message is 301 s in the future
    with pytest.raises(TimestampOutOfTolerance, match="at most 300s"):
        verify(SECRET, headers(), PAYLOAD, now=TIMESTAMP + offset)


def test_a_signature_made_for_another_timestamp_does_not_verify() -> None:
    """Moving the timestamp header into the window does not help a replayed old message."""
    with pytest.raises(SignatureMismatch):
        verify(SECRET, headers(timestamp=TIMESTAMP + 1000), PAYLOAD, now=TIMESTAMP + 1000)


def test_the_tolerance_is_configurable() -> None:
    verify(SECRET, headers(), PAYLOAD, now=TIMESTAMP + 3000, tolerance=3600)
    with pytest.raises(TimestampOutOfTolerance):
        verify(SECRET, headers(), PAYLOAD, now=TIMESTAMP + 10, tolerance=5)


def test_verify_accepts_any_of_several_signatures() -> None:
    """During a secret rotation the header carries one signature per secret."""
    other = sign(new_secret(), MSG_ID, TIMESTAMP, PAYLOAD)
    verify(SECRET, headers(f"{other} {EXPECTED}"), PAYLOAD, now=TIMESTAMP)
    verify(SECRET, headers(f"v1,bogus {EXPECTED}"), PAYLOAD, now=TIMESTAMP)
    with pytest.raises(SignatureMismatch):
        verify(SECRET, headers(f"{other} v1,bogus"), PAYLOAD, now=TIMESTAMP)


def test_verify_ignores_other_signature_versions() -> None:
    with pytest.raises(SignatureMismatch):
        verify(SECRET, headers(EXPECTED.replace("v1,", "v1a,")), PAYLOAD, now=TIMESTAMP)


def test_verify_names_missing_headers_and_bad_timestamps() -> None:
    with pytest.raises(MissingHeaders, match="webhook-signature"):
        verify(SECRET, {"webhook-id": MSG_ID, "webhook-timestamp": "1"}, PAYLOAD)
    with pytest.raises(TimestampOutOfTolerance, match="not a Unix time"):
        verify(SECRET, {**headers(), "webhook-timestamp": "yesterday"}, PAYLOAD)
    assert issubclass(SignatureMismatch, WebhookVerificationError)


def test_new_secrets_follow_the_standard() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != new_secret()
    with pytest.raises(ValueError, match="base64"):
        secret_key("whsec_not base64!")


@given(payload=st.binary(max_size=512), msg_id=st.text(min_size=1, max_size=40))
def test_sign_and_verify_are_inverse_and_any_changed_byte_is_refused(
    payload: bytes, msg_id: str
) -> None:
    secret = SECRET
    signature = sign(secret, msg_id, TIMESTAMP, payload)
    hdrs = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(TIMESTAMP),
        "webhook-signature": signature,
    }
    verify(secret, hdrs, payload, now=TIMESTAMP)
    tampered = payload + b"x" if not payload else bytes([payload[0] ^ 1]) + payload[1:]
    with pytest.raises(SignatureMismatch):
        verify(secret, hdrs, tampered, now=TIMESTAMP)
