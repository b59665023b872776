"""The command line's progress bar: :class:`enquiry.progress.Progress` drawn with tqdm.

The bar goes to standard error and disappears when the stage ends; it draws nothing when
standard error is not a terminal. Problem lines are printed above the bar without tearing it.
"""

from __future__ import annotations

from typing import Any

import click

from enquiry.app import printable


class BarProgress:
    """A tqdm bar per stage; byte stages are shown in KiB/MiB."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._bar: Any = None

    def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
        from tqdm import tqdm

        self.finish()
        scaled = unit == "B"
        self._bar = tqdm(
            total=total,
            desc=printable(stage),
            unit=unit,
            unit_scale=scaled,
            unit_divisor=1024 if scaled else 1000,
            disable=None if self.enabled else True,
            leave=False,
        )

    def advance(self, amount: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(amount)

    def counts(self, counts: dict[str, int]) -> None:
        """Per-step counts of the stage (read, written, ...), shown after the bar."""
        if self._bar is not None:
            self._bar.set_postfix(counts, refresh=False)

    def problem(self, line: str) -> None:
        text = f"enquiry: {printable(line)}"
        if self._bar is not None:
            with self._bar.external_write_mode():
                click.echo(text, err=True)
        else:
            click.echo(text, err=True)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
