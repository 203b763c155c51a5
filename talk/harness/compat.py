"""Everything that leans on pytest and pytest-bdd beyond their documented API, in one place.

pytest-bdd (9.0.1) binds scenarios from Python test modules only. A `.feature` file becomes
a pytest Module here whose module object is built in memory: one test function per scenario,
made with pytest-bdd's public `scenario()` decorator. What is not public, and fenced here:

- `pytest.Module._getobj`, overridden so no Python file is imported;
- `pytest_bdd.feature.get_feature` and the parsed `Feature`/`ScenarioTemplate` objects
  (also read by the tester guardrails, through `written_scenarios`, so that a feature is
  parsed once);
- `pytest_bdd.reporting.scenario_reports_registry`, whose step reports Cucumber JSON is
  written from: a step that raised a skip or `pytest.fail` is not marked there, so the
  scenario would show as passed (`close_step_reports`);
- the `parametrize` mark pytest-bdd puts on an outline, whose ids are rewritten to
  `source-target` (pytest-bdd joins every example value into the id, hard strings included);
- `pytest_bdd.scenario.get_step_function`, which scans every fixture name of the session
  for each step of each test: the same resolution, with the step definitions a module's
  tests see gathered once per module (`remember_step_lookups`);
- `pytest_bdd.scenario.signature` and `get_required_args`, which inspect a step function's
  signature at every step: the same answers, kept per step function;
- `MarkGenerator._markers`, the names `pytest.mark` knows: told of each feature's tags as
  they are registered, so that applying them does not rescan every registered marker.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from _pytest.outcomes import Skipped as SkipException
from pytest_bdd import scenario
from pytest_bdd.compat import get_fixture_names, getfixturedefs
from pytest_bdd.feature import get_feature
from pytest_bdd.parser import Feature, ScenarioTemplate, Step
from pytest_bdd.scenario import iterparentnodeids
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

__all__ = [
    "EXAMPLE_PARAM",
    "FeatureFile",
    "ScenarioInfo",
    "SkipException",
    "close_step_reports",
    "example_of",
    "remember_step_lookups",
    "scenario_info",
    "written_scenarios",
]

EXAMPLE_PARAM = "_pytest_bdd_example"
_NOT_NAME = re.compile(r"\W+")

_KNOWN_MARKERS = pytest.StashKey[set[str]]()
_TEMPLATES: WeakKeyDictionary[Callable[..., Any], ScenarioTemplate] = WeakKeyDictionary()


@dataclass(frozen=True)
class ScenarioInfo:
    """What the plugin needs to know about the scenario behind a test."""

    feature_file: Path
    feature_name: str
    name: str
    line: int  # of the scenario in the feature file
    tags: frozenset[str]
    rule_name: str | None
    background: tuple[str, ...]  # the feature's (and rule's) background step texts


@dataclass(frozen=True)
class WrittenScenario:
    """A scenario as written in its feature file, for the guardrails."""

    line: int
    tags: frozenset[str]  # its own, its rule's and its feature's
    has_then: bool  # one of its own steps (not the background's) is a Then
    background_lines: tuple[int, ...]  # the Background keywords it runs after


def written_scenarios(feature: Feature) -> list[WrittenScenario]:
    """The scenarios pytest-bdd parsed from a feature file, as the guardrails read them."""
    found = []
    for template in feature.scenarios.values():
        backgrounds = [feature.background,
                       template.rule.background if template.rule is not None else None]
        own = template.steps[len(template.all_background_steps):]
        found.append(WrittenScenario(
            line=template.line_number, tags=frozenset(_tags(template)),
            # pytest-bdd types an And after a Then as a then step: a Then is written before
            has_then=any(step.type == "then" for step in own),
            background_lines=tuple(b.line_number for b in backgrounds if b is not None)))
    return found


def _function_names(names: Iterable[str]) -> Iterator[str]:
    """`test_<slug>`, unique within the module."""
    seen: set[str] = set()
    for name in names:
        slug = _NOT_NAME.sub("_", name.lower()).strip("_")[:80].strip("_") or "scenario"
        candidate, number = f"test_{slug}", 1
        while candidate in seen:
            number += 1
            candidate = f"test_{slug}_{number}"
        seen.add(candidate)
        yield candidate


def _example_id(context: dict[str, str], index: int) -> str:
    """A property row's id is its source and target, not its line: it stays the same when
    the document changes above the row."""
    names = [context.get(key, "").strip() for key in ("source", "target")]
    if all(names):
        return _NOT_NAME.sub("_", "-".join(names)).strip("_") or f"example{index}"
    line = context.get("line", "").strip()
    return f"line{line}" if line.isdigit() else f"example{index}"


def _rewrite_example_ids(function: Callable[..., Any]) -> None:
    marks = getattr(function, "pytestmark", [])
    for position, mark in enumerate(marks):
        if mark.name != "parametrize" or mark.args[0] != EXAMPLE_PARAM:
            continue
        params = []
        seen: dict[str, int] = {}
        for index, param in enumerate(mark.args[1]):
            context = param.values[0]
            new_id = _example_id(context, index)
            seen[new_id] = seen.get(new_id, 0) + 1
            if seen[new_id] > 1:
                new_id = f"{new_id}_{seen[new_id]}"
            params.append(pytest.param(*param.values, id=new_id, marks=param.marks))
        marks[position] = pytest.mark.parametrize(EXAMPLE_PARAM, params).mark


def _tags(template: ScenarioTemplate) -> set[str]:
    """A scenario's own tags with its rule's and its feature's."""
    rule_tags = template.rule.tags if template.rule is not None else set()
    return set(template.tags) | set(template.feature.tags) | set(rule_tags)


