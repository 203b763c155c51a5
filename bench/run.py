"""`python -m bench [--quick | --full | --corpus]`: run the benchmarks, print the table,
write bench/results.json (figures not run this time keep their last value there).

Exits 0 whether or not the targets are met (the table and the JSON say which were missed);
non-zero only when a benchmark itself crashes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import corpus_figures, quick_corpus_figure
from bench.harness import harness_figures
from bench.memory import memory_figure
from bench.results import Figure, render_table, write_results
from bench.scenario import bench_document
from bench.sync import measure_sync, sync_figures

__all__ = ["MODES", "Mode", "main"]

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
SAMPLE = ROOT.parent / "shared" / "corpus-sample"


@dataclass(frozen=True)
class Mode:
    records: int  # N of the sync timings
    repetitions: int
    memory_records: int  # N of the memory figure (N/10 is the small run)
    harness_repetitions: int  # each: serial, bare and -n 2 checklist runs
    corpus_documents: int  # --quick's small corpus figure: the first documents of the sample


MODES = {
    # --quick fits in a minute on a 2-core machine, the checklist runs included.
    "quick": Mode(records=1_000, repetitions=3, memory_records=5_000, harness_repetitions=2,
                  corpus_documents=6),
    "full": Mode(records=100_000, repetitions=3, memory_records=100_000,
                 harness_repetitions=5, corpus_documents=8),
}


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of talk's sync and checklist harness, as ratios measured in "
                    "one run. Prints a table and writes bench/results.json; exits 0 even "
                    "when a target is missed.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true",
                      help="small N, under a minute (the default)")
    size.add_argument("--full", action="store_true", help="N=100,000: several minutes")
    size.add_argument("--corpus", action="store_true",
                      help="only the corpus figures: the checklist of the document sample "
                           "(1/4, 1/2, all of --copies x it) against bare pytest-bdd; long")
    parser.add_argument("--copies", type=int, default=4, metavar="K",
                        help="--corpus: how many times the sample is repeated (default 4)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, metavar="DIR",
                        help="the document sample, read in place (default: ../shared/"
                             "corpus-sample)")
    parser.add_argument("--records", type=int, metavar="N",
                        help="override N of the sync timings and the memory figure")
    parser.add_argument("--only", choices=("sync", "memory", "harness", "corpus"),
                        action="append",
                        help="run only these groups (repeatable)")
    parser.add_argument("--output", type=Path, default=RESULTS, metavar="FILE",
                        help=f"where the figures go (default: {RESULTS.relative_to(ROOT)})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    mode = MODES["full" if args.full else "quick"]
    records = args.records or mode.records
    memory_records = args.records or mode.memory_records
    groups = set(args.only or (("corpus",) if args.corpus
                               else ("sync", "memory", "harness", "corpus")))
    started = time.perf_counter()
    figures: list[Figure] = []
    crashed = False

    def attempt(name: str, work: Callable[[], list[Figure]]) -> None:
        nonlocal crashed
        _say(f"{name} ...")
        try:
            figures.extend(work())
        except Exception:
            crashed = True
            _say(f"{name} crashed:\n{traceback.format_exc()}")

    with tempfile.TemporaryDirectory(prefix="talk-bench-") as folder:
        dataflow = bench_document(Path(folder))
        if "sync" in groups:
            attempt("sync timings", lambda: sync_figures(
                measure_sync(dataflow, records, mode.repetitions)))
        if "memory" in groups:
            attempt("memory", lambda: [memory_figure(memory_records)])
        if "harness" in groups:
            attempt("checklist harness", lambda: harness_figures(
                ROOT, mode.harness_repetitions, say=_say))
        if "corpus" in groups and args.corpus:
            attempt(f"corpus ({args.copies} x the sample)", lambda: corpus_figures(
                ROOT, args.sample, args.copies, say=_say))
        elif "corpus" in groups:
            attempt("small corpus", lambda: quick_corpus_figure(
                ROOT, args.sample, mode.corpus_documents, say=_say))

    print(render_table(figures))
    missed = [figure.name for figure in figures if not figure.ok]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_results(figures, args.output)
    _say(f"{len(figures)} figures in {time.perf_counter() - started:.0f}s, written to "
         f"{args.output}; " + (f"missed: {', '.join(missed)}" if missed else "all targets met"))
    return 1 if crashed else 0
