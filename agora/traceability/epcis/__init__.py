"""EPCIS 2.0 validation (pure Python, no Django): identifiers, schema, rules, the CLI.

``validate_document`` is the one entry point for the capture API and ``agora epcis validate``;
``identifiers`` parses and writes EPC URNs and GS1 Digital Links for the rest of traceability.
"""
