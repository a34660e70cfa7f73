"""Problem types of EPCIS capture and query."""

from agora.core.errors import problem_type

EPCIS_INVALID = problem_type(
    "epcis-invalid",
    "The EPCIS document is not valid",
    422,
    "The document breaks the EPCIS 2.0 JSON schema or a rule the schema cannot express (event "
    "time and time-zone offset, event type, EPC URI and Digital Link syntax, check digits). "
    "`errors` lists each problem with the event's index, eventID and type, the JSON pointer and "
    "the rule broken. Nothing of the document was stored.",
)
EPCIS_MALFORMED = problem_type(
    "epcis-malformed",
    "The EPCIS document is not readable JSON",
    400,
    "The body is not UTF-8 JSON, or is nested deeper than the capture accepts. Nothing was stored.",
)
EPCIS_TOO_LARGE = problem_type(
    "epcis-too-large",
    "The EPCIS document is too large",
    413,
    "A capture request holds at most 10 MB; split the event list over several documents. "
    "Nothing was stored.",
)
EPCIS_EVENT_ID_CONFLICT = problem_type(
    "epcis-event-id-conflict",
    "That eventID is already used by a different event",
    409,
    "An event with this eventID was captured before with other content. Sending the same event "
    "again is harmless; a correction is a new event (an error declaration), not a reused id.",
)
EPCIS_QUERY_PARAMETER = problem_type(
    "epcis-query-parameter",
    "An EPCIS query parameter is not valid",
    400,
    "A query parameter is unknown, or its value is not of the form the EPCIS 2.0 query "
    "interface expects (the detail names the parameter and what would be accepted).",
)
