"""`python -m autograder grade --db-url` against a real PostgreSQL server: exact scores, resumable.

Two submissions of 01 with different scores (full marks and partial marks) are enough to show
that each student's own score reaches the PostgreSQL gradebook; the scoring of every fixture is
tested on SQLite by test_grade.py and test_autograde.py.

The server comes from the pgserver wheel and the driver is psycopg 3, both installed by
requirements.txt, so their absence is a failure, not a skip.
"""

import pytest
from nbgrader.api import Gradebook

from grading import grade_cli, hand_in, read_csv
from postgres_server import PostgresUnavailable, check_available, postgres_database
from submissions.s01_notation import submissions

pytestmark = pytest.mark.slow

ID = "01_notation"


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    """The SQLAlchemy URL of an empty database on a throwaway server, stopped after the module."""
    try:
        check_available()
    except PostgresUnavailable as error:
        pytest.fail(f"cannot start PostgreSQL: {error}. requirements.txt installs pgserver and "
                    f"psycopg[binary]: run `pip install -r requirements.txt`", pytrace=False)
    with postgres_database(tmp_path_factory.mktemp("postgres")) as url:
        yield url


def recorded_scores(db_url):
    with Gradebook(db_url) as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(ID)}


def csv_scores(workdir):
    return {r["student_id"]: float(r["score"]) for r in read_csv(workdir / "grades.csv")}


def test_grades_into_postgres_and_resumes(postgres_url, tmp_path_factory):
    # A short folder, as in conftest.py's fixture_class: kernels' ipc sockets live under the work
    # directory, and a unix socket path holds at most 107 bytes (tmp_path, named after the test, is
    # too long under xdist).
    root = tmp_path_factory.mktemp("class")
    folder, workdir = root / "submissions", root / "work"
    expected = hand_in(folder, ID, [s for s in submissions()
                                    if s.student in ("complete", "partial")])
    assert expected == {"complete": 10, "partial": 4}

    first = grade_cli(folder, workdir, "--db-url", postgres_url)
    assert first.returncode == 0, first.stderr
    assert f"graded {len(expected)} submissions" in first.stdout
    assert recorded_scores(postgres_url) == expected
    assert csv_scores(workdir) == expected

    second = grade_cli(folder, workdir, "--db-url", postgres_url)
    assert second.returncode == 0, second.stderr
    assert "graded 0 submissions" in second.stdout
    assert f"kept {len(expected)} results" in second.stdout
    assert recorded_scores(postgres_url) == expected
    assert csv_scores(workdir) == expected
