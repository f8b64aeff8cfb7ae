"""Instructor commands: release the course, and grade a class's submissions with nbgrader."""

import argparse
import os
import pathlib
import sys
import traceback

# Only what `start` needs is imported here: a student's environment has numpy and JupyterLab but
# none of the instructor's tools. Each other command imports its own modules.
from autograder.start import roles
from autograder.start import workspace as start
from autograder.course import REPO, CourseError, assignment_ids, source_notebook
from autograder.grading import settings as grading_settings


UNSAFE_WARNING = """\
WARNING: --unsafe-no-sandbox. Student code runs with YOUR rights, on your files and network.
Gone: the private file system (a submission can read solutions/ and other submissions, and write
or delete anywhere you can, the gradebook included), the network ban, the PID namespace (processes
a submission starts in the background may outlive grading) and the per-kernel uid (no process
limit for root). Kept: per-kernel memory, CPU-time and file-size limits, time limits, the output
cap, and scores decided by nbgrader in the grader's own process."""


def main(argv=None):
    parser = build_parser()
    # JupyterLab's own options (`start --no-browser`) are not this parser's: argparse's REMAINDER
    # takes them only after a word that is not an option, so unknown ones are passed on here.
    args, unknown = parser.parse_known_args(argv)
    if "jupyterlab_options" in args:
        args.jupyterlab_options = unknown + args.jupyterlab_options
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.workdir_required and not args.workdir:
        args.command_parser.error("the following arguments are required: --workdir")
    try:
        status = args.func(args)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0 if status is None else status


def build_parser():
    """The parser of every command; each command's `func` runs it (None: exit status 0)."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    parser.set_defaults(workdir_required=False)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name, func, help, parents=()):
        cmd = commands.add_parser(name, help=help, parents=list(parents))
        cmd.set_defaults(func=func, command_parser=cmd)
        return cmd

    # Options that several commands share, declared once.
    gradebook = argparse.ArgumentParser(add_help=False)
    grading_settings.add_arguments(gradebook, only={"db_url"})
    work_directory = argparse.ArgumentParser(add_help=False)
    # --workdir is required, but checked after parsing: argparse reports a missing required option
    # before an unknown one, so a typo (--workdri) would read "required: --workdir".
    work_directory.add_argument("--workdir", help="(required) the work directory of `grade`: "
                                                  "its gradebook, feedback, grades.csv, "
                                                  "problems.csv and report.html")
    work_directory.set_defaults(workdir_required=True)

    cmd = command("expected", expected, "regenerate solutions/<id>/expected.json from the "
                                        "reference solutions")
    _add_ids(cmd)
    cmd.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 if a stored file is not current")
    cmd = command("release", release, "regenerate the provided earlier functions, the saved "
                                      "data sets, the expected values and the grading guides of "
                                      "the answers graded by hand (docs/rubrics/), then "
                                      "notebooks/ from solutions/ with nbgrader")
    _add_ids(cmd)
    cmd = command("start", start_lab, "copy the course into your own folder (work/ by default; "
                                      "your files are never overwritten) and open it in "
                                      "JupyterLab")
    cmd.add_argument("--workspace", type=pathlib.Path, default=None,
                     help="your folder (default: work/ in this repository)")
    _add_lab_options(cmd, "the course")
    cmd = command("formgrader", formgrader, "open a course folder in JupyterLab with all of "
                                            "nbgrader's tools (formgrader, its menu)")
    cmd.add_argument("--course", type=pathlib.Path, default=pathlib.Path("."),
                     help="the course folder (default: here): one that setup-course made, or "
                          "this repository")
    _add_lab_options(cmd, "formgrader")
    cmd = command("student-package", student_package, "write what students get: the released "
                                                      "notebooks, their requirements and the "
                                                      "command that opens them; no solutions")
    cmd.add_argument("out", type=pathlib.Path, help="the package's folder (outside this "
                                                    "repository)")
    _add_ids(cmd)
    cmd.add_argument("--git", action="store_true",
                     help="make OUT a git repository and commit the package (again on each run)")
    cmd.add_argument("--zip", action="store_true", help="also write OUT.zip")
    cmd = command("hub-config", hub_config, "write the Jupyter configuration that shows a "
                                            "role's nbgrader tools on a hub (students: "
                                            "Assignments and Validate; instructors: all)")
    cmd.add_argument("--role", required=True, choices=roles.ROLES)
    cmd.add_argument("--config-dir", required=True, type=pathlib.Path,
                     help="the folder to write into; put it on the role's Jupyter config path "
                          "(JUPYTER_CONFIG_PATH, or the role's environment's etc/jupyter)")
    cmd.add_argument("--exchange", type=pathlib.Path,
                     help="nbgrader's exchange folder (with --course-id: also writes "
                          "nbgrader_config.py, so the Assignments list finds the course)")
    cmd.add_argument("--course-id", "--course", dest="course",
                     help="nbgrader's course id in the exchange (as for setup-course)")
    cmd = command("grade", grade, "grade a class's submissions in parallel with nbgrader",
                  parents=[work_directory, gradebook])
    cmd.add_argument("submissions", help="folder of <student_id>/<assignment_id>/<assignment_id>.ipynb")
    grading_settings.add_arguments(cmd, skip={"db_url"})
    cmd = command("cluster-certs", cluster_certs, "write the TLS certificates of a course's Dask "
                                                  "cluster (a CA; scheduler, workers, grader) "
                                                  "and print the commands that use them")
    cmd.add_argument("folder", type=pathlib.Path, help="where to write them (keep it private: it "
                                                       "holds the CA's key)")
    cmd.add_argument("--host", default="SCHEDULER-HOST",
                     help="the scheduler's host name, for the printed commands")
    cmd = command("setup-course", setup_course, "make a semester's course folder: an "
                                                "nbgrader_config.py there for nbgrader's "
                                                "exchange, formgrader and `grade`")
    cmd.add_argument("folder", type=pathlib.Path, help="the semester's folder (outside this "
                                                       "repository)")
    cmd.add_argument("--course-id", required=True, help="nbgrader's course id, e.g. bp2027")
    cmd.add_argument("--exchange", type=pathlib.Path,
                     help="nbgrader's exchange folder shared with students (on a hub: "
                          "/srv/nbgrader/exchange)")
    cmd = command("check-release", check_release, "may ID be released through the exchange "
                                                  "now? (the notebooks whose answers it holds "
                                                  "must be due first)", parents=[gradebook])
    cmd.add_argument("id", metavar="ID", help="assignment id")
    # not the work directory of `grade`: a course folder, here by default
    cmd.add_argument("--workdir", default=".", help="the course folder whose gradebook holds the "
                                                   "due dates (default: here)")
    command("export", export, "after manual grading: grades.csv, cells.csv, report.html and the "
                              "hand-graded feedback pages again, from the class gradebook",
            parents=[work_directory, gradebook])
    cmd = command("similarity", similarity, "compare a graded class's code: similarity.csv, "
                                            "side-by-side pages and report.html's section "
                                            "(grade does this too)",
                  parents=[work_directory, gradebook])
    cmd.add_argument("submissions", help="the folder of submissions that `grade` was given")
    return parser


def _add_ids(cmd):
    cmd.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")


def _add_lab_options(cmd, served):
    """`--check` and JupyterLab's own options, of the commands that open JupyterLab."""
    cmd.add_argument("--check", action="store_true",
                     help=f"start JupyterLab, check that it serves {served}, stop (also set by "
                          f"the environment variable {start.CHECK_VARIABLE}=1)")
    cmd.add_argument("jupyterlab_options", nargs=argparse.REMAINDER,
                     help="passed on to JupyterLab (e.g. --no-browser)")


