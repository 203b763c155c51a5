#!/usr/bin/env python3
"""Make docs/screenshot-document.png, the README's picture of a checklist document page.

Renders tests/data/results/sample.json (mirroring tests/data/superoffice-to-tripletex.rst)
and photographs the top of the document page in Debian's Chromium through Playwright:

    .ci/install-browser && .venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from talk.dataflow import parse_file
from talk.report import read_results, render

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshot-document.png"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print("make_screenshot: Chromium is not installed; run .ci/install-browser",
              file=sys.stderr)
        return 2
    results = read_results(ROOT / "tests" / "data" / "results" / "sample.json")
    document = ROOT / "tests" / "data" / "superoffice-to-tripletex.rst"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        pages = render(results, Path(folder), dataflows={
            results.documents[0].file: parse_file(document)})
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1180, "height": 1480})
        page.goto(pages[1].as_uri())
        page.screenshot(path=str(OUT))
        browser.close()
    print(f"make_screenshot: wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
