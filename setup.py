"""Build hook for the one optional C extension; all other settings are in pyproject.toml.

``biocurate._text`` (text-normalisation and character-counting loops) is optional: without a
C compiler the build goes on and biocurate uses its pure-Python routes, with the same results.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("biocurate._text", ["biocurate/_text.c"], optional=True)])
