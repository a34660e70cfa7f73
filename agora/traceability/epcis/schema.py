"""The official EPCIS 2.0 JSON schema, compiled once.

We ship our own copy (``EPCIS-JSON-Schema.json`` beside this module), generated at build time by
``make`` from ../shared/data/epcis, so the validator works offline and from an installed wheel
without reading the shared folder; the copy is not committed.

Two validators read it. jsonschema's :class:`Draft7Validator` is the reference: it reports every
error with its place, but costs about a millisecond an event, a minute for a 10 MB capture.
:func:`fast_event_check` is the same schema compiled to Python by fastjsonschema, only for a
yes/no answer, about ten times faster; the validator asks jsonschema for the errors only of what
the fast check refused, so valid documents are fast and invalid ones keep the reference errors.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import fastjsonschema
from jsonschema import Draft7Validator

SCHEMA_PATH = Path(__file__).with_name("EPCIS-JSON-Schema.json")
# The definition every item of an event list must match (``definitions/eventList/items``).
EVENT_DEFINITION = "EPCIS-Document-Event"
_EVENT_LIST = {"type": "array", "items": {"$ref": f"#/definitions/{EVENT_DEFINITION}"}}


class SchemaMissing(RuntimeError):
    """Our copy of the EPCIS schema has not been generated (run ``make``)."""


@functools.cache
def _schema() -> dict[str, Any]:
    """The official schema as read from our copy, checked to be a valid Draft 7 schema."""
    try:
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaMissing(
            f"the EPCIS JSON schema {SCHEMA_PATH} is missing: run `make assets` (or `make run` / "
            "`make test`) to copy it from ../shared/data/epcis/EPCIS-JSON-Schema.json"
        ) from None
    Draft7Validator.check_schema(schema)
    checker = Draft7Validator.FORMAT_CHECKER
    missing = {"date-time", "uri"} - set(checker.checkers)
    if missing:
        raise SchemaMissing(
            f"jsonschema cannot check the formats {sorted(missing)}: install rfc3339-validator "
            "and rfc3986-validator"
        )
    return schema


@functools.cache
def validator() -> Draft7Validator:
    """A Draft 7 validator of the EPCIS schema that checks ``date-time`` and ``uri`` formats.

    The formats need rfc3339-validator and rfc3986-validator (installed with jsonschema here);
    without a format checker jsonschema would silently accept any string as a date-time.
    """
    schema = inline_definitions(_schema())
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def clear_caches() -> None:
    """Forget the loaded schema and every validator built from it (a new copy was installed)."""
    for cached in (_schema, validator, event_validator, fast_event_check):
        cached.cache_clear()


def events_separable() -> bool:
    """Whether the schema constrains event-list items only through :data:`EVENT_DEFINITION`.

    Then the errors of a whole document are those of the document with empty event lists plus,
    for each event, the errors of that event against the event definition alone (their paths
    prefixed): what lets the validator check events one by one. True of EPCIS 2.0; a different
    schema copy (say one adding ``minItems`` or ``uniqueItems`` to the list) turns it off, and
    the whole document goes through jsonschema as before.
    """
    return _schema().get("definitions", {}).get("eventList") == _EVENT_LIST


@functools.cache
def event_validator() -> Draft7Validator:
    """jsonschema's validator of one event-list item, for the errors of events the fast check
    refused. Same definitions and format checker as :func:`validator`."""
    definitions = _schema()["definitions"]
    event = inline_definitions(
        {"definitions": definitions, "$ref": f"#/definitions/{EVENT_DEFINITION}"}
    )
    return Draft7Validator(event, format_checker=Draft7Validator.FORMAT_CHECKER)


@functools.cache
def fast_event_check() -> Callable[[Any], bool]:
    """True when one event-list item is valid against the event definition (fastjsonschema).

    The schema's formats are checked with the very functions jsonschema's format checker uses
    (fastjsonschema's own ``date-time`` regex accepts ``+0200`` and Feb 30, its ``uri`` regex
    almost anything); formats jsonschema does not know are not checked, as there. Where the two
    libraries still differ, fastjsonschema is the stricter (``$`` in a pattern means end of
    string; an integer must not be written ``1.0``), and a refusal only sends the event to
    jsonschema, whose verdict stands; so a document is never accepted that jsonschema refuses.
    Compiling takes about 0.1 s, once per process.
    """
    schema = _schema()
    checkers = Draft7Validator.FORMAT_CHECKER.checkers
    formats = {
        name: checkers[name][0] if name in checkers else _any_string for name in _formats_in(schema)
    }
    check = fastjsonschema.compile(
        {"definitions": schema["definitions"], "$ref": f"#/definitions/{EVENT_DEFINITION}"},
        formats=formats,
        detailed_exceptions=False,  # we only want yes or no; messages come from jsonschema
    )

    def valid(event: Any) -> bool:
        try:
            check(event)
        except Exception:  # JsonSchemaValueException, or anything odd: let jsonschema decide
            return False
        return True

    return valid


def _any_string(value: Any) -> bool:
    return True


def _formats_in(node: Any) -> Iterator[str]:
    """Every ``format`` keyword value in a schema."""
    if isinstance(node, list):
        for item in node:
            yield from _formats_in(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "format" and isinstance(value, str):
                yield value
            elif key not in {"enum", "const"}:
                yield from _formats_in(value)


def inline_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local ``#/definitions/...`` reference replaced by its target.

    Resolving ``$ref`` through jsonschema's registry is about half the cost of validating an
    event (the EPCIS schema references ~60 definitions per event); the schema has no recursive
    definitions, so inlining them once makes validation about twice as fast and means the same.
    In Draft 7 a ``$ref`` overrides its sibling keywords, so dropping them is faithful too.
    """
    definitions = schema.get("definitions", {})

    def inline(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = unquote(ref.removeprefix("#/definitions/")).replace("~1", "/").replace("~0", "~")
            if name in seen or name not in definitions:
                return node  # recursive or unknown: leave it to the validator's resolver
            return inline(definitions[name], (*seen, name))
        return {k: v if k in {"enum", "const"} else inline(v, seen) for k, v in node.items()}

    flat = inline(schema, ())
    flat["definitions"] = definitions  # any reference left as it was still resolves
    return flat
