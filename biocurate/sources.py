"""Where raw data lives: the bundled samples and data roots with one folder per dataset."""

from __future__ import annotations

from pathlib import Path

from biocurate.errors import LoaderError
from biocurate.loaders import Loader, aliases_of, all_loaders
from biocurate.loaders.bigbio_adapter import adapter_names

#: Real excerpts of the original raw files, shipped with the package (see samples/CORPORA.md).
SAMPLES_DIR = Path(__file__).parent / "samples"


def samples_dir() -> Path:
    """The bundled samples root: one folder per corpus, each with its PROVENANCE.md."""
    return SAMPLES_DIR


def _folder_key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def dataset_dir(root: str | Path, name: str) -> Path | None:
    """The folder of dataset ``name`` under a data root (named by loader name or any alias)."""
    from biocurate.loaders import get_loader

    root = Path(root)
    if not root.is_dir():
        raise LoaderError(f"data root {root} does not exist")
    meta = get_loader(name).meta
    owner = meta.reads_folder_of
    own = set(aliases_of(name)) or {_folder_key(n) for n in [meta.name, *meta.aliases]}  # generated loaders are unregistered
    children = [c for c in sorted(root.iterdir()) if c.is_dir()]
    # The dataset's own folder wins; a loader that reads another dataset's files falls back to it.
    for names in (own, set(aliases_of(owner)) if owner else set()):
        for child in children:
            if _folder_key(child.name) in names:
                return child
    return None


def datasets_in(root: str | Path) -> dict[str, Path]:
    """Every dataset that has a folder under ``root``: name -> folder. Registered loaders first,
    then catalogue datasets served by the BigBio adapter (``adapter_names``) whose folder no
    registered loader claims (a folder named ``scicite`` holding BigBio Parquet)."""
    found = {}
    for name in all_loaders():
        folder = dataset_dir(root, name)
        if folder is not None:
            found[name] = folder
    claimed = set(found.values())
    for name in adapter_names():
        folder = dataset_dir(root, name)
        if folder is not None and folder not in claimed:
            found[name] = folder
    return found


def open_loader(name: str, root: str | Path | None = None) -> Loader:
    """Instantiate the loader ``name`` on its folder under ``root`` (default: bundled samples)."""
    from biocurate.loaders import get_loader

    cls = get_loader(name)
    root = Path(root) if root is not None else samples_dir()
    folder = dataset_dir(root, cls.meta.name)
    if folder is None:
        raise LoaderError(
            f"no folder for dataset {cls.meta.name!r} under {root} (name it {cls.meta.name!r} or one of {cls.meta.aliases})",
            dataset=cls.meta.name,
        )
    return cls(folder)
