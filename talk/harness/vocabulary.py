"""The step vocabulary of the checklist: one phrase per step, with an example.

`steps/` binds each phrase (by its regular expression) and `talk steps` prints them, so the
list a tester reads is the list the harness understands.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VOCABULARY", "Phrase", "phrase"]


@dataclass(frozen=True)
class Phrase:
    key: str
    keywords: tuple[str, ...]  # the Gherkin keywords it is bound for
    shape: str  # how a tester writes it
    pattern: str  # the regular expression the step is bound with
    example: str  # a full example, data table or docstring included
    meaning: str


_RECORD = r"(?P<record>.+?)"
_OTHER = r"(?P<other>.+?)"

VOCABULARY: tuple[Phrase, ...] = (
    Phrase(
        "document", ("Given",), 'the dataflow document "PATH"',
        r'the dataflow document (?P<path>".*")',
        'Given the dataflow document "dataflows/keap-to-webcrm.rst"',
        "Sync with the sections of this document (name several to sync them together). "
        "PATH is relative to the repository root.",
    ),
    Phrase(
        "record_with", ("Given",), "a SYSTEM ENTITY with: + table",
        rf"an? {_RECORD} with:",
        "Given a Keap Companies with:\n  | company_name | Acme AS |",
        "A user created this record in the source system. Table rows: property path | value. "
        'A value that parses as JSON is that value (42, true, "42"), anything else is text.',
    ),
    Phrase(
        "record", ("Given",), "a SYSTEM ENTITY",
        r"an? (?P<record>(?!.* with:$).+)",
        "Given a Keap Opportunity",
        "A record with no listed property values.",
    ),
    Phrase(
        "synchronized", ("Given", "When"), "the dataflows are synchronized [again]",
        r"the dataflows are synchronized(?P<again> again)?",
        "When the dataflows are synchronized",
        "One run of the sync over every section of the named documents.",
    ),
    Phrase(
        "edited_with", ("Given", "When"), "the SYSTEM ENTITY is edited with: + table",
        rf"the {_RECORD} is edited with:",
        "When the Webcrm Organisations is edited with:\n  | OrganisationName | Acme Group |",
        "A user edits the record (seeded, or linked to a seeded record) in its own system.",
    ),
    Phrase(
        "touched", ("Given", "When"),
        "the SYSTEM ENTITY is edited without changing a listed property",
        rf"the {_RECORD} is edited without changing a listed property",
        "When the Keap Opportunity is edited without changing a listed property",
        "A user saves the record unchanged: only its modified time moves.",
    ),
    Phrase(
        "linked_one", ("Then",), "the SYSTEM ENTITY is linked to exactly one SYSTEM ENTITY",
        rf"the {_RECORD} is linked to exactly one {_OTHER}",
        "Then the Keap Companies is linked to exactly one Webcrm Organisations",
        "The link exists, the linked record exists, and the sync created no duplicate.",
    ),
    Phrase(
        "linked_existing", ("Then",), "the SYSTEM ENTITY is linked to the existing SYSTEM ENTITY",
        rf"the {_RECORD} is linked to the existing {_OTHER}",
        "Then the SuperOffice Contact is linked to the existing Tripletex Customer",
        "Merge criteria linked the record seeded in the target; nothing was created.",
    ),
    Phrase(
        "received", ("Then",), "SYSTEM received PATH as TYPE",
        r"(?P<system>.+?) received (?P<path>\S+) as (?P<dtype>.+)",
        'Then Webcrm received OrganisationName as "string"',
        'The value the sync sent at PATH has the documented type: "string", "integer", '
        '"float", "decimal", "boolean", "list", N/A, or a string, an integer, ...',
    ),
    Phrase(
        "not_received", ("Then",), "SYSTEM did not receive PATH",
        r"(?P<system>.+?) did not receive (?P<path>\S+)",
        "Then Tripletex did not receive organizationNumber",
        "No write carried PATH and the linked record holds no value there "
        "(a bracket condition that is not met).",
    ),
    Phrase(
        "has_table", ("Then",), "the SYSTEM ENTITY has: + table",
        rf"the {_RECORD} has:",
        "Then the Webcrm Organisations has:\n  | OrganisationName | Acme Group |",
        "Read back from its system, the record holds these values "
        "(numbers compare as numbers).",
    ),
    Phrase(
        "has_equal", ("Then",), "the SYSTEM ENTITY has PATH equal to the SYSTEM ENTITY PATH",
        rf"the {_RECORD} has (?P<path>\S+) equal to the {_OTHER} (?P<source_path>\S+)",
        "Then the Webcrm Organisations has OrganisationName equal to the Keap Companies "
        "company_name",
        "Read back, the target value equals the source value under the row's documented type.",
    ),
    Phrase(
        "only_linked_updated", ("Then",), "only the linked SYSTEM ENTITY was updated",
        rf"only the linked {_RECORD} was updated",
        "Then only the linked Webcrm Products was updated",
        "Every update the last run sent to that entity went to the linked record's id.",
    ),
    Phrase(
        "no_properties", ("Then",), "the section lists no properties",
        r"the section lists no properties",
        "Then the section lists no properties",
        'Reported "no properties listed" (not applicable), never a silent pass.',
    ),
    Phrase(
        "no_sections", ("Then",), "the document lists no sections",
        r"the document lists no sections",
        "Then the document lists no sections",
        'A document with an introduction only: reported "nothing to check" (not applicable).',
    ),
    Phrase(
        "tester_checks", ("Then",), 'a tester checks: + """docstring"""',
        r"a tester checks:",
        'Then a tester checks:\n  """\n  When a SuperOffice Sale has status Sold ...\n  """',
        "Reported manual with the words of the docstring.",
    ),
)


def phrase(key: str) -> Phrase:
    return next(p for p in VOCABULARY if p.key == key)
