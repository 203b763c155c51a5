"""Property-based tests of the parser and renderer.

(a) Any text, and any real document mutated at random, gives a model or a DataflowError
    with a line number: no other exception, no hang. A mutated text that still parses
    renders back to itself.
(b) Generated valid documents (all shapes, multi-word and dotted system names, qualifiers,
    dotted and conditional paths, every data type, header-only tables, LF or CRLF) parse
    to the model they were built from and render back to their text.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from talk.dataflow import DataflowError, EntityRef, PropertyPath, parse_text, render
from talk.systems.keys import system_key

ROOT = Path(__file__).resolve().parents[2]
PATHS = sorted([*(ROOT / "dataflows").glob("*.rst"), *(ROOT / "tests" / "data").glob("*.rst")])
DOCUMENTS = [path.read_bytes().decode("utf-8") for path in PATHS]

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def normalised(text: str) -> str:
    """LF line endings and a final newline (a CRLF file cut after its CR ends in CR)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if text.endswith("\r"):
        text = text[:-1] + "\n"
    return text if text.endswith("\n") else text + "\n"


def parses_or_fails_with_a_line(text: str) -> None:
    try:
        flow = parse_text(text, "fuzz.rst")
    except DataflowError as error:
        assert isinstance(error.line, int) and error.line >= 1
        assert error.file == "fuzz.rst" and error.message
        return
    assert all(f.level in ("warning", "error") and f.line >= 1 for f in flow.findings)
    if not any(line.strip() == "" and line != "" for line in normalised(text).split("\n")):
        assert render(flow) == normalised(text)


DOC_ALPHABET = st.sampled_from([*'=-*:. \n\rabcTo()"', "to", "Every", ".. list-table::",
                                "   :header-rows: 1", "   * - ", "     - ", "Dataflow"])


@FAST
@given(st.one_of(st.text(max_size=400), st.lists(DOC_ALPHABET, max_size=200).map("".join)))
def test_any_text_gives_a_model_or_a_dataflow_error(text: str) -> None:
    parses_or_fails_with_a_line(text)


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(DOCUMENTS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["drop", "duplicate", "truncate", "column", "byte"]))
        if operation == "drop":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "truncate":
            total = sum(len(line) + 1 for line in lines)
            cut = draw(st.integers(min(total, 120), total))  # mostly past the title
            lines = "\n".join(lines)[:cut].split("\n")
        elif operation == "column":
            cells = [i for i, line in enumerate(lines) if line.lstrip().startswith("- ")]
            if cells:
                del lines[draw(st.sampled_from(cells))]
        else:
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.characters()) + line[at + 1:]
    return "\n".join(lines)


@FAST
@given(mutated_documents())
def test_mutated_documents_give_a_model_or_a_dataflow_error(text: str) -> None:
    parses_or_fails_with_a_line(text)


# -- (b) generated valid documents ------------------------------------------------------

ENTITY_WORDS = ["Contacts", "Contact", "Accounts", "Orders", "Products", "Product", "Person",
                "Sale", "Users", "Companies", "Opportunity", "Quote", "Items"]
QUALIFIERS = ["human data", "organisation data", "location data", "classification data"]
TYPES = ['"string"', '"integer"', '"float"', '"decimal"', '"boolean"', '"list"', "N/A",
         '"datetime-format","%Y-%m-%d","_."]']

LETTERS = string.ascii_letters
system_words = st.builds(
    lambda first, rest, dot: first + rest + dot,
    st.sampled_from(string.ascii_uppercase), st.text(LETTERS, min_size=1, max_size=7),
    st.sampled_from(["", "", ".com"]),
).filter(lambda w: w not in ENTITY_WORDS and "to" not in w.lower() and "Dataflow" not in w)
system_names = st.lists(system_words, min_size=1, max_size=3).map(" ".join)
segment = st.builds(lambda first, rest: first + rest, st.sampled_from(LETTERS + "_$"),
                    st.text(LETTERS + string.digits + "_", max_size=8))
paths = st.lists(segment, min_size=1, max_size=3).map(".".join)


@st.composite
def cells(draw: st.DrawFn) -> tuple[str, str | None]:
    path = draw(paths)
    if draw(st.booleans()):
        return path, None
    value = draw(st.sampled_from(["NO", "", "wd:Q17517", "Sold"]))
    condition = f"Dependant on having {value} in {draw(paths)}"
    return f"{path} ({condition})", condition


@dataclass
class Side:
    system: str
    label: str
    entity: str
    qualifier: str | None

    @property
    def text(self) -> str:
        base = f"{self.label} {self.entity}"
        return f"{base} ({self.qualifier})" if self.qualifier else base


@dataclass
class Expected:
    title: str
    source: Side
    target: Side
    shape: int
    merge: list[tuple[str, str, str | None]] = field(default_factory=list)
    rows: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    condition: str | None = None
    connected_to: list[str] = field(default_factory=list)