# --- the commands: each takes the parsed arguments, returns its exit status (None: 0) ------------

def expected(args):
    from autograder.course import expected_values

    ids = args.ids or assignment_ids()
    if args.check:
        stale = [i for i in ids if not expected_values.is_current(i)]
        if stale:
            print("not current: " + ", ".join(stale) + " (run `python -m autograder expected`)")
            return 1
        print(f"expected.json is current for {', '.join(ids)}")
    else:
        report_changes([expected_values.write(i) for i in ids], "wrote", "expected.json")


def release(args):
    from autograder.course import datasets
    from autograder.course import expected_values
    from autograder.course import provided
    from autograder.course import rubric
    from autograder.course.release import release as release_notebooks

    ids = args.ids or assignment_ids()
    generated = [path for i in ids
                 for path in (provided.write(i), datasets.write(i),
                              expected_values.write(i), rubric.write(i))]
    report_changes(generated, "wrote", "generated files in solutions/ and docs/rubrics/")
    report_changes(release_notebooks(args.ids or None), "released", "notebooks/")


def start_lab(args):
    check = args.check or os.environ.get(start.CHECK_VARIABLE) == "1"
    return start.start(args.workspace or start.WORKSPACE, args.jupyterlab_options, check)


def formgrader(args):
    from autograder.start.instructor_view import open_formgrader

    check = args.check or os.environ.get(start.CHECK_VARIABLE) == "1"
    return open_formgrader(args.course, args.jupyterlab_options, check)


