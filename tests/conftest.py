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
