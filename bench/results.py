"""One benchmark figure, the table printed for people and `bench/results.json` for machines."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Figure", "render_table", "write_results"]


@dataclass
class Figure:
    """A measured ratio and its target; `value` is None when the benchmark could not run."""

    name: str
    value: float | None
    target: float
    unit: str
    higher_is_better: bool = False
    note: str = ""
    invalid: bool = False  # measured, but a condition of the benchmark failed (see note)

    @property
    def ok(self) -> bool:
        if self.value is None or math.isnan(self.value) or self.invalid:
            return False
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def to_json(self) -> dict[str, Any]:
        value = None if self.value is None else round(self.value, 4)
        return {"value": value, "target": self.target, "unit": self.unit, "ok": self.ok,
                "note": self.note}


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_table(figures: list[Figure]) -> str:
    """A plain-text table: name, value, target (with its direction), unit, ok."""
    rows = [("benchmark", "value", "target", "unit", "ok")]
    for figure in figures:
        sign = ">=" if figure.higher_is_better else "<="
        rows.append((figure.name, _shown(figure.value), f"{sign} {figure.target:g}",
                     figure.unit, "yes" if figure.ok else "MISSED"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def write_results(figures: list[Figure], path: Path) -> None:
    """These figures into `path`; the figures it holds of benchmarks not run stay."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data.update({figure.name: figure.to_json() for figure in figures})
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
