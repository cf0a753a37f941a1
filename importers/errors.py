"""The one error every importer raises for input it cannot use."""

from glossary.limits import shorten


class SourceError(Exception):
    """A source that cannot be imported: names the source (cut short if it is long) and the cause."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{shorten(source)}: {problem}")
