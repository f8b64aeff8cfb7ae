"""The class similarity report: whose code is alike, per assignment, among the students' own code.

    python -m autograder similarity SUBMISSIONS --workdir DIR     (a class already graded;
                                                                  grading/export.py)

`grade` runs the same step after grading (`after_grading`). The parts:

- source.py        reads each submission as the grader does and takes its solution cells;
- fingerprints.py  normalised tokens, k-grams and winnowing, less the release's given code;
- compare.py       the index (fingerprint -> students), rarity weights, pairs, reference matches,
                   clusters;
- output.py        DIR/similarity.csv, DIR/similarity/clusters.csv and summary.json, the
                   side-by-side pages DIR/similarity/<assignment>/<rank>.html, and the section
                   that report.html shows (`report_section`).
"""

import concurrent.futures
import functools
import multiprocessing
import os
import pathlib
import sys
import traceback

from autograder.course import CourseError, assignment_ids
from autograder.grading.intake import Refused
from autograder.grading.progress import Progress
from autograder.grading.settings import Settings

from . import output
from .compare import Options, compare
from .fingerprints import cell_print, release_hashes
from .source import read_notebook, reference_cells, release_cells, student_cells

POOL_FROM = 200   # submissions from which reading and fingerprinting use a process per core
INTAKE = Settings().intake()   # a notebook is read within the grader's default bounds


@functools.lru_cache(maxsize=None)
def given_code(assignment):
    """(release's code per cell, {grade id: stripped given lines}, hashes of all given k-grams)."""
    cells = release_cells(assignment)
    lines = {cell: frozenset(line.strip() for line in code.splitlines() if line.strip())
             for cell, code in cells.items()}
    return cells, lines, frozenset(release_hashes(cells.values()))


def fingerprint_cells(assignment, codes):
    """[CellPrint] of {grade id: code}, in the release's cell order, less the given code."""
    cells, lines, hashes = given_code(assignment)
    return [cell_print(cell, codes[cell], lines[cell], hashes) for cell in cells if cell in codes]


def _read_one(task):
    """(student, assignment, [CellPrint] or None, problem sentence or None) of one submission."""
    student, assignment, folder = task
    if folder is None:
        return student, assignment, None, None
    try:
        nb = read_notebook(folder, f"{assignment}.ipynb", INTAKE)
    except Refused as refusal:
        return student, assignment, None, f"similarity: {refusal}; not compared"
    codes = student_cells(nb, set(given_code(assignment)[0]))
    return student, assignment, fingerprint_cells(assignment, codes), None


def analyse(submissions_dir, stream=sys.stdout, options=Options(), workers=None):
    """Read and compare a class's submissions; return ([Outcome] per assignment, [problems])."""
    from autograder.grading.discovery import discover

    submissions, _ = discover(pathlib.Path(submissions_dir).resolve())
    known = set(assignment_ids())
    tasks = [(s.student_id, s.assignment_id, None if s.folder is None else str(s.folder))
             for s in submissions if s.assignment_id in known]
    progress = Progress(len(tasks), stream, verb="compared")
    documents, problems = {}, []
    workers = workers or os.cpu_count() or 1
    if len(tasks) >= POOL_FROM and workers > 1:
        context = multiprocessing.get_context("forkserver")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            found = pool.map(_read_one, tasks, chunksize=32)
            for result in found:
                _keep(result, documents, problems, progress)
    else:
        for task in tasks:
            _keep(_read_one(task), documents, problems, progress)
    progress.finish()
    outcomes = []
    for assignment in sorted({a for _, a, _ in tasks}):
        reference = fingerprint_cells(assignment, reference_cells(assignment))
        outcomes.append(compare(assignment, documents.get(assignment, {}), reference, options))
    return outcomes, problems


def _keep(result, documents, problems, progress):
    student, assignment, cells, problem = result
    if cells is not None:
        documents.setdefault(assignment, {})[student] = cells
    if problem:
        problems.append({"student_id": student, "assignment": assignment, "problem": problem,
                         "zero": False})
    progress.advance(f"{student}/{assignment}", failed=bool(problem))


def run(submissions_dir, workdir, stream=sys.stdout, options=Options()):
    """Compare a class and write its similarity outputs into workdir; return ([Outcome], problems)."""
    workdir = pathlib.Path(workdir).resolve()
    if not pathlib.Path(submissions_dir).is_dir():
        raise CourseError(f"{submissions_dir} is not a folder of submissions")
    outcomes, problems = analyse(submissions_dir, stream, options)
    output.write(workdir, outcomes, options)
    return outcomes, problems


def after_grading(submissions_dir, workdir, stream=sys.stdout):
    """`grade`'s step: run(), but a failure of its own becomes a problems.csv row, never a lost
    grading run. Returns the rows ([] when it went well; a notebook that cannot be read is
    already reported by its grading job)."""
    try:
        run(submissions_dir, workdir, stream)
        return []
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        return [{"student_id": "", "assignment": "", "zero": False,
                 "problem": f"the similarity report could not be written ({type(error).__name__}: "
                            f"{str(error)[:200]})"}]


def report_section(workdir):
    """The HTML fragment of report.html's similarity section ('' before any similarity run)."""
    return output.report_section(pathlib.Path(workdir))
