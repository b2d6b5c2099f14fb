"""Results as data, then as one table: each scenario's medians, and each target met or missed."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """One scenario's medians: a row per case, a column per client."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class Target:
    """`value` (a ratio or a size) against `limit`: met when at least it, or with `at_most`, at most it."""

    label: str
    value: float
    limit: float
    unit: str = "x"
    at_most: bool = False

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def line(self) -> str:
        bound = "<=" if self.at_most else ">="
        verdict = "met   " if self.met else "MISSED"
        target = f"target {bound} {self.limit:g}{self.unit}"
        return f"[{verdict}] {self.label}: {self.value:.2f}{self.unit} ({target})"


@dataclass
class Report:
    tables: list[Table] = field(default_factory=list[Table])
    targets: list[Target] = field(default_factory=list[Target])

    def add(self, tables: Sequence[Table], targets: Sequence[Target]) -> None:
        self.tables += tables
        self.targets += targets

    def render(self, peers: str) -> str:
        lines = [
            f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
            f"peers: {peers}. Medians of several rounds, all from this one run.",
            "",
        ]
        for table in self.tables:
            lines += [table.title, *_columns(table), ""]
        lines.append("Targets")
        lines += [target.line() for target in self.targets]
        met = sum(target.met for target in self.targets)
        lines.append(f"{met} of {len(self.targets)} targets met")
        return "\n".join(lines)


def _columns(table: Table) -> list[str]:
    cells = [list(table.columns), *([_format(value) for value in row] for row in table.rows)]
    widths = [max(len(row[index]) for row in cells) for index in range(len(table.columns))]
    return [
        "  " + "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)) for row in cells
    ]


def _format(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"
    return str(value)
