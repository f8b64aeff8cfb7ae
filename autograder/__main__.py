"""Instructor commands: release the course, and grade a class's submissions with nbgrader."""

import argparse
import os
import pathlib
import sys

from . import expected_values, provided, start
from .course import REPO, CourseError, assignment_ids
from .grading import settings as grading_settings
from .release import release


UNSAFE_WARNING = """\
WARNING: --unsafe-no-sandbox. Student code runs with YOUR rights, on your files and network.
Gone: the private file system (a submission can read solutions/ and other submissions, and write
or delete anywhere you can, the gradebook included), the network ban, the PID namespace (processes
a submission starts in the background may outlive grading) and the per-kernel uid (no process
limit for root). Kept: per-kernel memory, CPU-time and file-size limits, time limits, the output
cap, and scores decided by nbgrader in the grader's own process."""


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("expected", help="regenerate solutions/<id>/expected.json "
                                                "from the reference solutions")
    cmd.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    cmd.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 if a stored file is not current")
    cmd = commands.add_parser("release", help="regenerate the provided earlier functions and the "
                                               "expected values, then notebooks/ from solutions/ "
                                               "with nbgrader")
    cmd.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    cmd = commands.add_parser("start", help="copy the course into your own folder (work/ by "
                                             "default; your files are never overwritten) and "
                                             "open it in JupyterLab")
    cmd.add_argument("--workspace", type=pathlib.Path, default=None,
                     help="your folder (default: work/ in this repository)")
    cmd.add_argument("--check", action="store_true",
                     help=f"start JupyterLab, check that it serves the course, stop (also set by "
                          f"the environment variable {start.CHECK_VARIABLE}=1)")
    cmd.add_argument("jupyterlab_options", nargs=argparse.REMAINDER,
                     help="passed on to JupyterLab (e.g. --no-browser)")
    cmd = commands.add_parser("grade", help="grade a class's submissions in parallel with nbgrader")
    cmd.add_argument("submissions", help="folder of <student_id>/<assignment_id>/<assignment_id>.ipynb")
    # --workdir is required, but checked after parsing: argparse reports a missing required option
    # before an unknown one, so a typo (--workdri) would read "required: --workdir".
    cmd.add_argument("--workdir", help="(required) where the gradebook, feedback, grades.csv, "
                                       "problems.csv and report.html go")
    grading_settings.add_arguments(cmd)
    args = parser.parse_args(argv)
    if args.command == "grade" and not args.workdir:
        commands.choices["grade"].error("the following arguments are required: --workdir")

    try:
        if args.command == "expected":
            ids = args.ids or assignment_ids()
            if args.check:
                stale = [i for i in ids if not expected_values.is_current(i)]
                if stale:
                    print("not current: " + ", ".join(stale)
                          + " (run `python -m autograder expected`)")
                    return 1
                print(f"expected.json is current for {', '.join(ids)}")
            else:
                report_changes([expected_values.write(i) for i in ids], "wrote", "expected.json")
        elif args.command == "release":
            ids = args.ids or assignment_ids()
            generated = [path for i in ids
                         for path in (provided.write(i), expected_values.write(i))]
            report_changes(generated, "wrote", "generated files in solutions/")
            report_changes(release(args.ids or None), "released", "notebooks/")
        elif args.command == "start":
            check = args.check or os.environ.get(start.CHECK_VARIABLE) == "1"
            return start.start(args.workspace or start.WORKSPACE, args.jupyterlab_options, check)
        elif args.command == "grade":
            from .grading.class_grader import grade_class
            from .sandbox import SandboxError

            settings = grading_settings.from_arguments(args)
            if args.unsafe_no_sandbox:
                print(UNSAFE_WARNING, file=sys.stderr)
            try:
                results = grade_class(args.submissions, args.workdir, settings)
            except SandboxError as error:
                print(f"error: the sandbox could not start, so nothing was graded: {error}\n"
                      f"Student code must not run with your rights. Fix the sandbox, or pass "
                      f"--unsafe-no-sandbox if you trust every submission (docs/security.md).",
                      file=sys.stderr)
                return 2
            except KeyboardInterrupt:
                print("\ninterrupted: finished submissions are recorded; run the same command "
                      "again to grade the rest", file=sys.stderr)
                return 130
            print(f"wrote grades.csv, cells.csv, problems.csv, report.html and feedback/ "
                  f"in {args.workdir}")
            if not any(r["status"] == "graded" for r in results):
                print(f"error: no submission could be graded; problems.csv in {args.workdir} "
                      f"says why", file=sys.stderr)
                return 1
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def report_changes(paths, verb, what):
    """Print `verb path` for each changed path (None: unchanged), or that nothing changed."""
    changed = [p for p in paths if p is not None]
    for path in changed:
        print(f"{verb} {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    if not changed:
        print(f"{what}: already current, nothing changed")


if __name__ == "__main__":
    sys.exit(main())