def student_package(args):
    from autograder.start.student_package import notes, write_package

    ids = args.ids or assignment_ids()
    files, archive = write_package(args.out, ids, git=args.git, as_zip=args.zip)
    print(f"wrote {len(files)} files for students in {args.out.resolve()}"
          + (" (committed with git)" if args.git else "")
          + (f" and {archive}" if archive else "")
          + f": {', '.join(ids)}")
    for note in notes(ids):
        print(f"note: {note}")


def hub_config(args):
    if (args.exchange is None) != (args.course is None):
        args.command_parser.error("--exchange and --course-id go together")
    exchange = args.exchange.resolve() if args.exchange else None
    try:
        written = roles.write_config(args.config_dir, args.role, exchange, args.course)
    except ValueError as error:
        raise CourseError(str(error)) from None
    for path in written:
        print(f"wrote {path}")
    hidden = ", ".join(roles.DISABLED_LAB[args.role]) or "none of nbgrader's tools"
    print(f"Start {args.role}s' servers with "
          f"JUPYTER_CONFIG_PATH={args.config_dir.resolve()} (not needed if that is their Python environment's etc/jupyter); they hide: "
          f"{hidden}")


def grade(args):
    from autograder.grading.class_grader import RunProblems, grade_class
    from autograder.sandbox import SandboxError

    settings = grading_settings.from_arguments(args)
    if args.unsafe_no_sandbox:
        print(UNSAFE_WARNING, file=sys.stderr)
    try:
        results = grade_class(args.submissions, args.workdir, settings)
    except RunProblems as trouble:
        print(f"wrote grades.csv, cells.csv, problems.csv, report.html and feedback/ "
              f"in {args.workdir}")
        print(f"error: every submission was graded, but the grader itself had "
              f"{len(trouble.problems)} problem(s) (in problems.csv); the first: "
              f"{trouble.problems[0]}", file=sys.stderr)
        return 1
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
    except CourseError:
        raise
    except Exception as error:  # the traceback, then one line that says what happened
        traceback.print_exc()
        print(f"error: grading stopped ({type(error).__name__}: {str(error)[:300]}); "
              f"what was graded is written to {args.workdir}; run the same command "
              f"again to grade the rest", file=sys.stderr)
        return 1
    print(f"wrote grades.csv, cells.csv, problems.csv, report.html and feedback/ "
          f"in {args.workdir}")
    if not any(r["status"] == "graded" for r in results):
        print(f"error: no submission could be graded; problems.csv in {args.workdir} "
              f"says why", file=sys.stderr)
        return 1


def cluster_certs(args):
    from autograder.grading.engines import certificates

    try:
        folder = certificates.write_certificates(args.folder)
    except (OSError, RuntimeError) as error:
        raise CourseError(f"could not write the certificates: {error}") from None
    print(f"wrote the course's CA (ca.pem; its key ca-key.pem stays here) and the "
          f"certificates of the {', '.join(certificates.ROLES)} in {folder}; copy "
          f"ca.pem and worker.pem, worker-key.pem to each worker, and start:")
    for line in certificates.commands(folder, args.host):
        print(f"  {line}")


def setup_course(args):
    from autograder.course.folder import setup_course as write_course_folder

    path, said = write_course_folder(args.folder, args.course_id, args.exchange)
    for sentence in said:
        print(sentence)
    print(f"wrote {path}: run nbgrader's commands and `python -m autograder grade "
          f"submitted --workdir .` in {path.parent}")


def check_release(args):
    from autograder.course.gradebook_url import gradebook_url
    from autograder.course.schedule import gradebook_duedates, release_blockers

    source_notebook(args.id)
    db_url = gradebook_url(args.workdir, args.db_url)
    blockers = release_blockers(args.id, gradebook_duedates(db_url))
    for blocker in blockers:
        print(f"not yet: {blocker}")
    if blockers:
        return 1
    print(f"{args.id} may be released: every notebook whose answers it holds is due")


def similarity(args):
    from autograder.grading.export import compare_graded_class

    written, problems = compare_graded_class(args.submissions, args.workdir, args.db_url)
    print(f"wrote {', '.join(written)} in {args.workdir}"
          + (f" ({len(problems)} notebook(s) could not be read, listed above)"
             if problems else ""))


def export(args):
    from autograder.grading.export import export as export_class

    pages = export_class(args.workdir, args.db_url)
    print(f"wrote grades.csv, cells.csv and report.html in {args.workdir} from its "
          f"gradebook, and {len(pages)} feedback page(s) with manual grades or comments")


def report_changes(paths, verb, what):
    """Print `verb path` for each changed path (None: unchanged), or that nothing changed."""
    changed = [p for p in paths if p is not None]
    for path in changed:
        print(f"{verb} {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    if not changed:
        print(f"{what}: already current, nothing changed")


if __name__ == "__main__":
    sys.exit(main())
