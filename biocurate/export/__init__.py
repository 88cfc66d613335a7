"""The export stage: mixture spec + data root -> Parquet shards, manifest, dataset card, rejects.

The package is also callable: ``biocurate.export(mix, out, ...)`` runs :func:`biocurate.api.export`
(the notebook API), while ``biocurate.export.pipeline`` and the other modules stay importable.
"""

import sys
import types


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204 - same signature as biocurate.api.export
        from biocurate.api import export

        return export(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
