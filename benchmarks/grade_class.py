"""Grade one class twice, with plain sequential `nbgrader autograde` and with `python -m autograder
grade --workers <cores>`, check that full and blank work score the same, print both times and their
ratio, and the load average before and after.

The anchor is what an instructor would otherwise run: stock nbgrader under its default
configuration (one kernel per submission running the notebook's visible test cells, one submission
after another). That favours stock: it runs no hidden checks and no sandbox. Scores agree only
where the two designs agree by construction: complete work (full marks) and blank work (0); other
fixtures differ on purpose (stock scores visible checks only, and zeroes a cell that warns).

Both halves prepare the assignments before their timer (stock: generate_assignment; ours: the
template gradebook that `grade` keeps per course version).

The class is built from the fixture submissions of tests/submissions/ (every notebook that has
them), repeated under new student ids until it has at least --size submissions.

    python benchmarks/grade_class.py [--size 40] [--workers N] [--ours-only]

After the comparison it prints where our grader's time goes, per notebook and per stage (the
means of the jobs' stage times: autograder/grading/stage_times.py), each as seconds of one worker:
fork (the kernel started), cells (the student's cells), checks (the test cells judged in place),
teardown, the rest of `nbgrader autograde` (its bookkeeping), page (`generate_feedback`), the rest
of the job (intake, reading results) and recording (in the class grader's process).
`--ours-only` skips stock nbgrader, to look at the stages alone.
"""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import nbformat
from nbgrader.api import Gradebook

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import importlib  # noqa: E402

from autograder.course import SOLUTIONS, assignment_ids  # noqa: E402
from autograder.course.gradebook_url import gradebook_url  # noqa: E402
from autograder.grading.class_gradebook import prepare  # noqa: E402


def build_class(folder, size):
    """Write a class of at least `size` submissions; return {(student, assignment)}."""
    fixtures = []
    for assignment in assignment_ids():
        try:
            module = importlib.import_module(f"submissions.s{assignment}")
        except ModuleNotFoundError:
            continue
        fixtures += [(assignment, s) for s in module.submissions()]
    written, copy = set(), 0
    while len(written) < size:
        for assignment, fixture in fixtures:
            student = f"{fixture.student}-{copy}"
            target = folder / student / assignment
            target.mkdir(parents=True, exist_ok=True)
            nbformat.write(fixture.notebook, target / f"{assignment}.ipynb")
            written.add((student, assignment))
        copy += 1
    return written


def stock(course, class_folder, assignments):
    """Sequential stock nbgrader CLI with nbgrader's default configuration; (seconds, scores)."""
    shutil.copytree(class_folder, course / "submitted")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.source_directory = {str(SOLUTIONS)!r}\n"
        "c.CourseDirectory.release_directory = 'release'\n"
        f"c.CourseDirectory.db_url = {gradebook_url(course)!r}\n")
    env = dict(os.environ, PATH=f"{pathlib.Path(sys.executable).parent}{os.pathsep}"
                                f"{os.environ['PATH']}")
    nbgrader = [sys.executable, "-m", "nbgrader"]
    for assignment in assignments:
        subprocess.run(nbgrader + ["generate_assignment", assignment, "--force"], cwd=course,
                       env=env, check=True, capture_output=True)
    started = time.perf_counter()
    for assignment in assignments:
        subprocess.run(nbgrader + ["autograde", assignment], cwd=course, env=env, check=True,
                       capture_output=True)
    seconds = time.perf_counter() - started
    return seconds, scores(gradebook_url(course), assignments)


def ours(workdir, class_folder, workers):
    """(seconds, scores, {assignment: [stage times of each job]}).

    As stock's generate_assignment runs before its timer, the course's template gradebook is
    made (or found) before ours: `grade` makes it once per course version and keeps it
    (autograder/grading/class_gradebook.py, template_cache)."""
    prepared = workdir.with_name("prepared")
    prepare(prepared, gradebook_url(prepared),
            sorted({p.name for p in class_folder.glob("*/*") if p.is_dir()}))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(class_folder), "--workdir",
                    str(workdir), "--workers", str(workers)], cwd=REPO, check=True,
                   capture_output=True)
    seconds = time.perf_counter() - started
    stages = {}
    for path in sorted((workdir / "results").glob("*/*.json")):
        found = json.loads(path.read_text())
        if found.get("stages"):
            stages.setdefault(found["assignment"], []).append(found["stages"])
    return seconds, scores(gradebook_url(workdir), assignment_ids()), stages


