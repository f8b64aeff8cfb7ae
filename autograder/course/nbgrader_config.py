"""nbgrader configuration of the course (loaded by `python -m autograder` and by ../nbgrader_config.py).

The course root is the repository: instructor sources in solutions/, the student release in
notebooks/. The grading workspace (submitted/, autograded/, feedback/, gradebook.db) lives under
the root too and is git-ignored.
"""
import pathlib

import nbgrader
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties, CheckCellMetadata, GetGrades, LimitOutput)

from autograder.course import put_environment_on_path
from autograder.scoring.evidence import RunOnce
from autograder.grading.feedback import TEMPLATES, FeedbackExporter
from autograder.grading.settings import Settings
from autograder.course.gradebook_url import gradebook_url
from autograder.scoring.preprocessors import NameTestCells, NumberCellsInOrder, StderrAsStdout
from autograder.scoring.scores import SaveVerdicts
from autograder.course.validator_lines import install as install_validator_lines

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

put_environment_on_path()  # nbgrader runs `alembic`; `.venv/bin/nbgrader` alone would not find it

_root = pathlib.Path(__file__).resolve().parents[2]
c.CourseDirectory.root = str(_root)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = gradebook_url(_root)
# nbgrader's Gradebook creates a course row with this id; with the default '' assignments would
# point at a course that does not exist, which PostgreSQL's foreign keys refuse (SQLite ignores it).
c.CourseDirectory.course_id = "default_course"

# The per-cell limit `grade --cell-timeout` defaults to (nbgrader's own default, 30 s), so that
# stock `nbgrader autograde` with this configuration uses it too: every graded cell of a
# reference solution finishes well inside it.
c.Execute.timeout = Settings.cell_timeout

# RunOnce runs the notebook once, in one kernel: the student's cells in order, and in the place of
# each graded test cell the grader's judgement of it, made in this process (autograder/scoring/evidence.py
# and judge.py): the visible checks' messages as the page shows them, and the verdict of the
# visible and hidden checks (autograder/scoring/hidden_checks/), computed with each call of a student's
# function answered by that kernel and compared here with the reference solutions. SaveVerdicts
# records the verdicts as the scores. No test-cell code, hidden check, reference or expected value
# ever runs in the kernel, and no output decides a score (docs/security.md).
#
# Stderr is kept as ordinary text (StderrAsStdout): the student reads a warning in the feedback
# and it costs nothing (scores do not look at outputs at all).
c.Autograde.autograde_preprocessors = [
    RunOnce,
    StderrAsStdout,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveVerdicts,
    AssignLatePenalties,
    CheckCellMetadata,
]

# A test cell a student deleted is put back and run, so deleting a failing test earns nothing.
c.OverwriteCells.add_missing_cells = True

# ipykernel warns on every start that its local TCP sockets are unencrypted, which tells an
# instructor nothing they can act on; the kernel's own log keeps errors only. (A student's warnings
# are outputs of their cells, not this log, and are kept.)
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]

# Feedback shows every check's message and the student's code (the hidden checks live in
# autograder/scoring/hidden_checks/, never in a notebook); its summary names the exercises, and its
# cells are numbered 1, 2, 3, ...
c.GenerateFeedback.preprocessors = [NameTestCells, NumberCellsInOrder, GetGrades,
                                    CSSHTMLHeaderPreprocessor]
# A feedback page runs no script and loads nothing, whoever opens it: student HTML is sanitised,
# maths is MathML written with the page, and the course's template (nbgrader's feedback template
# plus a Content-Security-Policy, wrapped messages and named exercises) is used.
c.GenerateFeedback.exporter_class = FeedbackExporter
c.FeedbackExporter.extra_template_basedirs = [
    str(pathlib.Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"),
    str(TEMPLATES)]
c.FeedbackExporter.template_name = "course_feedback"
c.FeedbackExporter.template_file = "page.html.j2"
# Formgrader's manual-grading page (nbgrader's HTMLExporter with its `formgrade` template) loads
# MathJax from the instructor's own server rather than a CDN, so it works offline.
c.HTMLExporter.extra_template_basedirs = c.FeedbackExporter.extra_template_basedirs
c.HTMLExporter.template_name = "course_formgrade"
c.HTMLExporter.template_file = "page.html.j2"


# `nbgrader validate` wraps a long line of a check's message instead of cutting it at 90 characters.
install_validator_lines()
