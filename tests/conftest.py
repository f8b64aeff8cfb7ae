"""Shared fixtures: the course's assignments and released copies made once per test session."""

import os

import pytest

from autograder.course import assignment_ids
from autograder.sandbox.server import SINGLE_THREADED
from autograder.release import release


# Test workers run kernels side by side; one BLAS thread each keeps them from oversubscribing the
# cores (kernels inherit this environment).
for _name, _value in SINGLE_THREADED.items():
    os.environ.setdefault(_name, _value)


def pytest_generate_tests(metafunc):
    if "assignment_id" in metafunc.fixturenames:
        metafunc.parametrize("assignment_id", assignment_ids())


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory):
    """A release of every assignment made now, by nbgrader, into a temporary folder."""
    out = tmp_path_factory.mktemp("release")
    release(out_dir=out)
    return out


@pytest.fixture(scope="session")
def markup_class(tmp_path_factory):
    """tests/submissions/markup.py graded once through `python -m autograder grade`.

    Shared by test_report.py and test_browser.py (one xdist group, so one worker grades it).
    Returns (work directory, {student: the score it must get}, the finished process).
    """
    from grading import grade_cli, hand_in
    from submissions.markup import ID, submissions

    root = tmp_path_factory.mktemp("markup")
    expected = hand_in(root / "submissions", ID, submissions())
    run = grade_cli(root / "submissions", root / "work")
    assert run.returncode == 0, run.stderr[-3000:]
    return root / "work", expected, run
