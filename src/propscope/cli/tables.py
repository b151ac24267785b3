"""Tables of numbers that never cut a number, whatever the terminal's width.

Rich shrinks a table that is wider than the console by wrapping or cropping its cells, numbers
included (``0.43…``). Here the numeric columns never wrap and are exactly as wide as their
widest cell or header line; only the label column (technique, group, edit) folds. Where even
that does not fit, the numeric columns are split over several tables, each repeating the label
column, so that every number is still printed in full (80 columns, or 60, or piped).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table
from rich.text import Text

LABEL_MIN = 12  # the label column is never narrower than this (it folds below its width)


@dataclass
class NumberTable:
    """A label column and numeric columns; ``add_row(label, *numbers)`` (the label is plain
    text, never markup)."""

    title: str
    label: str
    columns: Sequence[str]
    # where the columns split best when they do not fit in one table (indices of the columns
    # that start a new table), e.g. the TC columns apart from the full task's
    breaks: Sequence[int] = ()
    rows: list[tuple[str, tuple[str, ...], bool]] = field(default_factory=list)

    def add_row(self, label: str, *cells: str, end_section: bool = False) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append((label, cells, end_section))

    def widths(self) -> list[int]:
        """Each numeric column's width: its widest header line or cell."""
        out = []
        for i, header in enumerate(self.columns):
            cells = [r[1][i] for r in self.rows]
            out.append(max(len(s) for s in [*header.split("\n"), *cells]))
        return out

    def label_width(self) -> int:
        return max(len(s) for s in [self.label, *(r[0] for r in self.rows)])

    def groups(self, width: int) -> list[list[int]]:
        """The numeric columns in runs that fit ``width`` beside the label column: all in one
        table if they fit beside the whole label, else split at ``breaks`` if that lets the
        label stand whole, else the same with the label folded to ``LABEL_MIN``, else split
        greedily (a column wider than the console alone gets a table of its own)."""
        widths = self.widths()
        everything = [list(range(len(widths)))]
        cuts = [0, *sorted(self.breaks), len(widths)]
        hinted = [list(range(a, b)) for a, b in itertools.pairwise(cuts) if a < b]

        def fits(group: list[int], label: int) -> bool:
            # each column: its text, one space of padding either side, one rule
            return 1 + (label + 3) + sum(widths[i] + 3 for i in group) <= width

        for label in (self.label_width(), min(self.label_width(), LABEL_MIN)):
            for layout in (everything, hinted):
                if all(fits(g, label) for g in layout):
                    return layout
        label = min(self.label_width(), LABEL_MIN)
        groups: list[list[int]] = []
        for i in range(len(widths)):
            if groups and fits([*groups[-1], i], label):
                groups[-1].append(i)
            else:
                groups.append([i])
        return groups

    def tables(self, width: int) -> list[Table]:
        groups = self.groups(width)
        widths = self.widths()
        out = []
        for n, group in enumerate(groups):
            title = self.title if len(groups) == 1 else f"{self.title} ({n + 1}/{len(groups)})"
            t = Table(title=title)
            t.add_column(self.label, overflow="fold", min_width=min(self.label_width(), LABEL_MIN))
            for i in group:
                t.add_column(
                    self.columns[i],
                    justify="right",
                    no_wrap=True,
                    min_width=widths[i],
                    max_width=widths[i],
                )
            for label, cells, end_section in self.rows:
                t.add_row(Text(label), *(cells[i] for i in group), end_section=end_section)
            out.append(t)
        return out

    def print(self, console: Console) -> None:
        for t in self.tables(console.width):
            console.print(t)
