"""The command line: ``glossary [--store DIR] COMMAND``.

The commands live in browse.py (import and reading) and authoring.py (for
draft authors); everything they print is output.py's. To add one, write it
with ``@click.command()`` and ``@pass_catalog`` (options.py) and add it to
the list below. The store's and the lookups' errors become one-line
``error: ...`` messages with exit status 1 (2 for a bad parameter) here, in GlossaryGroup, so
commands need not catch them.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from ..catalog import Catalog
from ..errors import BadParameter, NotFound, StoreError
from ..store import Store, locate_store
from . import authoring, browse
from .output import CliError


class GlossaryGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (StoreError, NotFound) as error:
            raise CliError(str(error)) from error
        except BadParameter as error:
            raise CliError(str(error), exit_code=2) from error


@click.group(cls=GlossaryGroup)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Store directory (default: $GLOSSARY_STORE, else the embedded data/terms/).",
)
@click.version_option(__version__, prog_name="glossary", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, store_dir: Path | None) -> None:
    """Terms of RFC 7228 and its bis drafts, version by version."""
    ctx.obj = Catalog(Store(locate_store(store_dir)))


main.add_command(browse.import_command)
main.add_command(browse.versions)
main.add_command(browse.terms)
main.add_command(browse.show)
main.add_command(browse.diff)
main.add_command(browse.history)
main.add_command(browse.search)
main.add_command(browse.serve)
main.add_command(authoring.embed_command)
main.add_command(authoring.terminology)
main.add_command(authoring.lint_command)
main.add_command(authoring.export_command)
