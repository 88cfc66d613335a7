"""Mixture specifications: what a mixture asks for, read from YAML (``biocurate/mixtures/``).

A spec sets per (category, language) targets as counts or ratios of ``total``, per-dataset
caps, the weighting inside a category, the repeat policy, which splits feed it, dedup and
decontamination options, optional training stages, whether shortfalls are filled from other
targets (``fill``) and the quality gate (``quality``, see :mod:`biocurate.mix.quality`). CLI
overrides (``--size``, ``--ratio``, ``--cap``, ``--seed``, ``--no-fill``) are applied with
:func:`apply_overrides`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from biocurate.errors import MixtureError
from biocurate.tasks import CATEGORIES

from .quality import QualityConfig

MIXTURE_DIR = Path(__file__).resolve().parent.parent / "mixtures"
LANGUAGE_KEYS = ("zh", "en", "all")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Caps(_Model):
    """Per-dataset caps (applied per dataset and category)."""

    default: int | None = None
    uncapped_categories: list[str] = Field(default_factory=list)
    datasets: dict[str, int] = Field(default_factory=dict)

    def cap_for(self, dataset: str, category: str) -> int | None:
        if dataset in self.datasets:
            return self.datasets[dataset]
        if category in self.uncapped_categories:
            return None
        return self.default


class Dedup(_Model):
    exact: bool = True
    near: bool = False
    near_threshold: float = Field(0.8, gt=0, le=1)


class Decontaminate(_Model):
    """Which splits of the registered datasets count as evaluation data."""

    splits: list[str] = Field(default_factory=lambda: ["test"])
    enabled: bool = True


class Stage(_Model):
    name: str
    categories: list[str] | None = None
    epochs: float | None = None


class MixtureSpec(_Model):
    """A mixture: targets, caps, weighting, repeat policy, splits, dedup, stages, seed."""

    name: str
    description: str = ""
    seed: int = 42
    total: int | None = None
    targets: dict[str, dict[str, float]]
    caps: Caps = Field(default_factory=Caps)
    weighting: Literal["proportional", "temperature", "equal"] = "proportional"
    temperature: float = Field(2.0, gt=0)
    repeat: Literal["never", "allow"] = "never"
    splits: list[str] = Field(default_factory=lambda: ["train"])
    dedup: Dedup = Field(default_factory=Dedup)
    decontaminate: Decontaminate = Field(default_factory=Decontaminate)
    stages: list[Stage] = Field(default_factory=list)
    datasets: list[str] | None = None
    #: move the shortfall of targets the sources cannot fill to targets with spare data (in
    #: proportion to the targets), so the total is met whenever the sources hold it; on by
    #: default with ``--size`` (``--no-fill`` turns it off)
    fill: bool = False
    #: the quality gate's settings (:mod:`biocurate.mix.quality`)
    quality: QualityConfig = Field(default_factory=lambda: QualityConfig())
    #: system prompt of every sample's ``messages`` (and the JSON Lines formats' ``system``):
    #: one text, or one per row language (``zh``, ``en``, ``zh-en``, ``en-zh``; ``default``
    #: for the rest); None: no system message, as in Taiyi
    system: str | dict[str, str] | None = None

    @field_validator("targets")
    @classmethod
    def _targets(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for category, by_lang in value.items():
            if category not in CATEGORIES:
                raise ValueError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}")
            bad = [k for k in by_lang if k not in LANGUAGE_KEYS]
            if bad:
                raise ValueError(f"{category}: unknown language keys {bad}; use {LANGUAGE_KEYS}")
            if "all" in by_lang and len(by_lang) > 1:
                raise ValueError(f"{category}: 'all' cannot be combined with per-language targets")
            if any(v < 0 for v in by_lang.values()):
                raise ValueError(f"{category}: negative target")
        return value

    @model_validator(mode="after")
    def _ratios_need_total(self) -> MixtureSpec:
        ratios = [v for by in self.targets.values() for v in by.values() if 0 < v < 1]
        if ratios and self.total is None:
            raise ValueError("targets given as ratios (< 1) need `total`")
        return self

    def counts(self) -> dict[tuple[str, str], int]:
        """Targets as integer counts per (category, language key), summing exactly to the total."""
        raw = {(c, lang): v for c, by in self.targets.items() for lang, v in by.items()}
        if all(v >= 1 or v == 0 for v in raw.values()):
            counts = {k: int(round(v)) for k, v in raw.items()}
            if self.total is None or self.total == sum(counts.values()):
                return counts
            weights = {k: float(v) for k, v in counts.items()}
        else:
            weights = {k: (v if v < 1 else v / (self.total or 1)) for k, v in raw.items()}
        return largest_remainder(weights, self.total or 0)

    def target_total(self) -> int:
        return sum(self.counts().values())


def largest_remainder(weights: dict, total: int) -> dict:
    """Split ``total`` into integers proportional to ``weights`` (ties broken by key order)."""
    norm = sum(weights.values())
    if norm <= 0 or total <= 0:
        return {k: 0 for k in weights}
    exact = {k: total * w / norm for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    left = total - sum(counts.values())
    order = sorted(weights, key=lambda k: (-(exact[k] - counts[k]), str(k)))
    for k in order[:left]:
        counts[k] += 1
    return counts


def load_mixture(name_or_path: str | Path) -> MixtureSpec:
    """Load a mixture by name (``taiyi-v1``) or from a YAML path.

    Raises:
        MixtureError: unknown name (listing the bundled ones) or an invalid file.
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = MIXTURE_DIR / f"{name_or_path}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in MIXTURE_DIR.glob("*.yaml")))
        raise MixtureError(f"no mixture {str(name_or_path)!r} (bundled: {known}; or give a .yaml path)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return MixtureSpec.model_validate(data)
    except (yaml.YAMLError, ValueError) as exc:
        raise MixtureError(f"{path}: {exc}") from None


def bundled_mixtures() -> list[str]:
    return sorted(p.stem for p in MIXTURE_DIR.glob("*.yaml"))


def apply_overrides(
    spec: MixtureSpec,
    *,
    size: int | None = None,
    ratios: dict[tuple[str, str], float] | None = None,
    caps: dict[str, int] | None = None,
    seed: int | None = None,
    fill: bool | None = None,
) -> MixtureSpec:
    """A copy of ``spec`` with CLI overrides applied.

    Args:
        size: new total; every target is rescaled proportionally (exact sum), and shortfalls are
            filled from targets with spare data unless ``fill`` is False.
        fill: set :attr:`MixtureSpec.fill` (None: on when ``size`` is given, else the file's).
        ratios: ``{(category, language_key): fraction_of_total}``; language ``all`` when
            the category has one pooled target. Other targets are rescaled to fill the rest.
        caps: per-dataset caps.
        seed: new seed.
    """
    spec = spec.model_copy(deep=True)
    if seed is not None:
        spec.seed = seed
    if fill is not None:
        spec.fill = fill
    elif size is not None:
        spec.fill = True
    if caps:
        spec.caps.datasets.update(caps)
    counts = spec.counts()
    total = size if size is not None else sum(counts.values())
    if ratios:
        for (category, lang) in ratios:
            if (category, lang) not in counts:
                keys = ", ".join(f"{c}:{k}" for c, k in counts)
                raise MixtureError(f"--ratio {category}:{lang}: no such target (targets: {keys})")
        fixed = {k: v * total for k, v in ratios.items()}
        rest_total = total - sum(fixed.values())
        if rest_total < -1e-9:
            raise MixtureError("--ratio values add up to more than 1")
        rest = {k: v for k, v in counts.items() if k not in ratios}
        rest_sum = sum(rest.values()) or 1
        weights = {**{k: v * rest_total / rest_sum for k, v in rest.items()}, **fixed}
        counts = largest_remainder(weights, total)
    elif size is not None:
        counts = largest_remainder({k: float(v) for k, v in counts.items()}, total)
    spec.targets = {}
    for (category, lang), n in counts.items():
        spec.targets.setdefault(category, {})[lang] = n
    spec.total = total
    return spec
