"""Commands of the evidence family."""

import click


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
