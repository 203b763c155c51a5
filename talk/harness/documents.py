"""Find and read the dataflow documents that features name, once per process."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from talk.dataflow.model import Dataflow
from talk.dataflow.parser import parse_file

__all__ = ["load_document", "resolve_document"]


def resolve_document(written: str, anchors: Iterable[Path]) -> Path:
    """The document a feature names: as written if absolute, else under the first anchor
    (the rootdir, then the feature's folder and its parents) where it exists."""
    path = Path(written)
    if path.is_absolute():
        return path
    tried = []
    for anchor in anchors:
        for folder in (anchor, *anchor.parents):
            candidate = folder / path
            if candidate.is_file():
                return candidate.resolve()
            tried.append(candidate)
    raise FileNotFoundError(f"dataflow document {written!r} not found (looked in "
                            f"{', '.join(str(t.parent) for t in tried[:3])}, ...)")


@lru_cache(maxsize=64)
def _load(path: str) -> Dataflow:
    return parse_file(path)


def load_document(path: Path) -> Dataflow:
    """The parsed document (cached: features of one document share one parse)."""
    return _load(str(path.resolve()))
