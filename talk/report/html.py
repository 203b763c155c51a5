"""Render a checklist run as HTML: index.html plus one page per document.

Every page is self-contained (inline CSS and JS, no URL outside the page's own directory)
so that a CI artifact can be opened from disk or mailed around. Templates are Jinja2 with
autoescape on: every string from results.json or a document is data, never markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from talk.dataflow.model import Dataflow
from talk.report.baseline import Change, Comparison
from talk.report.pages import build_document_page, build_index_page, find_dataflow, page_names
from talk.report.results import Results
from talk.report.statuses import STATUS_ORDER, status_mark

__all__ = ["render"]


def render(results: Results, out_dir: Path, *,
           dataflows: Mapping[str, Dataflow] | None = None,
           comparison: Comparison | None = None) -> list[Path]:
    """Write index.html and one page per document into `out_dir`; return the files written.

    `dataflows` maps a document's file (as results.json names it, or its file name or stem)
    to its parsed Dataflow, so that its page can show the document line by line.
    `comparison` (from `talk.report.baseline.compare`) adds the changes since a baseline.
    """
    environment = _environment()
    names = page_names(results.documents)
    out_dir.mkdir(parents=True, exist_ok=True)
    index = out_dir / "index.html"
    index.write_text(environment.get_template("index.html.j2").render(
        page=build_index_page(results, names, comparison), run_time=results.generated_at),
        encoding="utf-8")
    written = [index]
    template = environment.get_template("document.html.j2")
    for document, name in zip(results.documents, names, strict=True):
        dataflow = find_dataflow(dataflows or {}, document.file)
        page = build_document_page(document, name, results, dataflow, comparison)
        path = out_dir / name
        path.write_text(template.render(page=page, run_time=results.generated_at),
                        encoding="utf-8")
        written.append(path)
    return written


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("talk.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    style = _asset("style.css")
    script = _asset("filter.js")
    environment.globals.update(
        status_order=STATUS_ORDER, status_mark=status_mark, changes=list(Change),
        inline_style=Markup(style), inline_script=Markup(script),
        csp=_content_security_policy(style, script),
    )
    return environment


def _asset(name: str) -> str:
    """Our own CSS or JS, inlined verbatim (it is code of ours, not data)."""
    return files("talk.report").joinpath("templates", name).read_text(encoding="utf-8")


def _content_security_policy(style: str, script: str) -> str:
    """Allow only our inline style and script, by hash, and no fetch of anything at all.

    Escaping is what keeps data from becoming markup; this is the second lock: even a
    script that slipped through would not run, and nothing can be loaded from a network.
    """
    return (f"default-src 'none'; style-src '{_sha256(style)}'; "
            f"script-src '{_sha256(script)}'; base-uri 'none'; form-action 'none'")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
