"""Release order: a notebook whose release holds earlier answers waits until those are due."""

import datetime
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from autograder.course import REPO, put_environment_on_path
from autograder.course.gradebook_url import gradebook_url
from autograder.course.provided import PROVIDED
from autograder.course.schedule import due_before, release_blockers

NOW = datetime.datetime(2027, 3, 1, 12, 0)


def test_every_provided_function_orders_the_releases():
    order = due_before()
    for assignment, sources in PROVIDED.items():
        assert {earlier for earlier, _ in sources} <= set(order[assignment])
    assert set(order["05_deep_backprop"]) == {"02_forward_propagation", "03_logistic_regression",
                                              "04_chain_rule"}
    assert set(order["06_training"]) == {"02_forward_propagation", "03_logistic_regression",
                                         "05_deep_backprop"}
    assert set(order["03_logistic_regression"]) == {"02_forward_propagation"}
    assert "01_notation" not in order and "02_forward_propagation" not in order
    # 04's hand-graded derivation asks for a hidden layer's weights, which 03 does not derive
    assert "04_chain_rule" not in order


def test_release_waits_for_every_earlier_due_date():
    past, future = NOW - datetime.timedelta(days=1), NOW + datetime.timedelta(hours=1)
    everything_due = {"02_forward_propagation": past, "03_logistic_regression": past,
                      "04_chain_rule": past}
    assert release_blockers("05_deep_backprop", everything_due, NOW) == []
    blockers = release_blockers("05_deep_backprop", dict(everything_due, **{"04_chain_rule": future}), NOW)
    assert len(blockers) == 1 and blockers[0].startswith("04_chain_rule is due 2027-03-01 13:00")
    missing = release_blockers("03_logistic_regression", {}, NOW)
    assert len(missing) == 1 and "no due date" in missing[0] and "sigmoid" in missing[0]
    assert release_blockers("01_notation", {}, NOW) == []


@pytest.mark.slow
def test_check_release_reads_the_course_gradebook(tmp_path):
    put_environment_on_path()  # nbgrader creates a gradebook with the `alembic` command
    with Gradebook(gradebook_url(tmp_path)) as gradebook:
        gradebook.add_assignment("02_forward_propagation", duedate=datetime.datetime(2020, 1, 1))

    def check(assignment):
        return subprocess.run([sys.executable, "-m", "autograder", "check-release", assignment,
                               "--workdir", str(tmp_path)], cwd=REPO, capture_output=True, text=True)

    allowed, refused = check("03_logistic_regression"), check("05_deep_backprop")
    assert allowed.returncode == 0 and "may be released" in allowed.stdout
    assert refused.returncode == 1
    assert refused.stdout.count("not yet:") == 2  # 03 and 04 have no due date; 02 is past
    assert "03_logistic_regression has no due date" in refused.stdout
    assert check("07_unknown").returncode == 2
    (tmp_path / "gradebook.db").unlink()
    nowhere = check("03_logistic_regression")
    assert nowhere.returncode == 2 and "no gradebook at" in nowhere.stderr
