"""A table as data, rendered by ``components/table.html`` the same way on every page.

Views build a ``Table``; cells are text (escaped) or markup made with ``format_html``.
Numeric columns are right-aligned with tabular figures, as NL Design System tables are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    caption: str = ""
    # The first cell of each row names the row (a <th scope="row">), as screen readers expect.
    row_headers: bool = True
    empty_text: str = ""
    id: str = ""
    cells: list[list[tuple[Any, bool]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        numeric = [c.numeric for c in self.columns]
        object.__setattr__(
            self,
            "cells",
            [
                [(cell, numeric[i] if i < len(numeric) else False) for i, cell in enumerate(row)]
                for row in self.rows
            ],
        )
