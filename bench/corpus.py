"""The corpus figures: the checklist of the real document sample at scale, against bare
pytest-bdd with the same number of scenarios.

The sample (../shared/corpus-sample) is read in place; a larger N repeats it under other
file names in a temporary folder (`x.rst` -> `x-copy2.rst`: a distinct document, feature,
tag set and report entry, as a bigger family would have). Features are generated in this
process, per document: a document `talk generate` cannot convert is left out and named in
the note. The sizes are 1/4, 1/2 and all of `copies` x the sample; at each, the serial
checklist run and a bare feature set of as many scenarios with the same steps per scenario
are timed as whole processes; at the largest size also the `-n 2` run.

- corpus_item_vs_bare: s per checklist item / s per bare scenario, serial, largest size;
- corpus_parallel_speedup: serial / `-n 2`, largest size;
- corpus_collection_vs_bare: the collection phase / the bare set's, largest size;
- corpus_memory_growth: (peak RSS growth at all) / (at 1/4) / 4: 0.25 when memory does
  not grow with the documents, 1.0 when it grows linearly;
- corpus_items_per_second: the serial run's throughput, for the record (no target).
"""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import HarnessRun, bare_feature, run_pytest, steps_per_scenario
from bench.results import Figure
from talk.dataflow.parser import parse_file
from talk.gherkin.generate import render_feature

__all__ = ["CorpusSet", "build_corpus", "corpus_figures", "quick_corpus_figure"]

MIB = 1024 * 1024
_TARGETS = {"corpus_item_vs_bare": 3.0, "corpus_parallel_speedup": 1.7,
            "corpus_collection_vs_bare": 2.0, "corpus_memory_growth": 0.3}


@dataclass
class CorpusSet:
    """A folder where `pytest features/` runs the checklists of `documents` documents."""

    folder: Path
    documents: int
    skipped: list[str] = field(default_factory=list)  # "name: why", not generated

    @property
    def features(self) -> Path:
        return self.folder / "features"


def _pytest_ini(root: Path) -> str:
    """The project's pytest options (its plugins, addopts), without its test paths."""
    options = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get(
        "tool", {}).get("pytest", {}).get("ini_options", {})
    lines = ["[pytest]"]
    for key, value in options.items():
        if key == "testpaths":
            continue
        shown = " ".join(value) if isinstance(value, list) else str(value)
        lines.append(f"{key} = {shown}")
    return "\n".join(lines) + "\n"


def _documents(sample: Path, folder: Path, copies: int) -> list[tuple[Path, str]]:
    """(file, path as the feature names it): the sample in place, then its copies."""
    originals = sorted(sample.glob("*.rst"))
    found = [(path, str(path)) for path in originals]
    copied = folder / "dataflows"
    for number in range(2, copies + 1):
        copied.mkdir(exist_ok=True)
        for path in originals:
            target = copied / f"{path.stem}-copy{number}.rst"
            target.write_bytes(path.read_bytes())
            found.append((target, f"dataflows/{target.name}"))
    return found