def _bind(feature: Feature, path: Path, on_tags: Callable[[set[str]], None]) -> types.ModuleType:
    module = types.ModuleType(f"feature_{_NOT_NAME.sub('_', path.stem)}")
    module.__file__ = str(path)
    names = list(feature.scenarios)
    # every tag of the file at once: pytest re-reads all markers whenever a mark it does
    # not know yet is used, so registering them one scenario at a time is quadratic
    on_tags({tag for template in feature.scenarios.values() for tag in _tags(template)})
    for function_name, scenario_name in zip(_function_names(names), names, strict=True):
        template = feature.scenarios[scenario_name]

        def _scenario() -> None:
            """The steps do the work."""

        bound = scenario(path.name, scenario_name, features_base_dir=str(path.parent))(_scenario)
        _rewrite_example_ids(bound)
        bound.__name__ = function_name
        _TEMPLATES[bound] = template
        setattr(module, function_name, bound)
    return module


def _known_mark_names(generator: Any) -> set[str]:
    """The names `pytest.mark` (a `MarkGenerator`) knows to be registered."""
    names: set[str] = generator._markers
    return names


class FeatureFile(pytest.Module):
    """A `.feature` file collected as a test module (docs/design.md#pytest-wiring)."""

    def _getobj(self) -> types.ModuleType:
        feature = get_feature(str(self.path.parent), self.path.name)
        return _bind(feature, self.path, self._register_markers)

    def _register_markers(self, tags: set[str]) -> None:
        known = self.config.stash.get(_KNOWN_MARKERS, None)
        if known is None:  # once per run, not once per feature file or scenario
            known = {line.split(":", 1)[0].strip() for line in self.config.getini("markers")}
            self.config.stash[_KNOWN_MARKERS] = known
        new = sorted(tags - known)
        for tag in new:
            self.config.addinivalue_line("markers", f"{tag}: a tag of a feature file")
            known.add(tag)
        # pytest.mark looks a name it has not seen up by scanning every registered marker
        # line; told of the new ones, pytest-bdd's applying the tags scans none (each new
        # document's tags made that scan quadratic in the documents: 1.5 s at 460).
        _known_mark_names(pytest.mark).update(new)


def close_step_reports(item: pytest.Item) -> None:
    """Mark every step of the item's scenario not passed, for pytest-bdd's Cucumber JSON
    (it then shows each as skipped or failed, as the test report is)."""
    from pytest_bdd.reporting import StepReport, scenario_reports_registry

    report = scenario_reports_registry.get(item)
    if report is None:
        return
    if report.step_reports:
        report.fail()
        return
    for step in report.scenario.steps:
        step_report = StepReport(step=step)
        step_report.finalize(failed=True)
        report.add_step_report(step_report)


def scenario_info(item: pytest.Item) -> ScenarioInfo | None:
    """The scenario behind a test collected from a `.feature` file; None for other tests."""
    function = getattr(item, "function", None) or getattr(item, "obj", None)
    template = _TEMPLATES.get(function) if function is not None else None
    if template is None:
        return None
    steps = [step.name for step in template.all_background_steps]
    rule = template.rule
    return ScenarioInfo(
        feature_file=Path(template.feature.filename),
        feature_name=template.feature.name,
        name=template.name,
        line=template.line_number,
        tags=frozenset(_tags(template)),
        rule_name=rule.name if rule is not None else None,
        background=tuple(steps),
    )


