"""BigBio's ``datasets.Features`` for each schema, written out field by field.

A record's :meth:`~biocurate.schemas.Record.to_bigbio` output casts to these unchanged; the
conformance tests check that for every KB loader.
"""

from __future__ import annotations

from typing import Any


def bigbio_features(schema: str) -> Any:
    """The ``datasets.Features`` of a BigBio schema (``kb``, ``qa``, ``text``, ``pairs``, ``t2t``, ``te``)."""
    from datasets import Features, List, Value

    s = Value("string")
    offsets = List(List(Value("int32")))
    normalized = [{"db_name": s, "db_id": s}]
    table = {
        "kb": {
            "id": s,
            "document_id": s,
            "passages": [{"id": s, "type": s, "text": List(s), "offsets": offsets}],
            "entities": [{"id": s, "type": s, "text": List(s), "offsets": offsets, "normalized": normalized}],
            "events": [
                {
                    "id": s,
                    "type": s,
                    "trigger": {"text": List(s), "offsets": offsets},
                    "arguments": [{"role": s, "ref_id": s}],
                }
            ],
            "coreferences": [{"id": s, "entity_ids": List(s)}],
            "relations": [{"id": s, "type": s, "arg1_id": s, "arg2_id": s, "normalized": normalized}],
        },
        "qa": {
            "id": s, "question_id": s, "document_id": s, "question": s, "type": s,
            "choices": List(s), "context": s, "answer": List(s),
        },
        "text": {"id": s, "document_id": s, "text": s, "labels": List(s)},
        "pairs": {"id": s, "document_id": s, "text_1": s, "text_2": s, "label": s},
        "t2t": {"id": s, "document_id": s, "text_1": s, "text_2": s, "text_1_name": s, "text_2_name": s},
        "te": {"id": s, "premise": s, "hypothesis": s, "label": s},
    }
    if schema not in table:
        raise KeyError(f"BigBio has no schema {schema!r}; known: {', '.join(table)}")
    return Features(table[schema])