def build_corpus(root: Path, sample: Path, folder: Path, copies: int,
                 sizes: list[int]) -> list[CorpusSet]:
    """One folder per size (a count of documents, in sample order) under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    features: list[tuple[str, str]] = []  # (feature file name, text)
    skipped: list[str] = []
    for path, written in _documents(sample, folder, copies):
        try:
            dataflow = parse_file(path)
            features.append((f"{dataflow.name}.feature", render_feature(dataflow, written)))
        except Exception as error:  # a document talk generate aborts on: left out, named
            skipped.append(f"{path.name}: {type(error).__name__}: {error}")
    sets = []
    for size in sizes:
        where = folder / f"size-{size}"
        (where / "features").mkdir(parents=True)
        for name, text in features[:size]:
            (where / "features" / name).write_text(text, encoding="utf-8")
        if (folder / "dataflows").exists():  # the copies, named as the features name them
            (where / "dataflows").symlink_to(folder / "dataflows", target_is_directory=True)
        if (root / "conftest.py").is_file():  # the project's wiring, if it has any
            (where / "conftest.py").write_text(
                (root / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
        (where / "pytest.ini").write_text(_pytest_ini(root), encoding="utf-8")
        sets.append(CorpusSet(where, min(size, len(features)), skipped))
    return sets


@dataclass
class SizeRuns:
    corpus: CorpusSet
    serial: HarnessRun
    bare: HarnessRun
    parallel: HarnessRun | None = None


def _run_size(corpus: CorpusSet, parallel: bool, say: Callable[[str], None]) -> SizeRuns:
    folder = corpus.folder
    reports = folder / "reports"
    serial = run_pytest(["-p", "no:xdist", "features/", "--talk-report", str(reports)],
                        folder, timeline=True)
    if not serial.usable:
        raise RuntimeError(f"the corpus checklist of {corpus.documents} documents did not "
                           f"run: {serial.output[-600:]}")
    bare_folder = folder / "bare"
    bare_folder.mkdir()
    bare_feature(bare_folder, serial.items, steps_per_scenario(corpus.features))
    bare = run_pytest(["-p", "no:talk", "-p", "no:xdist", "--rootdir", str(bare_folder), "-c",
                       str(bare_folder / "pytest.ini"), str(bare_folder)], bare_folder,
                      timeline=True)
    runs = SizeRuns(corpus, serial, bare)
    say(f"  {corpus.documents} documents: {serial.items} items serial {serial.cost()} "
        f"({serial.phases.shown()}), bare {bare.cost()}")
    if parallel:
        runs.parallel = run_pytest(["-n", "2", "features/", "--talk-report",
                                    str(folder / "reports-n2")], folder, timeline=True)
        say(f"  -n 2: {runs.parallel.cost()} ({runs.parallel.phases.shown()})")
    return runs


def _growth(run: HarnessRun) -> int | None:
    return None if run.memory is None else max(run.memory[1] - run.memory[0], 1)


def _item_vs_bare(runs: SizeRuns) -> float:
    serial, bare = runs.serial, runs.bare
    return (serial.seconds / serial.items) / (bare.seconds / max(bare.items, 1))


def _figures(runs: list[SizeRuns], skipped: list[str]) -> list[Figure]:
    large, small = runs[-1], runs[0]
    serial, bare = large.serial, large.bare
    failures = f"; {serial.failed} items failed (the sample's findings)" if serial.failed else ""
    left_out = (f"; not generated, left out: {'; '.join(sorted(set(skipped)))}"
                if skipped else "")
    by_size = ", ".join(f"{r.corpus.documents} documents {_item_vs_bare(r):.2f}" for r in runs)
    figures = [Figure(
        "corpus_item_vs_bare", _item_vs_bare(large), _TARGETS["corpus_item_vs_bare"], "ratio",
        note=f"{large.corpus.documents} documents, {serial.items} items serial in "
             f"{serial.cost()} ({serial.phases.shown()}) vs {bare.items} bare scenarios "
             f"in {bare.cost()}; by size: {by_size}{failures}{left_out}",
        invalid=not bare.usable)]
    parallel = large.parallel
    if parallel is not None and parallel.usable:
        figures.append(Figure(
            "corpus_parallel_speedup", serial.seconds / parallel.seconds,
            _TARGETS["corpus_parallel_speedup"], "ratio", higher_is_better=True,
            note=f"serial {serial.cost()}, -n 2 {parallel.cost()} "
                 f"({parallel.phases.shown()})",
            invalid=parallel.items != serial.items))
    else:
        why = parallel.output[-300:] if parallel is not None else "not run"
        figures.append(Figure("corpus_parallel_speedup", None,
                              _TARGETS["corpus_parallel_speedup"], "ratio",
                              higher_is_better=True, note=f"-n 2 did not run: {why}"))
    collection = serial.phases.get("collection")
    bare_collection = bare.phases.get("collection")
    if collection is not None and bare_collection:
        figures.append(Figure(
            "corpus_collection_vs_bare", collection / bare_collection,
            _TARGETS["corpus_collection_vs_bare"], "ratio",
            note=f"collection {collection:.2f}s vs bare {bare_collection:.2f}s "
                 f"(start-up {serial.phases.get('start-up', 0):.1f}s vs "
                 f"{bare.phases.get('start-up', 0):.1f}s)"))
    growth_small, growth_large = _growth(small.serial), _growth(serial)
    if growth_small is not None and growth_large is not None and len(runs) > 1:
        scale = large.corpus.documents / small.corpus.documents
        bare_small, bare_large = _growth(small.bare), _growth(bare)
        bare_note = "" if bare_small is None or bare_large is None else (
            f"; the bare set: {bare_small / MIB:.0f} MiB, {bare_large / MIB:.0f} MiB "
            f"({bare_large / bare_small / scale:.2f})")
        figures.append(Figure(
            "corpus_memory_growth", growth_large / growth_small / scale,
            _TARGETS["corpus_memory_growth"], "ratio (1.0 = linear)",
            note=f"peak RSS growth {growth_small / MIB:.0f} MiB at "
                 f"{small.corpus.documents} documents, {growth_large / MIB:.0f} MiB at "
                 f"{large.corpus.documents}{bare_note}"))
    rate = serial.items / serial.seconds
    rates = f"serial {rate:.1f} items/s"
    if parallel is not None and parallel.usable:
        rates += f", -n 2 {parallel.items / parallel.seconds:.1f} items/s"
    figures.append(Figure("corpus_items_per_second", rate, 0.0, "items/s",
                          higher_is_better=True,
                          note=f"{rates} at {large.corpus.documents} documents (no target)"))
    return figures


def corpus_figures(root: Path, sample: Path, copies: int,
                   say: Callable[[str], None] = lambda message: None) -> list[Figure]:
    """Every corpus figure: sizes 1/4, 1/2 and all of `copies` x the sample."""
    if not sample.is_dir():
        why = f"the corpus sample {sample} is absent"
        return [Figure(name, None, target, "ratio", higher_is_better=name.endswith("speedup"),
                       note=why) for name, target in _TARGETS.items()]
    total = copies * len(list(sample.glob("*.rst")))
    sizes = sorted({max(1, total // 4), max(1, total // 2), total})
    with tempfile.TemporaryDirectory(prefix="talk-bench-corpus-") as folder:
        sets = build_corpus(root, sample, Path(folder), copies, sizes)
        say(f"  {sets[-1].documents} documents generated ({len(sets[-1].skipped)} left out)")
        runs = [_run_size(corpus, corpus is sets[-1], say) for corpus in sets]
    return _figures(runs, sets[-1].skipped)


def quick_corpus_figure(root: Path, sample: Path, documents: int,
                        say: Callable[[str], None] = lambda message: None) -> list[Figure]:
    """`corpus_small_item_vs_bare`: the first `documents` of the sample, serial, vs bare."""
    name = "corpus_small_item_vs_bare"
    if not sample.is_dir():
        return [Figure(name, None, 3.0, "ratio", note=f"the corpus sample {sample} is absent")]
    with tempfile.TemporaryDirectory(prefix="talk-bench-corpus-") as folder:
        corpus = build_corpus(root, sample, Path(folder), 1, [documents])[0]
        runs = _run_size(corpus, False, say)
    serial, bare = runs.serial, runs.bare
    return [Figure(name, _item_vs_bare(runs), 3.0, "ratio", note=(
        f"the first {corpus.documents} sample documents: {serial.items} items serial in "
        f"{serial.seconds:.1f}s ({serial.items / serial.seconds:.1f} items/s) vs "
        f"{bare.items} bare scenarios in {bare.seconds:.1f}s"), invalid=not bare.usable)]

