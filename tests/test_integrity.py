"""Score tricks graded through `python -m autograder grade`: none beats its control.

The verdict of each graded cell also rests on probe calls judged outside the student's kernel
(autograder/probes.py), so replacing utils, numpy, IPython's error display or the test source in
the kernel, or lying arrays, change nothing: each trick scores exactly what the same wrong answers
score without it.
"""

import nbformat
import pytest

from grading import grade_cli, read_csv
from submissions.tricks import CONTROL, ID, tricks

# Blanking every cell that mentions checks also blanks the probes: nothing comes back, all score 0.
EXPECTED = {name: CONTROL for name, _ in tricks()} | {"rewrites-tests": 0}

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_integrity")]


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricks")
    for name, nb in tricks():
        path = root / "submissions" / name / ID / f"{ID}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    run = grade_cli(root / "submissions", root / "work")
    assert run.returncode == 0, run.stderr[-3000:]
    return {row["student_id"]: float(row["score"]) for row in read_csv(root / "work" / "grades.csv")}


@pytest.mark.parametrize("name", [name for name, _ in tricks()])
def test_a_trick_scores_no_more_than_its_wrong_answers(scores, name):
    assert scores[name] == EXPECTED[name] <= CONTROL
