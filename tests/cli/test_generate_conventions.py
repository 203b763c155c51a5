"""`talk generate` writes features that read the same on every checkout, refuses documents
`talk lint` rejects, and `--check` shows what would change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from talk.cli import main

REPO = Path(__file__).resolve().parents[2]
GOOD = REPO / "dataflows" / "keap-to-webcrm.rst"
REJECTED = REPO / "tests" / "data" / "malformed" / "unknown-shape-sentence.rst"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "qa"
    (root / "dataflows").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\ntalk_features = features\n", encoding="utf-8")
    shutil.copy(GOOD, root / "dataflows")
    return root


def test_features_name_their_document_relative_to_the_repository(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.parent)  # run from elsewhere, with absolute paths
    assert main(["generate", str(project / "dataflows"), "--out",
                 str(project / "features")]) == 0
    text = (project / "features" / "keap-to-webcrm.feature").read_text(encoding="utf-8")
    assert 'Given the dataflow document "dataflows/keap-to-webcrm.rst"' in text
    assert str(project) not in text


def test_a_document_lint_rejects_is_named_and_not_generated(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(REJECTED, project / "dataflows")
    monkeypatch.chdir(project)
    assert main(["generate", "dataflows/", "--out", "features/"]) == 1
    error = capsys.readouterr().err
    assert "dataflows/unknown-shape-sentence.rst:33: cannot generate: `talk lint` rejects " \
           "it: unknown sentence in section" in error
    assert (project / "features" / "keap-to-webcrm.feature").is_file()
    assert not (project / "features" / "unknown-shape-sentence.feature").exists()
    assert main(["generate", "dataflows/", "--out", "features/", "--allow-lint-errors"]) == 0
    assert "warning: generated although `talk lint` rejects it" in capsys.readouterr().err
    assert (project / "features" / "unknown-shape-sentence.feature").is_file()


def test_check_prints_a_unified_diff_of_a_stale_feature(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    assert main(["generate", "dataflows/", "--out", "features/"]) == 0
    feature = project / "features" / "keap-to-webcrm.feature"
    text = feature.read_text(encoding="utf-8")
    feature.write_text(text.replace("Sample Nordlys 745d83", "edited by hand"),
                       encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", "--check", "dataflows/", "--out", "features/"]) == 1
    out = capsys.readouterr().out
    assert "--- features/keap-to-webcrm.feature (on disk)\n" \
           "+++ features/keap-to-webcrm.feature (generated)\n" in out
    assert "-        | company_name | edited by hand |\n" in out
    assert "+        | company_name | Sample Nordlys 745d83 |\n" in out
