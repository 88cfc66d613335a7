"""What an export's licences allow: who blocks a public upload, each licence's share of rows.

Read from the export's ``manifest.json`` (each source's ``licence`` key and ``counts.out``).
:func:`restricted_sources` is the check ``biocurate push`` runs before a public upload;
:func:`licence_shares` is the card's licence summary; :func:`hub_licence` picks the card's
``license`` / ``license_name`` / ``license_link`` fields the Hub's way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from biocurate.licenses import LICENCES

#: biocurate licence key -> the Hub's licence id (the card's ``license:``), where one exists.
HUB_LICENCE_IDS: dict[str, str] = {
    "CC0-1.0": "cc0-1.0", "CC-BY-4.0": "cc-by-4.0", "CC-BY-3.0": "cc-by-3.0", "CC-BY-2.0": "cc-by-2.0",
    "CC-BY-SA-4.0": "cc-by-sa-4.0", "CC-BY-SA-3.0": "cc-by-sa-3.0", "CC-BY-NC-4.0": "cc-by-nc-4.0",
    "CC-BY-NC-3.0": "cc-by-nc-3.0", "CC-BY-NC-2.0": "cc-by-nc-2.0", "CC-BY-NC-SA-4.0": "cc-by-nc-sa-4.0",
    "CC-BY-NC-SA-3.0": "cc-by-nc-sa-3.0", "CC-BY-NC-ND-4.0": "cc-by-nc-nd-4.0", "MIT": "mit", "ISC": "isc",
    "Apache-2.0": "apache-2.0", "BSD-3-Clause": "bsd-3-clause", "GPL-3.0-only": "gpl-3.0",
    "GPL-3.0-or-later": "gpl-3.0", "LGPL-3.0-only": "lgpl-3.0", "unknown": "unknown",
}

#: The card's ``license_name`` when sources carry different licences (a Hub slug).
MIXED_LICENCE_NAME = "biocurate-mixed-per-source"


@dataclass(frozen=True)
class Restricted:
    """A source whose licence does not allow a public upload."""

    name: str
    licence: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} ({self.licence}, {self.reason})" if self.reason != "licence unknown" else f"{self.name} (licence unknown)"


@dataclass(frozen=True)
class LicenceShare:
    """One licence's part of an export."""

    licence: str
    sources: tuple[str, ...]
    rows: int
    share: float
    redistributable: bool
    commercial: bool


def _licence_of(source: dict[str, Any]) -> str:
    return source.get("licence") or source.get("license") or "unknown"


def restricted_sources(manifest: dict[str, Any]) -> list[Restricted]:
    """Sources with rows in the export whose licence is unknown or forbids redistribution."""
    out = []
    for name, source in manifest["sources"].items():
        if source.get("counts", {}).get("out", 1) == 0:
            continue  # nothing of it is published
        key = _licence_of(source)
        lic = LICENCES.get(key)
        if lic is None or key == "unknown":
            out.append(Restricted(name, key, "licence unknown"))
        elif not lic.redistributable:
            out.append(Restricted(name, key, "not redistributable"))
    return out


def licence_shares(manifest: dict[str, Any]) -> list[LicenceShare]:
    """Rows per licence (``counts.out`` summed over its sources), largest first, then by key."""
    rows: dict[str, int] = {}
    names: dict[str, list[str]] = {}
    for name, source in manifest["sources"].items():
        key = _licence_of(source)
        rows[key] = rows.get(key, 0) + int(source.get("counts", {}).get("out", 0))
        names.setdefault(key, []).append(name)
    total = sum(rows.values()) or 1
    out = []
    for key in sorted(rows, key=lambda k: (-rows[k], k)):
        lic = LICENCES.get(key)
        out.append(LicenceShare(key, tuple(names[key]), rows[key], rows[key] / total,
                                bool(lic and lic.redistributable), bool(lic and lic.commercial)))
    return out


def hub_licence(manifest: dict[str, Any], link: str) -> dict[str, str]:
    """The card's licence fields: a Hub id when every source shares one licence that has one,
    else ``license: other`` with ``license_name`` and ``license_link`` (the Hub's convention)."""
    keys = sorted({_licence_of(s) for s in manifest["sources"].values()})
    if len(keys) == 1 and keys[0] in HUB_LICENCE_IDS:
        return {"license": HUB_LICENCE_IDS[keys[0]]}
    name = MIXED_LICENCE_NAME if len(keys) != 1 else keys[0].lower()
    return {"license": "other", "license_name": name, "license_link": link}


__all__ = ["HUB_LICENCE_IDS", "LicenceShare", "MIXED_LICENCE_NAME", "Restricted", "hub_licence",
           "licence_shares", "restricted_sources"]
