"""Ships the embedded store inside the wheel.

The store lives at the repository root (data/terms/, beside the code rather
than inside a package, so that ``git diff data/terms`` reads like a review).
A wheel has no repository root, so building copies data/terms/*.json into the
package as glossary/data/terms/, where glossary.store.embedded_store() looks
when it does not run from a checkout. Everything else is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

STORE = Path("data", "terms")
PACKAGED_STORE = Path("glossary", "data", "terms")


class BuildPyWithStore(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install runs from the checkout and reads data/terms/ itself
        target = Path(self.build_lib, PACKAGED_STORE)
        self.mkpath(str(target))
        for source in sorted(STORE.glob("*.json")):
            self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildPyWithStore})
