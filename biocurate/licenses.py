"""One controlled list of licence keys.

SPDX ids where they exist, plus ``DUA`` (data-use agreement), ``research-only`` and
``unknown``. Each key carries flags used by ``biocurate export --exclude-licence`` and by
``biocurate push`` (which refuses a public upload of non-redistributable or unknown sources).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    """A licence key and what it allows."""

    key: str
    name: str
    commercial: bool
    redistributable: bool
    tags: tuple[str, ...] = ()


_LIST = [
    Licence("CC0-1.0", "Creative Commons Zero 1.0", True, True, ("public-domain",)),
    Licence("PDM-1.0", "Public Domain Mark 1.0", True, True, ("public-domain",)),
    Licence("CC-BY-4.0", "Creative Commons Attribution 4.0", True, True),
    Licence("CC-BY-3.0", "Creative Commons Attribution 3.0", True, True),
    Licence("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0", True, True, ("share-alike",)),
    Licence("CC-BY-NC-4.0", "Creative Commons Attribution-NonCommercial 4.0", False, True, ("non-commercial",)),
    Licence("CC-BY-NC-3.0", "Creative Commons Attribution-NonCommercial 3.0", False, True, ("non-commercial",)),
    Licence("CC-BY-NC-SA-4.0", "Creative Commons Attribution-NonCommercial-ShareAlike 4.0", False, True, ("non-commercial", "share-alike")),
    Licence("CC-BY-NC-SA-3.0", "Creative Commons Attribution-NonCommercial-ShareAlike 3.0", False, True, ("non-commercial", "share-alike")),
    Licence("CC-BY-NC-ND-4.0", "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0", False, True, ("non-commercial", "no-derivatives")),
    Licence("CC-BY-SA-3.0", "Creative Commons Attribution-ShareAlike 3.0", True, True, ("share-alike",)),
    Licence("CC-BY-2.0", "Creative Commons Attribution 2.0", True, True),
    Licence("CC-BY-NC-2.0", "Creative Commons Attribution-NonCommercial 2.0", False, True, ("non-commercial",)),
    Licence("MIT", "MIT License", True, True),
    Licence("ISC", "ISC License", True, True),
    Licence("Apache-2.0", "Apache License 2.0", True, True),
    Licence("BSD-3-Clause", "BSD 3-Clause License", True, True),
    Licence("GPL-3.0-only", "GNU General Public License v3.0", True, True, ("copyleft",)),
    Licence("GPL-3.0-or-later", "GNU General Public License v3.0 or later", True, True, ("copyleft",)),
    Licence("LGPL-3.0-only", "GNU Lesser General Public License v3.0", True, True, ("copyleft",)),
    Licence("NLM-license", "NLM terms and conditions", True, True),
    Licence("NCBI-license", "NCBI public domain notice", True, True),
    Licence("GENIA-license", "GENIA Project License for Annotated Corpora", True, True),
    Licence("BioNLP-ST-2011", "BioNLP Shared Task 2011 licence terms", False, True, ("research-only",)),
    Licence("DUA", "Data-use agreement (obtain from the provider)", False, False, ("dua", "research-only")),
    Licence("research-only", "Academic research only, no commercial use", False, False, ("research-only", "non-commercial")),
    Licence("unknown", "Licence unknown", False, False, ("unknown",)),
]

LICENCES: dict[str, Licence] = {lic.key: lic for lic in _LIST}

#: Words accepted by ``--exclude-licence``: a key, or a tag matched by every licence carrying it.
EXCLUDE_TAGS: tuple[str, ...] = (
    "non-commercial", "non-redistributable", "research-only", "dua", "unknown", "share-alike", "copyleft", "no-derivatives",
)


def get_licence(key: str) -> Licence:
    """The licence for a key; raises ``KeyError`` naming the allowed keys."""
    try:
        return LICENCES[key]
    except KeyError:
        raise KeyError(f"unknown licence {key!r}; use one of: {', '.join(LICENCES)}") from None


def matches(key: str, selector: str) -> bool:
    """Whether licence ``key`` is matched by an ``--exclude-licence`` selector (key or tag).

    ``non-commercial`` also matches every licence that forbids commercial use, and
    ``non-redistributable`` every licence that forbids passing the data on (``unknown``
    included: nobody has granted it).
    """
    lic = get_licence(key)
    if selector == key:
        return True
    if selector == "non-commercial":
        return not lic.commercial
    if selector == "non-redistributable":
        return not lic.redistributable
    return selector in lic.tags
