"""Shared fixtures: the course's assignments and released copies made once per test session."""

import pytest

from autograder.course import assignment_ids
from autograder.release import release


def pytest_generate_tests(metafunc):
    if "assignment_id" in metafunc.fixturenames:
        metafunc.parametrize("assignment_id", assignment_ids())


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory):
    """A release of every assignment made now, by nbgrader, into a temporary folder."""
    out = tmp_path_factory.mktemp("release")
    release(out_dir=out)
    return out
