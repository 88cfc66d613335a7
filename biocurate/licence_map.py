"""Licence strings as sources state them -> keys of :mod:`biocurate.licenses`.

BigBio states licences three ways (see the research notes, part A5): short names of its
``Licenses`` registry (``CC_BY_4p0``), long names (``Creative Commons Attribution 4.0
International``, ``Data User Agreement``, ``License information unavailable``) and HF ids
(``cc-by-4.0``). The catalogue (:mod:`biocurate.inventory`) and the BigBio adapter map them
all through :func:`normalise_licence`.
"""

from __future__ import annotations

import re

from biocurate.licenses import LICENCES

#: BigBio ``Licenses`` short names -> exact licence key (SPDX id where one exists).
BIGBIO_LICENCE_KEYS: dict[str, str] = {
    "CC0_1P0": "CC0-1.0", "PUBLIC_DOMAIN_MARK_1P0": "PDM-1.0", "CC_BY_4P0": "CC-BY-4.0",
    "CC_BY_3P0": "CC-BY-3.0", "CC_BY_2P0": "CC-BY-2.0", "CC_BY_SA_4P0": "CC-BY-SA-4.0",
    "CC_BY_SA_3P0": "CC-BY-SA-3.0", "CC_BY_NC_4P0": "CC-BY-NC-4.0", "CC_BY_NC_3P0": "CC-BY-NC-3.0",
    "CC_BY_NC_2P0": "CC-BY-NC-2.0", "CC_BY_NC_SA_4P0": "CC-BY-NC-SA-4.0", "CC_BY_NC_SA_3P0": "CC-BY-NC-SA-3.0",
    "CC_BY_NC_ND_4P0": "CC-BY-NC-ND-4.0", "MIT": "MIT", "APACHE_2P0": "Apache-2.0", "BSD_3_CLAUSE": "BSD-3-Clause",
    "GPL_3P0": "GPL-3.0-only", "GPL_3P0_ONLY": "GPL-3.0-only", "GPL_3P0_PLUS": "GPL-3.0-or-later",
    "GPL_3P0_OR_LATER": "GPL-3.0-or-later", "LGPL_3P0": "LGPL-3.0-only", "ISC": "ISC", "NLM_LICENSE": "NLM-license",
    "NCBI_LICENSE": "NCBI-license", "GENIA_PROJECT_LICENSE": "GENIA-license", "DUA": "DUA", "UNKNOWN": "unknown",
    "OTHER": "unknown", "UMLS_LICENSE": "DUA", "PHYSIONET_LICENSE_1P5": "DUA",
}

_LONG = [  # long-form BigBio/_LICENSE strings, checked in order
    (r"data use(r)? agreement|^dua\b|local files required", "DUA"),
    (r"unavailable|not given|^unknown$|^[-—–]?$", "unknown"),
    (r"public domain mark", "PDM-1.0"),
    (r"genia", "GENIA-license"),
    (r"^nlm|national library of medicine", "NLM-license"),
    (r"^ncbi", "NCBI-license"),
    (r"apache", "Apache-2.0"),
    (r"^mit\b", "MIT"),
    (r"general public license v?3\.0 or later", "GPL-3.0-or-later"),
    (r"lesser general public license v?3", "LGPL-3.0-only"),
    (r"general public license v?3", "GPL-3.0-only"),
    (r"creative commons zero|^cc0", "CC0-1.0"),
]


def normalise_licence(text: str) -> tuple[str, str]:
    """Map a licence as BigBio states it to ``(key valid now, exact key)``.

    The exact key may be outside :data:`biocurate.licenses.LICENCES` (``CC-BY-SA-3.0``); the
    first element then falls back to ``unknown`` so the row still carries a valid key.

    Example:
        >>> normalise_licence("Creative Commons Attribution 4.0 International")
        ('CC-BY-4.0', 'CC-BY-4.0')
        >>> normalise_licence("CC_BY_SA_3p0")
        ('unknown', 'CC-BY-SA-3.0')
    """
    clean = text.strip()
    short = re.sub(r"\s*\(.*\)\s*$", "", clean).upper().replace("-", "_").replace(".", "P")
    exact = BIGBIO_LICENCE_KEYS.get(short.replace(" ", "_"))
    if exact is None:
        exact = next((k for pattern, k in _LONG if re.search(pattern, clean.lower())), None)
    lower = clean.lower()
    if exact is None and ("creative commons" in lower or re.match(r"cc[ _-]?by", lower)):
        exact = _creative_commons(lower)
    exact = exact or "unknown"
    return (exact if exact in LICENCES else "unknown"), exact


def _creative_commons(lower: str) -> str | None:
    version = re.search(r"(\d)[.p](\d)", lower)
    if not version or not re.search(r"\bby\b|attribution", lower):
        return None
    parts = ["CC-BY"]
    if re.search(r"non[ -]?commercial|\bnc\b|-nc", lower):
        parts.append("NC")
    if re.search(r"share[ -]?alike|\bsa\b|-sa", lower):
        parts.append("SA")
    if re.search(r"no[ -]?deriv|\bnd\b|-nd", lower):
        parts.append("ND")
    return "-".join(parts) + f"-{version.group(1)}.{version.group(2)}"


__all__ = ["BIGBIO_LICENCE_KEYS", "normalise_licence"]
