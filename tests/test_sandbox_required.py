"""Without a working sandbox, `grade` refuses; `--unsafe-no-sandbox` grades and says what is lost."""

import nbformat
import pytest

from grading import grade_cli, read_csv
from submissions.s01_notation import submissions

pytestmark = pytest.mark.slow

ID = "01_notation"


@pytest.fixture(scope="module")
def one_submission(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one") / "submissions"
    complete = next(s for s in submissions() if s.student == "complete")
    (folder / "complete" / ID).mkdir(parents=True)
    nbformat.write(complete.notebook, folder / "complete" / ID / f"{ID}.ipynb")
    return folder


def test_refuses_when_the_sandbox_cannot_start(one_submission, tmp_path):
    run = grade_cli(one_submission, tmp_path / "work", workers=1,
                    env={"AUTOGRADER_BWRAP": "/bin/false"})
    assert run.returncode == 2
    assert "the sandbox could not start, so nothing was graded" in run.stderr
    assert "--unsafe-no-sandbox" in run.stderr
    assert not (tmp_path / "work" / "grades.csv").exists()


def test_unsafe_mode_grades_and_says_what_is_lost(one_submission, tmp_path):
    run = grade_cli(one_submission, tmp_path / "work", "--unsafe-no-sandbox", workers=1,
                    env={"AUTOGRADER_BWRAP": "/bin/false"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "WARNING: --unsafe-no-sandbox" in run.stderr and "YOUR rights" in run.stderr
    rows = read_csv(tmp_path / "work" / "grades.csv")
    assert [(r["student_id"], r["score"]) for r in rows] == [("complete", "10")]


def test_refuses_when_kernels_cannot_import_utils(tmp_path, monkeypatch):
    """Every notebook starts with `import utils`: a sandbox without it would score everyone 0."""
    from autograder.sandbox import ForkServer, SandboxError, server

    (tmp_path / "repo" / "utils").mkdir(parents=True)
    (tmp_path / "repo" / "utils" / "__init__.py").write_text(
        "raise ImportError('a broken utils, on purpose')\n")
    monkeypatch.setattr(server, "REPO", tmp_path / "repo")
    with pytest.raises(SandboxError, match="cannot import utils from .*a broken utils, on purpose"):
        ForkServer(tmp_path / "spool", uid=61000)
