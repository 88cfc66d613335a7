"""Budgeting: turn targets and what the sources can give into per-dataset quotas.

For every (category, language key) target, the datasets that can contribute are given
quotas by water-filling: weights (proportional to availability, temperature-scaled, or equal)
share the target, no dataset gets more than it has (after its cap), and what a capped or
short dataset cannot take is redistributed to the others. Integer quotas sum exactly to the
target whenever the sources suffice; otherwise every source is used in full and the
shortfall is reported (or, with ``repeat: allow``, sources are repeated to fill it). With
``fill`` (on for ``--size``), the summed shortfall is moved to targets with spare samples in
proportion to their targets (:func:`fill_shortfalls`), so the total is met whenever the
sources hold it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .spec import MixtureSpec, largest_remainder


@dataclass
class GroupPlan:
    """The plan of one target: which dataset gives how many samples."""

    category: str
    language: str
    target: int
    available: dict[str, int]
    capped: dict[str, int]
    quotas: dict[str, int] = field(default_factory=dict)
    #: samples planned beyond the target, moved here from short targets (``fill``)
    filled: int = 0

    @property
    def planned(self) -> int:
        return sum(self.quotas.values())

    @property
    def shortfall(self) -> int:
        return max(0, self.target - self.planned)

    @property
    def spare(self) -> int:
        """Samples the sources could still give (after caps)."""
        return sum(self.capped.values()) - self.planned


def language_key(spec: MixtureSpec, category: str, sample_language: str) -> str | None:
    """The target key a sample counts towards, or None when the mixture has no such target."""
    by_lang = spec.targets.get(category)
    if not by_lang:
        return None
    if "all" in by_lang:
        return "all"
    return sample_language if sample_language in by_lang else None


def _weights(spec: MixtureSpec, sizes: dict[str, int]) -> dict[str, float]:
    if spec.weighting == "equal":
        return {d: 1.0 for d in sizes}
    if spec.weighting == "temperature":
        return {d: float(n) ** (1.0 / spec.temperature) for d, n in sizes.items()}
    return {d: float(n) for d, n in sizes.items()}


def water_fill(target: int, sizes: dict[str, int], weights: dict[str, float]) -> dict[str, int]:
    """Integer quotas <= sizes, summing to min(target, sum(sizes)), shared by weight."""
    quotas = {d: 0 for d in sizes}
    open_sets = {d for d, n in sizes.items() if n > 0}
    remaining = min(target, sum(sizes.values()))
    while remaining > 0 and open_sets:
        share = largest_remainder({d: weights[d] or 1e-12 for d in sorted(open_sets)}, remaining)
        full = {d for d in open_sets if quotas[d] + share[d] >= sizes[d]}
        if not full:
            for d in open_sets:
                quotas[d] += share[d]
            break
        for d in full:
            remaining -= sizes[d] - quotas[d]
            quotas[d] = sizes[d]
        open_sets -= full
    return quotas


def plan(spec: MixtureSpec, available: dict[tuple[str, str, str], int]) -> list[GroupPlan]:
    """Quotas for every target.

    Args:
        spec: the mixture.
        available: ``{(category, language_key, dataset): samples after dedup}``.
    """
    plans = []
    for (category, lang), target in spec.counts().items():
        sizes = {d: n for (c, k, d), n in sorted(available.items()) if c == category and k == lang}
        capped = {}
        for dataset, n in sizes.items():
            cap = spec.caps.cap_for(dataset, category)
            capped[dataset] = n if cap is None else min(n, cap)
        quotas = water_fill(target, capped, _weights(spec, capped))
        group = GroupPlan(category, lang, target, sizes, capped, quotas)
        if spec.repeat == "allow" and group.shortfall and sum(sizes.values()):
            extra = largest_remainder({d: float(n) for d, n in sizes.items() if n}, group.shortfall)
            for d, n in extra.items():
                group.quotas[d] += n
        plans.append(group)
    if spec.fill and spec.repeat != "allow":
        fill_shortfalls(spec, plans)
    return plans


def fill_shortfalls(spec: MixtureSpec, plans: list[GroupPlan]) -> int:
    """Give the shortfall of short targets to targets with spare samples, in proportion to
    their targets (water-filling over targets, then over each target's datasets as
    :func:`plan` shares a target); returns how many samples were moved.

    After it, the plans' total is the mixture's total whenever the sources hold that many
    (caps respected); targets of 0 receive nothing.
    """
    missing = sum(g.shortfall for g in plans)
    moved = 0
    while missing > 0:
        open_groups = {k: g for k, g in enumerate(plans) if g.spare > 0 and g.target > 0}
        if not open_groups:
            break
        shares = largest_remainder({k: float(g.target) for k, g in open_groups.items()}, missing)
        given = 0
        for k, group in open_groups.items():
            extra = min(shares[k], group.spare)
            if extra <= 0:
                continue
            room = {d: group.capped[d] - group.quotas.get(d, 0) for d in group.capped}
            for dataset, n in water_fill(extra, room, _weights(spec, room)).items():
                group.quotas[dataset] = group.quotas.get(dataset, 0) + n
            group.filled += extra
            given += extra
        if given == 0:
            break
        missing -= given
        moved += given
    return moved


def size_summary(plans: list[GroupPlan]) -> str:
    """One line for the run summary: the total asked for, planned, and how much was filled.

    Example: ``asked 20,000 samples, planned 20,000 (12,119 moved from short targets to targets with spare data)``.
    """
    asked = sum(g.target for g in plans)
    planned = sum(g.planned for g in plans)
    filled = sum(g.filled for g in plans)
    note = f" ({filled:,} moved from short targets to targets with spare data)" if filled else ""
    short = f"; {asked - planned:,} short: the sources hold no more" if planned < asked else ""
    return f"asked {asked:,} samples, planned {planned:,}{note}{short}"
