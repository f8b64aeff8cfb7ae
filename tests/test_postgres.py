"""`python -m autograder grade --db-url` against a real PostgreSQL server: exact scores, resumable.

The server comes from the pgserver wheel and the driver is psycopg 3, both installed by
requirements.txt, so their absence is a failure, not a skip.
"""

import csv
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.course import REPO
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


def grade(submissions_dir, workdir, db_url):
    return subprocess.run([sys.executable, "-m", "autograder", "grade", str(submissions_dir),
                           "--workdir", str(workdir), "--workers", "2", "--db-url", db_url],
                          cwd=REPO, capture_output=True, text=True, timeout=600)


def recorded_scores(db_url):
    with Gradebook(db_url) as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(ID)}


def csv_scores(workdir):
    with open(workdir / "grades.csv", newline="") as f:
        return {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}


def test_grades_into_postgres_and_resumes(postgres_url, tmp_path):
    folder, workdir = tmp_path / "submissions", tmp_path / "work"
    expected = {}
    for fixture in submissions():
        target = folder / fixture.student / ID
        target.mkdir(parents=True)
        nbformat.write(fixture.notebook, target / f"{ID}.ipynb")
        expected[fixture.student] = sum(fixture.scores.values())

    first = grade(folder, workdir, postgres_url)
    assert first.returncode == 0, first.stderr
    assert f"graded {len(expected)} submissions" in first.stdout
    assert recorded_scores(postgres_url) == expected
    assert csv_scores(workdir) == expected

    second = grade(folder, workdir, postgres_url)
    assert second.returncode == 0, second.stderr
    assert "graded 0 submissions" in second.stdout
    assert recorded_scores(postgres_url) == expected
    assert csv_scores(workdir) == expected
