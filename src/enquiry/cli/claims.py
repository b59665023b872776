"""Commands of the claims family."""

import click


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
