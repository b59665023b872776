"""Commands of the analysis family."""

import click


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
