"""The whole chain against the real site: an event captured through the service, a checkpoint
signed, the bundle and the log read over HTTP from a live server, then checked by the offline
verifier (`agora trace verify`) and the monitor (`agora trace monitor`) as a buyer or auditor
would run them. Then one byte is changed where a dishonest operator could change it, and both
must notice."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from agora.core.actors import system
from agora.marketplace.models import Seller
from agora.traceability import monitor_cli, verifier_cli
from agora.traceability.capture.services import epcis_capture
from agora.traceability.log.services import checkpoint_sign
from agora.traceability.models import EpcisEvent, LogEntry
from tests.traceability.capture.documents import document, object_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.delenv("AGORA_TRACE_SIGNING_KEY", raising=False)
    monkeypatch.delenv("AGORA_TRACE_ORIGIN", raising=False)


def _capture(seller: Seller, *serials: str) -> list[str]:
    events = [
        object_event(
            eventID=f"urn:uuid:6f1c2a52-0000-4000-8000-00000000000{i}",
            epcList=[f"urn:epc:id:sgtin:9521234.054321.{serial}"],
        )
        for i, serial in enumerate(serials)
    ]
    result = epcis_capture(seller=seller, raw=json.dumps(document(*events)), actor=system("test"))
    checkpoint_sign()
    return result.event_ids


def _bundle(base: str, event_id: str, path: Path) -> Path:
    response = httpx.get(f"{base}/api/v1/trace/bundle/epcis_event/{event_id}")
    assert response.status_code == 200, response.text
    path.write_bytes(response.content)
    return path


def _verify(bundle: Path, key: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = verifier_cli.main([str(bundle), "--key", key])
    out = capsys.readouterr()
    return code, out.out + out.err


def _monitor(base: str, state: Path, key: str, capsys, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = monitor_cli.main(["--log", base, "--state", str(state), "--key", key, *extra])
    out = capsys.readouterr()
    return code, out.out + out.err


def _flip_one_byte(event_id: str) -> None:
    entry = LogEntry.objects.get(kind="epcis_event", ref=event_id)
    data = bytearray(entry.data)
    at = bytes(data).index(b"shipping")
    data[at] ^= 0x01  # "shipping" -> "rhipping": one bit of one byte
    LogEntry.objects.filter(pk=entry.pk).update(data=bytes(data))


def test_verifier_and_monitor_catch_one_changed_byte(live_server, seller, tmp_path, capsys):
    base = live_server.url
    first, _second = _capture(seller, "S1", "S2")
    key = httpx.get(f"{base}/api/v1/trace/key").text.strip()
    state = tmp_path / "monitor.json"

    code, said = _verify(_bundle(base, first, tmp_path / "good.json"), key, capsys)
    assert code == 0, said
    assert f"epcis_event {first}" in said and "tree size 2" in said
    code, said = _monitor(base, state, key, capsys)
    assert code == 0, said

    _flip_one_byte(first)

    code, said = _verify(_bundle(base, first, tmp_path / "tampered.json"), key, capsys)
    assert code == 1
    assert "the inclusion proof does not lead from entry #0 to the signed root" in said
    # the regular run has seen entry 0 already; a full re-read recomputes it and disagrees
    code, said = _monitor(base, state, key, capsys, "--full")
    assert code == 1, said
    assert "is not the signed root of tree size 2: an entry's bytes changed" in said
    assert state.exists()  # the last good state is kept, not overwritten by a bad run


def test_verifier_catches_a_changed_stored_copy_of_an_event(live_server, seller, tmp_path, capsys):
    """The log's bytes untouched, but the event table's copy (what pages and the query API
    serve) edited: the bundle shows the stored copy, which no longer matches the logged one."""
    base = live_server.url
    (event_id,) = _capture(seller, "S9")
    key = httpx.get(f"{base}/api/v1/trace/key").text.strip()
    stored = EpcisEvent.objects.get(event_id=event_id)
    stored.document = {**stored.document, "disposition": "active"}
    stored.save(update_fields=["document"])

    code, said = _verify(_bundle(base, event_id, tmp_path / "b.json"), key, capsys)
    assert code == 1
    assert "the readable event does not match the logged entry data" in said
