"""What the commands share: the Catalog they read (the group's --store) and the common options."""

from __future__ import annotations

import click

from ..catalog import Catalog
from ..model import NEWEST

pass_catalog = click.make_pass_decorator(Catalog)
version_option = click.option(
    "--version", "version_name", default=NEWEST, show_default=True,
    help='Version name, or "latest" (the newest), "newest-revision" (the newest numbered) or "oldest".',
)
citing_version_option = click.option(
    "--version", "version_name", default=None,
    help='Version name, or "latest"/"newest-revision"/"oldest". Default: the newest numbered revision (or the RFC).')
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON records.")
color_option = click.option(
    "--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="Colour the [-deleted-] and {+inserted+} marks: on a terminal (auto), always or never.",
)
