"""Dataset loaders (stage 2): one module per dataset, shared raw-format parsers in ``formats``.

Example:
    >>> from biocurate.loaders import get_loader
    >>> loader = get_loader("CMeEE")(data_dir)          # alias of "cmeee"
    >>> first = next(loader.iter_split("validation"))
"""

from __future__ import annotations

from ._base import SPLITS, DatasetMeta, Deferred, Loader, Reject, SourceFile, SourceItem, resolve_item
from ._registry import ENTRY_POINT_GROUP, aliases_of, all_loaders, get_loader, register_loader, resolve_name

__all__ = [
    "SPLITS", "DatasetMeta", "Deferred", "Loader", "Reject", "SourceFile", "SourceItem", "ENTRY_POINT_GROUP",
    "aliases_of", "all_loaders", "get_loader", "register_loader", "resolve_item", "resolve_name",
]
