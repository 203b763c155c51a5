"""The report in a real browser: Debian's Chromium driven by Playwright's Python package.

Skipped, with the reason, where either is missing (`.ci/install-browser` installs both).
Set TALK_SCREENSHOT=path.png to keep the screenshot of the filtered document page.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_helpers import DATA, RESULTS

from talk.report import read_results, render

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the playwright package is not installed (.ci/install-browser installs it)")
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium; see .ci/install-browser)")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    from talk.dataflow import parse_file

    results = read_results(RESULTS / "sample.json")
    dataflows = {results.documents[0].file: parse_file(DATA / "superoffice-to-tripletex.rst")}
    render(results, tmp_path / "reports", dataflows=dataflows)
    return tmp_path / "reports"


class Watch:
    """Everything the page did that a self-contained report must never do."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        if message.type in {"error", "warning"}:
            self.problems.append(f"console {message.type}: {message.text}")

    def _request(self, request: Any) -> None:
        if not request.url.startswith("file://"):
            self.problems.append(f"request outside the report: {request.url}")


def _visible_items(page: Any) -> list[tuple[str, str, str, str]]:
    return [tuple(row) for row in page.eval_on_selector_all(
        ".item", """els => els.filter(e => e.checkVisibility()).map(e => [
            e.dataset.line, e.dataset.kind, e.dataset.status,
            e.querySelector('.mark').textContent.trim()])""")]


def test_click_into_a_document_and_filter_to_failures(browser: Any, report: Path,
                                                      tmp_path: Path) -> None:
    results = read_results(RESULTS / "sample.json")
    document = results.documents[0]
    items = [i for s in document.sections for i in s.items]
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.set_default_timeout(10_000)
    watch = Watch(page)

    page.goto((report / "index.html").as_uri())
    assert page.title() == "Checklist report"
    page.get_by_role("link", name=document.title).first.click()
    page.wait_for_url("**/superoffice-to-tripletex.html")
    assert page.locator("h1").inner_text() == document.title
    assert len(_visible_items(page)) == len(items)  # everything, before any filter

    page.get_by_role("button", name=re.compile(r"^failed \(2\)$")).click()
    assert page.get_by_role("button", name="Everything").get_attribute("aria-pressed") == "false"
    failed = [(str(i.line), i.kind, i.status, "✘ failed") for i in items if i.status == "failed"]
    assert _visible_items(page) == failed
    assert page.get_by_role("status").inner_text().endswith(": 2 shown.")
    evidence = page.locator("details.evidence[open]").filter(has_text="read back")
    assert evidence.count() == 2 and all(e.is_visible() for e in evidence.all())
    assert not page.locator("[data-status=passed]").first.is_visible()

    screenshot = tmp_path / "document-failed.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("TALK_SCREENSHOT"):
        shutil.copy(screenshot, os.environ["TALK_SCREENSHOT"])

    page.get_by_role("button", name="Everything").click()
    assert len(_visible_items(page)) == len(items)
    assert watch.problems == []


def test_index_links_open_filtered_pages_and_keyboard_works(browser: Any, report: Path) -> None:
    page = browser.new_page()
    page.set_default_timeout(10_000)
    watch = Watch(page)
    page.goto((report / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the checklist"
    page.get_by_role("button", name=re.compile(r"^manual")).click()
    rows = page.locator("#main table").first.locator("tbody tr")
    assert [r.is_visible() for r in rows.all()] == [True, False]  # only one has manual items
    page.get_by_role("link", name="2", exact=True).first.click()  # the failed count
    page.wait_for_url("**/superoffice-to-tripletex.html?status=failed")
    assert page.get_by_role("button", name=re.compile(r"^failed")).get_attribute(
        "aria-pressed") == "true"
    assert {status for _, _, status, _ in _visible_items(page)} == {"failed"}
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert watch.problems == []


def test_print_shows_everything(browser: Any, report: Path) -> None:
    page = browser.new_page()
    page.goto((report / "superoffice-to-tripletex.html").as_uri() + "?status=failed")
    page.emulate_media(media="print")
    results = read_results(RESULTS / "sample.json")
    assert len(_visible_items(page)) == sum(len(s.items) for s in results.documents[0].sections)
    assert not page.locator("#filter").is_visible()
    closed = page.locator("details.evidence:not([open]) pre").first
    assert closed.is_visible()  # evidence folded on screen is printed
