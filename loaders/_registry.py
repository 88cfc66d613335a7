"""Loader registry: built-in loaders found by walking this package, third-party ones through
the ``biocurate.loaders`` entry-point group.

A third-party package adds a loader with, in its ``pyproject.toml``::

    [project.entry-points."biocurate.loaders"]
    my_corpus = "my_package.my_loader:MyCorpus"

Names are case-insensitive; aliases (e.g. the folder names of ``shared/corpora``) resolve to
the same loader; an unknown name raises with "did you mean ...".
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from importlib.metadata import entry_points

from biocurate.errors import BiocurateError

from ._base import Loader

ENTRY_POINT_GROUP = "biocurate.loaders"

_LOADERS: dict[str, type[Loader]] = {}
_ALIASES: dict[str, str] = {}
_discovered = False


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def register_loader(cls: type[Loader]) -> type[Loader]:
    """Class decorator: register a loader under ``cls.meta.name`` and its aliases.

    Raises:
        BiocurateError: the name or an alias is already taken by another loader.
    """
    name = cls.meta.name
    if name in _LOADERS and _LOADERS[name] is not cls:
        raise BiocurateError(f"loader name {name!r} registered twice ({_LOADERS[name].__module__} and {cls.__module__})")
    _LOADERS[name] = cls
    for alias in [name, *cls.meta.aliases]:
        key = _key(alias)
        if key in _ALIASES and _ALIASES[key] != name:
            raise BiocurateError(f"alias {alias!r} of {name!r} already names loader {_ALIASES[key]!r}")
        _ALIASES[key] = name
    return cls


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    package = importlib.import_module("biocurate.loaders")
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_") and info.name != "formats":
            importlib.import_module(f"biocurate.loaders.{info.name}")
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Loader)):
            raise BiocurateError(f"entry point {ep.name!r} ({ep.value}) is not a biocurate Loader subclass")
        if cls.meta.name not in _LOADERS:
            register_loader(cls)


def resolve_name(name: str) -> str:
    """The canonical loader name for a name or alias.

    Raises:
        BiocurateError: unknown name, with the closest known names.
    """
    _discover()
    key = _key(name)
    if key in _ALIASES:
        return _ALIASES[key]
    close = difflib.get_close_matches(key, list(_ALIASES), n=3)
    hint = f"; did you mean {', '.join(sorted({_ALIASES[c] for c in close}))}?" if close else ""
    raise BiocurateError(f"no loader named {name!r}{hint} (see `biocurate list`)")


def get_loader(name: str) -> type[Loader]:
    """The loader registered under a name or alias; else a catalogue dataset's generated BigBio adapter loader.

    Raises:
        BiocurateError: neither a registered loader nor a BigBio-covered catalogue dataset.
    """
    try:
        return _LOADERS[resolve_name(name)]
    except BiocurateError:
        from ._bigbio_catalogue import fallback_loader

        cls = fallback_loader(name)
        if cls is None:
            raise
        return cls


def all_loaders() -> dict[str, type[Loader]]:
    """Every registered loader, by canonical name, sorted."""
    _discover()
    return dict(sorted(_LOADERS.items()))


def aliases_of(name: str) -> list[str]:
    """Every name that resolves to ``name``."""
    _discover()
    return sorted(k for k, v in _ALIASES.items() if v == name)
