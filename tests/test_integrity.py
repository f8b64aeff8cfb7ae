"""Score tricks graded through `python -m autograder grade`: none beats its control, none leaks.

Every graded cell is decided in the grader's process (autograder/scoring/judge.py) on values computed by a
second, clean kernel, so what a trick does in the kernel whose outputs become the feedback page
changes no score; and since no hidden check, reference or expected value runs in any kernel, no
trick can print one. The watcher fixture checks that last claim from inside both kernels.
"""

import html
import re

import nbformat
import pytest

from grading import grade_cli, read_csv
from kernels import Kernel
from notebook_parts import filled, release
from submissions import reference_answers
from submissions.hostile import FULL, secret_lines
from submissions.tricks import CONTROL, ID, hidden_check_lines, secret_detector, tricks
from utils.probe import MARK

# Blanking every cell that mentions checks blanks no test cell (none runs in the kernel) and no
# grader's call (they are user expressions, not cells): it scores the control. A forged reply that
# cannot be read fails every call it answers, right functions' included.
EXPECTED = {name: CONTROL for name, _ in tricks()} | {
    "forges-huge-array": 0, "forges-deep-reply": 0}
# The grader runs with less address space than a forged array would take (12.8 GB) and than the
# 4 GB such a reply once made a worker allocate.
ADDRESS_SPACE = 3 * 2 ** 30
WATCHER = "watches-for-secrets"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_integrity")]


def watcher():
    """A correct submission whose first cell watches its kernel for instructor material."""
    nb = filled(release(ID), reference_answers(ID))
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first, nbformat.v4.new_code_cell(secret_detector(hidden_check_lines())))
    return nb


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricks")
    for name, nb in tricks() + [(WATCHER, watcher())]:
        path = root / "submissions" / name / ID / f"{ID}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    run = grade_cli(root / "submissions", root / "work", address_space=ADDRESS_SPACE)
    assert run.returncode == 0, run.stderr[-3000:]
    scores = {row["student_id"]: float(row["score"])
              for row in read_csv(root / "work" / "grades.csv")}
    return root, scores


def page(root, student):
    """The text a student reads on their feedback page (tags and styles removed)."""
    text = (root / "work" / "feedback" / student / ID / f"{ID}.html").read_text()
    text = re.sub(r"<style.*?</style>|<script.*?</script>", "", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_the_control_scores_its_wrong_answers(graded):
    _, scores = graded
    assert scores["control"] == CONTROL


@pytest.mark.parametrize("name", [name for name, _ in tricks()])
def test_a_trick_scores_no_more_than_its_control(graded, name):
    _, scores = graded
    assert scores[name] <= scores["control"]
    assert scores[name] == EXPECTED[name]


@pytest.mark.parametrize("name", [name for name, _ in tricks()])
def test_no_feedback_page_shows_instructor_material(graded, name):
    root, _ = graded
    own = nbformat.read(root / "submissions" / name / ID / f"{ID}.ipynb", as_version=4)
    own_lines = {line.strip() for cell in own.cells for line in cell.source.splitlines()}
    text = page(root, name)
    shown = [line for line in secret_lines() if line not in own_lines and line in text]
    assert not shown
    assert "probe.answer_all(globals()" not in text  # no call the grader made
    assert f"{MARK} 0 " not in text  # and no reply to one


def test_forged_replies_are_that_students_failure(graded):
    root, scores = graded
    assert "ReplyError: an array came back with an invalid shape" in page(root, "forges-huge-array")
    assert "ReplyError: the value that came back is nested too deeply" in \
        page(root, "forges-deep-reply")
    assert scores[WATCHER] == FULL  # an honest student of the same class, graded alongside


def test_the_history_trick_printed_only_public_cells(graded):
    root, _ = graded
    text = page(root, "prints-history")
    assert "_ih:" in text and "linecache:" in text  # it ran, and printed what it found
    printed = text.split("In: ['", 1)[-1]
    assert "def stack_examples" in printed  # the student's cells are there, and nothing else:
    assert "layer_shapes([4, 3, 1])" not in printed  # no test cell ran in the kernel,
    assert "answer_json" not in printed and "answer_all" not in printed  # nor a grader's call


def test_no_kernel_that_ran_student_code_held_instructor_material(graded):
    root, scores = graded
    assert scores[WATCHER] == FULL  # its functions would have stopped working in either kernel
    assert "SECRET SEEN" not in page(root, WATCHER)


def test_the_watcher_sees_hidden_checks_in_a_kernel(tmp_path):
    """The watcher is able to fail: a kernel that runs a hidden check is caught at once."""
    from autograder.scoring.judge import hidden_checks
    with Kernel(tmp_path) as kernel:
        assert kernel.run("import numpy as np\nfrom utils import check\n"
                          + secret_detector(hidden_check_lines())).ok
        assert "SECRET SEEN" not in kernel.run("x = 1").stdout
        kernel.run(reference_answers(ID)["layer_shapes"])
        kernel.run(hidden_checks(ID)["test_layer_shapes"])
        assert "SECRET SEEN" in kernel.run("x = 2").stdout
