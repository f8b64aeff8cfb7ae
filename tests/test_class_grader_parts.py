"""Parts of the class grader that need no kernel: new gradebooks, the template kept between runs,
Ctrl-C during grading."""

import signal

import pytest
import sqlalchemy
from nbgrader.api import Gradebook

from autograder.course import put_environment_on_path
from autograder.course.gradebook_url import gradebook_url
from autograder.grading.class_gradebook import gradebook_cells
from autograder.grading.class_gradebook import create_gradebook, prepare, template_cache
from autograder.grading.class_grader import InterruptRequest
from autograder.grading.engines.fingerprint import course_fingerprint


def tables_and_version(db_url):
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as connection:
            tables = sorted(sqlalchemy.inspect(connection).get_table_names())
            versions = connection.execute(
                sqlalchemy.text("SELECT version_num FROM alembic_version")).scalars().all()
        return tables, versions
    finally:
        engine.dispose()


def test_new_gradebook_is_the_one_nbgrader_makes(tmp_path):
    ours, theirs = f"sqlite:///{tmp_path / 'ours.db'}", f"sqlite:///{tmp_path / 'theirs.db'}"
    create_gradebook(ours)
    put_environment_on_path()  # as the course configuration does: nbgrader runs `alembic heads`
    Gradebook(theirs).close()
    assert tables_and_version(ours) == tables_and_version(theirs)
    tables, versions = tables_and_version(ours)
    assert "grade" in tables and len(versions) == 1 and len(versions[0]) == 12
    with Gradebook(ours) as gradebook:  # nbgrader opens it as its own, and it stays as it was
        gradebook.add_student("s1")
    create_gradebook(ours)  # a database with tables is left alone
    with Gradebook(ours) as gradebook:
        assert [s.id for s in gradebook.students] == ["s1"]


def test_first_ctrl_c_is_a_request_the_second_interrupts():
    # Python's own handler, as at a terminal (a run in the background may inherit SIGINT ignored)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with InterruptRequest() as interrupt:
            assert not interrupt.requested
            signal.raise_signal(signal.SIGINT)
            assert interrupt.requested
            with pytest.raises(KeyboardInterrupt):
                signal.raise_signal(signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, before)


def test_an_ignored_ctrl_c_stays_ignored():
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with InterruptRequest() as interrupt:
            signal.raise_signal(signal.SIGINT)
            assert not interrupt.requested
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


# (auto score, manual score, extra credit) -> the class gradebook's score of the cell
SCORE_RULE = [((None, None, None), None), ((3.0, None, None), 3.0), ((3.0, 5.0, None), 5.0),
              ((3.0, 5.0, 1.5), 6.5), ((3.0, None, 2.0), 5.0), ((None, 4.0, None), 4.0),
              ((3.0, 0.0, None), 0.0), ((0.0, None, 0.5), 0.5)]


def test_a_cells_score_is_nbgraders_manual_over_auto_plus_extra_credit(tmp_path):
    url = gradebook_url(tmp_path)
    put_environment_on_path()
    with Gradebook(url) as gradebook:
        gradebook.add_assignment("a1")
        gradebook.add_notebook("a1", "a1")
        gradebook.add_grade_cell("q", "a1", "a1", max_score=10.0, cell_type="code")
        for n, ((auto, manual, extra), _) in enumerate(SCORE_RULE):
            gradebook.add_student(f"s{n}")
            gradebook.add_submission("a1", f"s{n}")
            grade = gradebook.find_grade("q", "a1", "a1", f"s{n}")
            grade.auto_score, grade.manual_score, grade.extra_credit = auto, manual, extra
        gradebook.db.commit()
    cells = gradebook_cells(url)
    got = [cells[(f"s{n}", "a1")]["q"]["score"] for n in range(len(SCORE_RULE))]
    wanted = [score for _, score in SCORE_RULE]
    assert [g is None for g in got] == [w is None for w in wanted]
    assert [g for g in got if g is not None] == pytest.approx([w for w in wanted if w is not None])


def gradebook_contents(db_path):
    """Every row of the assignment tables nbgrader's generate_assignment fills, as plain tuples."""
    engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as connection:
            return {table: sorted(map(tuple, connection.execute(sqlalchemy.text(
                        f"SELECT * FROM {table}")).all()), key=repr)
                    for table in ("assignment", "notebook", "grade_cells", "solution_cells",
                                  "source_cell", "task_cells")}
    finally:
        engine.dispose()


@pytest.mark.slow
def test_template_gradebook_is_generated_once_per_course_version(tmp_path, monkeypatch):
    """The first run generates the template with nbgrader and keeps it under the course's
    fingerprint; the next run, in another work directory, copies the very same gradebook and runs
    no generate_assignment (which would have written a release folder beside it)."""
    monkeypatch.setenv("AUTOGRADER_CACHE", str(tmp_path / "cache"))
    ids = ["01_notation", "04_chain_rule"]
    cached = template_cache(ids)
    assert cached.parent == tmp_path / "cache" / "templates"
    assert cached.name.startswith(course_fingerprint()) and cached != template_cache(ids[:1])
    first = prepare(tmp_path / "first", f"sqlite:///{tmp_path / 'first.db'}", ids)
    assert (first.parent / "release" / "01_notation").is_dir() and cached.is_file()
    assert [p.name for p in cached.parent.iterdir()] == [cached.name]  # no partial copy left
    second = prepare(tmp_path / "second", f"sqlite:///{tmp_path / 'second.db'}", ids)
    assert not (second.parent / "release").exists()
    contents = gradebook_contents(second)
    assert contents == gradebook_contents(first) == gradebook_contents(tmp_path / "second.db")
    assert {row[1] for row in contents["assignment"]} == set(ids)
