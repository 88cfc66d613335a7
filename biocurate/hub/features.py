"""The Hub's ``dataset_info`` YAML of an export: features from the Parquet schema, split sizes.

The dataset card (:mod:`biocurate.export.card`) writes these so the Hub viewer and
``datasets.load_dataset`` know every column's type without reading a shard. The features are
read from the written Parquet schema (never inferred from rows), in the YAML layout that
``datasets.Features._from_yaml_list`` reads (``dtype`` for a scalar, ``list`` for a list, a
list of ``name``/``dtype`` entries for a struct).

Example:
    >>> import pyarrow as pa
    >>> features_yaml(pa.schema([("id", pa.string()), ("tags", pa.list_(pa.string()))]))
    [{'name': 'id', 'dtype': 'string'}, {'name': 'tags', 'list': 'string'}]
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from biocurate.errors import ExportError

_SCALARS: dict[pa.DataType, str] = {
    pa.string(): "string", pa.large_string(): "large_string", pa.bool_(): "bool",
    pa.int8(): "int8", pa.int16(): "int16", pa.int32(): "int32", pa.int64(): "int64",
    pa.uint8(): "uint8", pa.uint16(): "uint16", pa.uint32(): "uint32", pa.uint64(): "uint64",
    pa.float16(): "float16", pa.float32(): "float32", pa.float64(): "float64",
    pa.binary(): "binary", pa.large_binary(): "large_binary", pa.null(): "null",
}

#: The Hub's ``size_categories`` buckets, as (exclusive upper bound, label).
SIZE_CATEGORIES: tuple[tuple[float, str], ...] = (
    (1e3, "n<1K"), (1e4, "1K<n<10K"), (1e5, "10K<n<100K"), (1e6, "100K<n<1M"), (1e7, "1M<n<10M"),
    (1e8, "10M<n<100M"), (1e9, "100M<n<1B"), (1e10, "1B<n<10B"), (1e11, "10B<n<100B"), (1e12, "100B<n<1T"),
)


def size_category(rows: int) -> str:
    """The Hub's ``size_categories`` label for a row count (``33329`` -> ``10K<n<100K``)."""
    return next((label for bound, label in SIZE_CATEGORIES if rows < bound), "n>1T")


def _type_yaml(dtype: pa.DataType, where: str) -> dict[str, Any]:
    if dtype in _SCALARS:
        return {"dtype": _SCALARS[dtype]}
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        inner = _type_yaml(dtype.value_type, f"{where}[]")
        # a list of a scalar or of a list is written inline; a list of a struct lists its fields
        return {"list": inner.get("dtype", inner.get("struct", inner))}
    if pa.types.is_struct(dtype):
        return {"struct": [{"name": f.name, **_type_yaml(f.type, f"{where}.{f.name}")} for f in dtype]}
    raise ExportError(f"column {where!r}: Arrow type {dtype} has no Hub feature mapping here "
                      "(supported: strings, integers, floats, bool, binary, lists and structs of them)")


def features_yaml(schema: pa.Schema) -> list[dict[str, Any]]:
    """The ``features`` list of a ``dataset_info`` entry for an Arrow schema.

    Raises:
        ExportError: a column type outside strings, numbers, bool, binary, lists and structs.
    """
    return [{"name": f.name, **_type_yaml(f.type, f.name)} for f in schema]


def dataset_info(config_name: str, schema: pa.Schema, rows: int, data_bytes: int, download_bytes: int) -> dict[str, Any]:
    """One config's ``dataset_info`` entry: features and one ``train`` split.

    Args:
        config_name: the config (``default``, a category, ``lang_zh``).
        schema: the Arrow schema of its shards.
        rows: its number of rows (``datasets`` checks this against what it loads).
        data_bytes: uncompressed size of its rows (``num_bytes``, ``dataset_size``).
        download_bytes: size of its files on disk (``download_size``).
    """
    return {
        "config_name": config_name,
        "features": features_yaml(schema),
        "splits": [{"name": "train", "num_bytes": data_bytes, "num_examples": rows}],
        "download_size": download_bytes,
        "dataset_size": data_bytes,
    }


__all__ = ["SIZE_CATEGORIES", "dataset_info", "features_yaml", "size_category"]
