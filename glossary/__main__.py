"""``python -m glossary``: the command line, as the ``glossary`` script runs it."""

from .cli import main

main()
