"""Shared fixtures: the course's assignments and released copies made once per test session."""

import os

import pytest

from autograder.course import assignment_ids
from autograder.sandbox.server import SINGLE_THREADED
from autograder.course.release import release


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
    """tests/submissions/markup.py, with blank work, graded once through `python -m autograder grade`;
    complete, partial and blank (empty) work hand in 04_chain_rule as well.

    A class with two assignments, the widest maths of the course (04) and full, partial and blank
    work of each: shared by test_report.py, test_browser.py and test_accessibility.py (one xdist
    group, so one worker grades it). Returns (work directory, {student: the total score it must
    get over its assignments}, the finished process).
    """
    from grading import grade_cli, hand_in
    from submissions import s01_notation, s04_chain_rule
    from submissions.markup import ID, submissions

    def named(fixtures, *students):
        return [fixture for fixture in fixtures if fixture.student in students]

    root = tmp_path_factory.mktemp("markup")
    expected = hand_in(root / "submissions", ID,
                       submissions() + named(s01_notation.submissions(), "empty"))
    also = hand_in(root / "submissions", s04_chain_rule.ID,
                   named(s04_chain_rule.submissions(), "complete", "partial", "empty"))
    expected = {student: score + also.get(student, 0) for student, score in expected.items()}
    run = grade_cli(root / "submissions", root / "work")
    assert run.returncode == 0, run.stderr[-3000:]
    return root / "work", expected, run


BROKEN_01 = {"truncated": b'{"cells": [', "blank": b"", "binary": b"\x89PNG\x00"}


@pytest.fixture(scope="session")
def fixture_class(tmp_path_factory):
    """Every fixture submission of every notebook, plus what a class hands in wrongly for 01 (three
    unreadable notebooks, a folder without one, an unknown assignment), graded once through
    `python -m autograder grade`, then graded again into the same work directory (which must
    regrade nothing).

    The one grading of the fixtures that test_autograde.py and test_grade.py read (xdist group
    "all_fixtures", so one worker grades it). Returns a dict: workdir, expected ({(student,
    assignment): the total score it must get}), first and second (the finished processes).
    """
    import importlib

    from grading import grade_cli, hand_in

    root = tmp_path_factory.mktemp("fixtures")
    folder = root / "submissions"
    expected = {}
    for assignment_id in assignment_ids():
        fixtures = importlib.import_module(f"submissions.s{assignment_id}").submissions()
        scores = hand_in(folder, assignment_id, fixtures)
        expected.update({(student, assignment_id): score for student, score in scores.items()})
    for student, content in BROKEN_01.items():
        (folder / student / "01_notation").mkdir(parents=True)
        (folder / student / "01_notation" / "01_notation.ipynb").write_bytes(content)
        expected[(student, "01_notation")] = 0
    (folder / "nobook" / "01_notation").mkdir(parents=True)
    expected[("nobook", "01_notation")] = 0
    (folder / "stranger" / "99_unknown").mkdir(parents=True)
    first = grade_cli(folder, root / "work")
    assert first.returncode == 0, first.stderr[-3000:]
    second = grade_cli(folder, root / "work")
    return {"workdir": root / "work", "expected": expected, "first": first, "second": second}


@pytest.fixture(scope="session")
def dask_certificates(tmp_path_factory):
    """The course's certificates, made by `python -m autograder cluster-certs`."""
    from dask_cluster import cluster_certs
    return cluster_certs(tmp_path_factory.mktemp("certs") / "course")[0]


@pytest.fixture(scope="session")
def tls_cluster(dask_certificates, tmp_path_factory):
    """A scheduler and two workers started with docs/grading.md's commands (TLS, mutual
    authentication, nannies), on 127.0.0.1: the one cluster of test_dask.py and test_dask_tls.py
    (xdist group "dask", so one test worker starts it)."""
    from dask_cluster import Cluster
    running = Cluster(tmp_path_factory.mktemp("tls-cluster"), workers=2,
                      certificates=dask_certificates)
    yield running
    running.stop()
