"""Small dataflow documents written inline by the sync tests, each showing one irregularity."""

from __future__ import annotations

from collections.abc import Sequence

from talk.dataflow import parse_text
from talk.dataflow.model import Dataflow


def section(source: str, target: str, rows: Sequence[tuple[str, str, str]] = (),
            merge: Sequence[tuple[str, str]] = ()) -> str:
    """One section `source -> target` (each "System Entity"), merging by `merge` if given,
    else creating, with property rows (source path, target path, documented type)."""
    title = f"{source} to {target}"
    lines = [title, "-" * len(title)]
    if merge:
        lines += [f"Every {source} will be synchronized with a {target}.", "",
                  f"A {source} will merge with a {target} if one of the following "
                  "property combinations match:", "",
                  ".. list-table::", "   :header-rows: 1", "",
                  f"   * - {source} Property", f"     - {target} Property"]
        for left, right in merge:
            lines += [f"   * - {left}", f"     - {right}"]
        lines.append("")
    else:
        lines += [f"Every {source} will be synchronized with a {target}.", ""]
    lines += [f"Once a link between a {source} and a {target} is established, it will keep "
              "in sync between the two systems, regardless of where it is edited.", "",
              f"The following properties are synchronized between a {source} and a {target}:",
              "", ".. list-table::", "   :header-rows: 1", "",
              f"   * - {source} Property", f"     - {target} Property",
              f"     - {target.split()[0]} Data Type"]
    for left, right, type_ in rows:
        lines += [f"   * - {left}", f"     - {right}", f"     - {type_}"]
    return "\n".join(lines) + "\n\n"


def dataflow(name: str, source: str, target: str, *sections: str) -> Dataflow:
    """A document `name` titled "<source> to <target> Dataflow" holding `sections`."""
    title = f"{source} to {target} Dataflow"
    text = "\n".join([
        "=" * len(title), title, "=" * len(title), "", "Generated: 2024-09-08 00:00:02", "",
        "Introduction", "------------", "", "A document written for a test.", "",
        *sections])
    return parse_text(text, f"{name}.rst")


def one_section(name: str, source: str, target: str, rows: Sequence[tuple[str, str, str]],
                merge: Sequence[tuple[str, str]] = ()) -> list[Dataflow]:
    """The documents of a test that needs one section: one document `name` holding it."""
    return [dataflow(name, source.split()[0], target.split()[0],
                     section(source, target, rows, merge))]
