"""Progress as a callback: the core reports how far long work has gone, an adapter shows it.

The command line draws a bar on standard error, the web app may stream counts, a test may
record them; the core never imports a progress-bar library. Problem lines go through the same
object so that an adapter can print them without tearing its bar.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class Progress(Protocol):
    """What long work reports: a stage with an optional total, steps done, problem lines."""

    def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
        """A new stage begins (``total`` in ``unit``, or unknown)."""
        ...

    def advance(self, amount: int = 1) -> None:
        """``amount`` more units of the current stage are done."""
        ...

    def problem(self, line: str) -> None:
        """One line about one input (a file that could not be read, ...), shown at once."""
        ...

    def finish(self) -> None:
        """The current stage is over."""
        ...


class Silent:
    """Progress that shows nothing; problem lines are kept for whoever asks."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None

    def problem(self, line: str) -> None:
        self.problems.append(line)

    def finish(self) -> None:
        return None


def show_counts(progress: Progress, counts: Mapping[str, int]) -> None:
    """Tell ``progress`` how many inputs each step of the current stage has done (read,
    written, failed, ...), if it can show them: a stage whose steps run in different places (a
    cluster's workers read, this process writes) is then seen step by step, not as one number.
    A progress without a ``counts`` method is left alone."""
    counts_of = getattr(progress, "counts", None)
    if callable(counts_of):
        counts_of(dict(counts))
