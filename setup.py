"""For `scrapyd-deploy`, which builds the egg with `setup.py bdist_egg`; metadata: pyproject.toml.

Without this file scrapyd-deploy writes its own, which would be left untracked in the
checkout and would leave the site profiles (package data) out of the egg.
"""

from setuptools import setup

setup()