def label_for(draw: st.DrawFn, system: str) -> str:
    if not system:
        return ""
    squashed = system.replace(" ", "")
    abbreviation = squashed[: max(3, len(squashed) // 2)]
    forms = [system, system.lower(), system.upper(), squashed, abbreviation]
    return draw(st.sampled_from(forms))


@st.composite
def sides(draw: st.DrawFn, system: str) -> Side:
    entity = " ".join(draw(st.lists(st.sampled_from(ENTITY_WORDS), min_size=1, max_size=2)))
    qualifier = draw(st.none() | st.sampled_from(QUALIFIERS))
    return Side(system, label_for(draw, system), entity, qualifier)


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        lines += [("   * - " if i == 0 else "     - ") + cell for i, cell in enumerate(row)]
    return lines


@st.composite
def sections(draw: st.DrawFn, source_system: str, target_system: str) -> tuple[list[str],
                                                                               Expected]:
    s, t = draw(sides(source_system)), draw(sides(target_system))
    S, T = s.text, t.text
    shape = draw(st.integers(1, 5))
    title = f"{S} to {T}"
    expected = Expected(title, s, t, shape)
    lines = [title, "-" * len(title)]
    paragraphs: list[list[str]] = []
    if shape in (1, 5):
        paragraphs.append([f"Every {S} will be synchronized with a {T}."])
    if shape == 2 or (shape == 4 and draw(st.booleans())):
        paragraphs.append([f"Before any synchronization can take place, a link between a {S} "
                           f"and a {T} must be established."])
    if shape == 3:
        condition = f"When a {S} has a 100% probability of being sold"
        expected.condition = condition
        paragraphs.append([f"{condition}, it {draw(st.sampled_from(['', ' ']))}will be "
                           f"synchronized with a {T}."])
    if shape == 4:
        connected = draw(st.lists(st.sampled_from(ENTITY_WORDS), min_size=1, max_size=3,
                                  unique=True))
        expected.connected_to = connected
        listed = connected[0] if len(connected) == 1 else (
            ", ".join(connected[:-1]) + ", or " + connected[-1])
        paragraphs.append([f"A new {T} will be created from a {S} if it is connected to a "
                           f"{listed} that is synchronized into {target_system}."])
    if shape == 5:
        paragraphs.append([f"If a matching {T} already exists, the {S} will be merged with the "
                           f"existing one."])
        paragraphs.append([f"If no matching {T} is found, a new {T} will be created."])
    if shape in (2, 5) or (shape == 4 and draw(st.booleans())):
        merge = draw(st.lists(st.tuples(cells(), paths), max_size=3))
        paragraphs.append([f"A {S} will merge with a {T} if one of the following property "
                           f"combinations match:"])
        paragraphs.append(table([f"{S} Property", f"{T} Property"],
                                [[a, b] for (a, _), b in merge]))
        expected.merge = [(a.split(" (")[0], b, c) for (a, c), b in merge]
    paragraphs.append([f"Once a link between a {S} and a {T} is established, it will keep in "
                       f"sync between the two systems, regardless of where it is edited."])
    paragraphs.append([f"The following properties are synchronized between a {S} and a {T}:"])
    rows = draw(st.lists(st.tuples(cells(), cells(), st.sampled_from(TYPES)), max_size=4))
    paragraphs.append(table([f"{S} Property", f"{T} Property", f"{t.label} Data Type"],
                            [[a, b, ty] for (a, _), (b, _), ty in rows]))
    expected.rows = [(a.split(" (")[0], b.split(" (")[0], ty, ca or cb)
                     for (a, ca), (b, cb), ty in rows]
    lines += paragraphs[0]
    for paragraph in paragraphs[1:]:
        lines += ["", *paragraph]
    return lines, expected


def unambiguous(side: Side, systems: list[str]) -> bool:
    """Whether the label alone can name the system (the entity's first word must not help)."""
    longer = system_key(f"{side.label} {side.entity.split()[0]}")
    return not any(system_key(name).startswith(longer) for name in systems if name)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[Expected], str]:
    source = draw(system_names)
    target = "" if draw(st.integers(0, 5)) == 0 else draw(system_names)  # "" : name lost
    assume(system_key(source) != system_key(target) or source == target)
    title = f"{source} to {target} Dataflow"
    rule = "=" * (len(title) + draw(st.integers(0, 6)))
    lines = [rule, title, rule, "", "Generated: 2024-10-02 09:20:11", "",
             draw(st.sampled_from(["Introduction", "Introduction."]))]
    lines.append("-" * len(lines[-1]))
    lines += draw(st.sampled_from([[], ["", "This technical document is a QA checklist."]]))
    expected = []
    for _ in range(draw(st.integers(0, 4))):
        body, want = draw(sections(source, target))
        expected.append(want)
        lines += [""] * draw(st.integers(1, 3)) + body
    lines += [""] * draw(st.integers(0, 2))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + ending, expected, source


def condition_text(*paths: PropertyPath) -> str | None:
    conditions = [path.condition.text for path in paths if path.condition is not None]
    return conditions[0] if conditions else None


def ref(side: Side) -> EntityRef:
    return EntityRef(side.label, side.system, side.entity, side.qualifier)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_parse_to_their_model_and_render_back(
        generated: tuple[str, list[Expected], str]) -> None:
    text, expected, _ = generated
    flow = parse_text(text, "generated.rst")
    assert render(flow) == text.replace("\r\n", "\n")
    assert [f for f in flow.findings if f.level == "error"] == []
    assert len(flow.sections) == len(expected)
    systems = [flow.source_system, flow.target_system]
    for section, want in zip(flow.sections, expected, strict=True):
        assert section.title == want.title
        assert int(section.shape) == want.shape
        assert section.condition == want.condition
        assert section.connected_to == want.connected_to
        assert [(m.source.path, m.target.path, condition_text(m.source))
                for m in section.merge_criteria] == want.merge
        assert [(r.source.path, r.target.path, r.type.written,
                 condition_text(r.source, r.target)) for r in section.properties] == want.rows
        for got, side in ((section.source, want.source), (section.target, want.target)):
            if unambiguous(side, systems):
                assert got == ref(side)
