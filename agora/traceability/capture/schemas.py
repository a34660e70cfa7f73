"""Shapes of the EPCIS endpoints' answers: the capture job, and the JSON-LD query document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from agora.core import clock
from agora.traceability.models import EpcisCapture, EpcisEvent

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


class CaptureJobOut(BaseModel):
    """The EPCIS 2.0 REST binding's capture job. Capture is synchronous here, so a job is
    always finished and successful (a refused document is answered with its problems)."""

    captureID: str  # the EPCIS REST binding's field names
    createdAt: datetime
    finishedAt: datetime
    running: bool = False
    success: bool = True
    captureErrorBehaviour: str = "rollback"
    errors: list[dict[str, Any]] = []
    eventIDs: list[str]
    logIndices: list[int]
    newEvents: int


def capture_job_out(capture: EpcisCapture, log_indices: list[int]) -> CaptureJobOut:
    return CaptureJobOut(
        captureID=capture.public_id,
        createdAt=capture.created_at,
        finishedAt=capture.created_at,
        eventIDs=list(capture.event_ids),
        logIndices=log_indices,
        newEvents=capture.new_events,
    )


def event_out(event: EpcisEvent) -> dict[str, Any]:
    """The event as captured, with the record time we gave it (an EPCIS standard field)."""
    document = dict(event.document)
    document["recordTime"] = event.record_time.isoformat().replace("+00:00", "Z")
    return document


def query_document(events: list[EpcisEvent], *, query_name: str = "SimpleEventQuery") -> dict:
    """An EPCISQueryDocument holding ``events`` (each keeps its own ``@context``)."""
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": clock.now().isoformat().replace("+00:00", "Z"),
        "epcisBody": {
            "queryResults": {
                "queryName": query_name,
                "resultsBody": {"eventList": [event_out(e) for e in events]},
            }
        },
    }
