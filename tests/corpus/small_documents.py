"""Small dataflow documents written for focused tests, one irregularity at a time."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["document", "merge_only_section", "section", "write_document"]

Row = tuple[str, str, str]  # source cell, target cell, type cell as written


def _heading(text: str, mark: str) -> str:
    return f"{text}\n{mark * len(text)}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for cells in (header, *rows):
        lines.append(f"   * - {cells[0]}")
        lines += [f"     - {cell}" for cell in cells[1:]]
    return "\n".join(lines)


def section(source: str, target: str, rows: Sequence[Row] = (), *, type_label: str = "",
            merge: Sequence[tuple[str, str]] = (), qualifier: str = "") -> str:
    """A section `<source> to <target>` (shape 1, or 5 with merge rows); `qualifier` is
    appended to the target as `(qualifier)`."""
    shown_target = f"{target} ({qualifier})" if qualifier else target
    label = type_label or target.split()[0]
    parts = [_heading(f"{source} to {shown_target}", "-")]
    if merge:
        parts += [f"If a matching {shown_target} already exists, the {source} will be merged "
                  f"with the existing one.",
                  f"If no matching {shown_target} is found, a new {shown_target} will be created.",
                  f"A {source} will merge with a {shown_target} if one of the following "
                  f"property combinations match:",
                  _table([f"{source} Property", f"{shown_target} Property"], merge)]
    else:
        parts.append(f"Every {source} will be synchronized with a {shown_target}.")
    parts.append(f"Once a link between a {source} and a {shown_target} is established, it will "
                 f"keep in sync between the two systems, regardless of where it is edited.")
    parts.append(f"The following properties are synchronized between a {source} and a "
                 f"{shown_target}:")
    parts.append(_table([f"{source} Property", f"{shown_target} Property",
                         f"{label} Data Type"], rows))
    return "\n\n".join(parts)


def merge_only_section(source: str, target: str, merge: Sequence[tuple[str, str]],
                       rows: Sequence[Row] = (("name", "name", '"string"'),)) -> str:
    """Shape 2: a section `<source> to <target>` that links by merge only, creating nothing."""
    text = section(source, target, rows, merge=merge)
    return text.replace(
        f"If a matching {target} already exists, the {source} will be merged with the "
        f"existing one.\n\nIf no matching {target} is found, a new {target} will be created.",
        f"Before any synchronization can take place, a link between a {source} and a "
        f"{target} must be established.")


def document(source_system: str, target_system: str, *sections: str) -> str:
    title = f"{source_system} to {target_system} Dataflow"
    intro = _heading("Introduction", "-") + "\n\nA document written for a test."
    return "\n\n".join([f"{'=' * len(title)}\n{title}\n{'=' * len(title)}",
                        "Generated: 2024-01-01 00:00:00", intro, *sections]) + "\n"


def write_document(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
