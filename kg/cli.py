"""The ``kg`` command line: one click group, one subcommand per verb.

Each command reads its input, makes one call into the core and formats the result.
Exit codes: 0 success, 1 any kg error (message on stderr), 2 usage error.
"""

from __future__ import annotations

import click

from kg import __version__


@click.group()
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """kg: publish United Nations resolutions as a knowledge graph."""