def example_of(item: pytest.Item) -> dict[str, str]:
    """The examples row of an outline's test ({} for a plain scenario)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return {}
    value = callspec.params.get(EXAMPLE_PARAM, {})
    return dict(value) if isinstance(value, dict) else {}


class _StepDefinitions:
    """The step definitions the tests of one module see, and which one each step text
    resolves to."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        manager = request._fixturemanager
        self.visible: list[tuple[Any, StepFunctionContext]] = []
        for name in get_fixture_names(manager):
            for fixturedef in getfixturedefs(manager, name, request.node) or []:
                context = step_function_context_registry.get(fixturedef.func)
                if context is not None:
                    self.visible.append((fixturedef, context))
        self.resolved: dict[tuple[str, str], StepFunctionContext | None] = {}

    def resolve(self, step: Step) -> StepFunctionContext | None:
        """As pytest-bdd resolves a step: of the definitions whose type and parser match,
        the one closest to the test (pytest's fixture overriding: the deepest last)."""
        key = (step.type, step.name)
        if key not in self.resolved:
            matching = [(fixturedef, context) for fixturedef, context in self.visible
                        if context.type in (None, step.type)
                        and context.parser.is_matching(step.name)]
            matching.sort(key=lambda pair: list(iterparentnodeids(pair[0].baseid)))
            self.resolved[key] = matching[-1][1] if matching else None
        return self.resolved[key]


_STEP_DEFINITIONS: WeakKeyDictionary[pytest.Collector, _StepDefinitions] = WeakKeyDictionary()


def _remembered_step_function(request: pytest.FixtureRequest,
                              step: Step) -> StepFunctionContext | None:
    """pytest-bdd's step lookup, with the scan of the session's fixtures done once per test
    module rather than once per step of every test.

    Which step definitions a test sees depends on where it is (its module, conftest files,
    plugins), not on the test: step definitions are fixtures of modules and plugins. pytest-bdd
    asks pytest about every fixture name for every step; that scan was most of what a
    checklist step cost pytest-bdd."""
    parent = request.node.parent
    if parent is None:
        return _ORIGINAL_LOOKUP(request, step)
    definitions = _STEP_DEFINITIONS.get(parent)
    if definitions is None:
        definitions = _STEP_DEFINITIONS[parent] = _StepDefinitions(request)
    return definitions.resolve(step)


# the module, not the `scenario` function pytest_bdd exports under the same name
bdd_scenario: Any = importlib.import_module("pytest_bdd.scenario")
_ORIGINAL_LOOKUP: Callable[[pytest.FixtureRequest, Step], StepFunctionContext | None] = \
    bdd_scenario.get_step_function


_ORIGINAL_SIGNATURE: Callable[[Callable[..., Any]], inspect.Signature] = bdd_scenario.signature
_ORIGINAL_REQUIRED: Callable[[Callable[..., Any]], list[str]] = bdd_scenario.get_required_args
_SIGNATURES: WeakKeyDictionary[Callable[..., Any], inspect.Signature] = WeakKeyDictionary()
_REQUIRED: WeakKeyDictionary[Callable[..., Any], tuple[str, ...]] = WeakKeyDictionary()


def _remembered_signature(function: Callable[..., Any]) -> inspect.Signature:
    """A step function's signature, inspected once (a Signature is immutable)."""
    found = _SIGNATURES.get(function)
    if found is None:
        found = _SIGNATURES[function] = _ORIGINAL_SIGNATURE(function)
    return found


def _remembered_required_args(function: Callable[..., Any]) -> list[str]:
    """The fixtures a step function asks for, worked out once; a new list each call."""
    found = _REQUIRED.get(function)
    if found is None:
        found = _REQUIRED[function] = tuple(_ORIGINAL_REQUIRED(function))
    return list(found)


def remember_step_lookups(config: pytest.Config) -> None:
    """Use the remembered step lookup and step signatures for this session (pytest-bdd's
    again after it)."""
    bdd_scenario.get_step_function = _remembered_step_function
    bdd_scenario.signature = _remembered_signature
    bdd_scenario.get_required_args = _remembered_required_args

    def restore() -> None:
        bdd_scenario.get_step_function = _ORIGINAL_LOOKUP
        bdd_scenario.signature = _ORIGINAL_SIGNATURE
        bdd_scenario.get_required_args = _ORIGINAL_REQUIRED

    config.add_cleanup(restore)
