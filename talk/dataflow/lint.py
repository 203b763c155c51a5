"""Lint dataflow documents: parse findings plus checks that need the system profiles.

The profile check is docs/design.md#unsupported-sections: a creating section whose target requires
fields that no
property row maps cannot create anything, and the document alone shows it. The sync and
the harness use `unsupported_reason` for the same words in their reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from talk.dataflow.model import Dataflow, DataflowError, EntityRef, Finding, PropertyPath, Section
from talk.dataflow.parser import parse_file
from talk.dataflow.row_lint import competition_findings, row_findings
from talk.systems.registry import profile_for, resolve_entity

__all__ = [
    "FileReport",
    "collect_files",
    "entity_not_in_api",
    "lint_file",
    "lint_files",
    "missing_required",
    "profile_findings",
    "report_json",
    "report_lines",
    "unsupported_reason",
]


def missing_required(section: Section) -> list[tuple[str, ...]]:
    """Required-on-create groups of the target that no property row maps
    (docs/design.md#create-requirements)."""
    profile = profile_for(section.target.system)
    if profile.generic:
        return []
    entity = resolve_entity(profile, section.target.entity)
    if entity.generic or not entity.can_create:
        return []
    present = {row.target.path.split(".")[0] for row in section.properties}
    return entity.missing_required(present)


def unsupported_reason(section: Section) -> str | None:
    """Why a creating section cannot create, e.g. "Keap Companies requires company_name;
    no property row maps to it"; None when it can (or is not a creating section)."""
    if not section.shape.creates:
        return None
    name = f"{section.target.label} {section.target.entity}".strip()
    reasons = []
    for group in missing_required(section):
        if len(group) == 1:
            reasons.append(f"{name} requires {group[0]}; no property row maps to it")
        else:
            reasons.append(f"{name} requires one of {', '.join(group)}; "
                           f"no property row maps to any of them")
    return "; ".join(reasons) or None


def entity_not_in_api(section: Section) -> str | None:
    """Why a section's source or target entity cannot be served at all: the system's API
    description has no entity of that name. None when both exist (or are generic)."""
    for ref in (section.source, section.target):
        entity = resolve_entity(profile_for(ref.system), ref.entity)
        if entity.unsupported:
            return entity.unsupported
    return None


def profile_findings(dataflow: Dataflow) -> list[Finding]:
    """Warnings about sections the target API cannot serve, one per section."""
    findings = []
    for section in dataflow.unique_sections:
        reason = entity_not_in_api(section) or unsupported_reason(section)
        if reason:
            findings.append(Finding(section.line, "warning", reason))
    from talk.profiles.lint import description_findings  # it reads the profiles too

    return findings + description_findings(dataflow)


@dataclass
class FileReport:
    """The outcome for one file: a model with findings, or the error that stopped it."""

    file: str
    dataflow: Dataflow | None = None
    error: DataflowError | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(finding.level == "error" for finding in self.findings)


def sample_findings(dataflow: Dataflow) -> list[Finding]:
    """Rows no sample of their source field can serve (one field, incompatible types)."""
    from talk.gherkin.samples import unfit_rows  # the generator's own rule, not a copy

    findings = []
    for section in dataflow.unique_sections:
        if section.source.system_key and section.target.system_key:
            for line, reason in unfit_rows(section).items():
                findings.append(Finding(line, "warning", reason))
    return findings


def lint_file(path: str | Path) -> FileReport:
    try:
        dataflow = parse_file(path)
    except DataflowError as error:
        return FileReport(str(path), error=error,
                          findings=[Finding(error.line, "error", error.message)])
    findings = sorted([*dataflow.findings, *profile_findings(dataflow), *row_findings(dataflow),
                       *sample_findings(dataflow)], key=lambda f: f.line)
    return FileReport(str(path), dataflow=dataflow, findings=findings)


def lint_files(paths: Iterable[str | Path]) -> list[FileReport]:
    """Each file's report, plus what shows only across them: rows of any of the documents
    writing one target field from different sources."""
    reports = [lint_file(path) for path in paths]
    dataflows = [report.dataflow for report in reports if report.dataflow is not None]
    competing = competition_findings(dataflows)
    for report in reports:
        if report.dataflow is not None and report.dataflow.path in competing:
            report.findings = sorted([*report.findings, *competing[report.dataflow.path]],
                                     key=lambda f: f.line)
    return reports


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """(documents, missing paths): files as given, folders as their *.rst files, sorted."""
    files: list[Path] = []
    missing: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.rst") if p.is_file())
        elif path.exists():
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def report_lines(report: FileReport) -> list[str]:
    """`file:line: level: message`, one per finding."""
    return [f"{report.file}:{f.line}: {f.level}: {f.message}" for f in report.findings]


def _ref_json(ref: EntityRef) -> dict[str, Any]:
    return {"system": ref.system, "entity": ref.entity, "qualifier": ref.qualifier}


def _condition(*paths: PropertyPath) -> str | None:
    for path in paths:
        if path.condition is not None:
            return path.condition.text
    return None


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "title": section.title,
        "line": section.line,
        "shape": int(section.shape),
        "source": _ref_json(section.source),
        "target": _ref_json(section.target),
        "properties": [
            {"source": row.source.path, "target": row.target.path, "type": row.type.written,
             "condition": _condition(row.source, row.target), "line": row.line}
            for row in section.properties],
        "merge_criteria": [
            {"source": row.source.path, "target": row.target.path,
             "condition": _condition(row.source, row.target), "line": row.line}
            for row in section.merge_criteria],
        "condition": section.condition,
        "connected_to": list(section.connected_to),
        "duplicate_of": section.duplicate_of,
    }


def report_json(report: FileReport) -> dict[str, Any]:
    """One file's entry of `talk lint --format json`."""
    findings = [{"line": f.line, "level": f.level, "message": f.message}
                for f in report.findings]
    if report.dataflow is None:
        error = report.error
        return {"file": report.file,
                "error": {"line": error.line if error else 0,
                          "message": error.message if error else "not parsed"},
                "findings": findings}
    dataflow = report.dataflow
    return {
        "file": report.file,
        "source_system": dataflow.source_system,
        "target_system": dataflow.target_system,
        "generated": dataflow.generated,
        "sections": [_section_json(section) for section in dataflow.sections],
        "findings": findings,
    }