# (column, how to read it from one job's stage times)
STAGE_COLUMNS = [
    ("fork", lambda t: t.get("fork", 0)),
    ("cells", lambda t: t.get("cells", 0)),
    ("checks", lambda t: t.get("checks", 0)),
    ("teardown", lambda t: t.get("teardown", 0)),
    ("nbgrader", lambda t: t.get("autograde", 0) - sum(
        t.get(k, 0) for k in ("fork", "cells", "checks", "teardown"))),
    ("page", lambda t: t.get("page", 0)),
    ("job rest", lambda t: t.get("job", 0) - t.get("autograde", 0) - t.get("page", 0)),
    ("recording", lambda t: t.get("recording", 0)),
    ("total", lambda t: t.get("job", 0) + t.get("recording", 0)),
]


def print_stages(stages):
    """Mean seconds per submission, per notebook and stage, and over all submissions."""
    print(f"\nwhere a submission's time goes (mean seconds of one worker; "
          f"{os.cpu_count()} cores)")
    print(f"{'notebook':<24}{'n':>4}" + "".join(f"{name:>10}" for name, _ in STAGE_COLUMNS))
    every = []
    for assignment in sorted(stages):
        rows = stages[assignment]
        every += rows
        print(f"{assignment:<24}{len(rows):>4}" + "".join(
            f"{statistics.mean(read(r) for r in rows):>10.3f}" for _, read in STAGE_COLUMNS))
    if every:
        print(f"{'all':<24}{len(every):>4}" + "".join(
            f"{statistics.mean(read(r) for r in every):>10.3f}" for _, read in STAGE_COLUMNS))


def scores(db_url, assignments):
    with Gradebook(db_url) as gradebook:
        found = {}
        for assignment in assignments:
            try:
                for submission in gradebook.assignment_submissions(assignment):
                    found[(submission.student.id, assignment)] = submission.score
            except Exception:
                continue
        return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--ours-only", action="store_true", help="skip stock nbgrader")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as scratch:
        scratch = pathlib.Path(scratch)
        written = build_class(scratch / "class", args.size)
        assignments = sorted({a for _, a in written})
        if not args.ours_only:
            stock_seconds, stock_scores = stock(scratch / "stock", scratch / "class", assignments)
        our_seconds, our_scores, stages = ours(scratch / "ours", scratch / "class", args.workers)
    print(f"cores: {os.cpu_count()}  workers: {args.workers}  submissions: {len(written)} "
          f"over {', '.join(assignments)}")
    if args.ours_only:
        print(f"python -m autograder grade: {our_seconds:7.1f} s "
              f"({our_seconds / len(written):.2f} s per submission, preparation included)")
        print("load average before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *os.getloadavg()))
        print_stages(stages)
        return
    print(f"stock nbgrader autograde, sequential: {stock_seconds:7.1f} s "
          f"({stock_seconds / len(written):.2f} s per submission)")
    print(f"python -m autograder grade:           {our_seconds:7.1f} s "
          f"({our_seconds / len(written):.2f} s per submission, preparation included)")
    print(f"speed-up: {stock_seconds / our_seconds:.2f}x")
    print("load average before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}".format(
        *load_before, *os.getloadavg()))
    anchored = [key for key in stock_scores if key[0].startswith(("complete-", "empty-"))]
    differing = [key for key in anchored if stock_scores.get(key) != our_scores.get(key)]
    print(f"full and blank work score the same in both: {not differing} ({len(anchored)} compared)")
    for key in differing:
        print(f"  {key}: stock {stock_scores.get(key)}, ours {our_scores.get(key)}")
    print_stages(stages)
    if differing or not anchored:
        sys.exit(1)


if __name__ == "__main__":
    main()
