"""Take in a submissions tree: SUBMISSIONS/<student>/<assignment>/<assignment>.ipynb becomes
Submissions, and what does not fit becomes problems.csv rows (docs/architecture.md, stage 4).
"""

import dataclasses
import os
import pathlib

from autograder.course import assignment_ids

from .intake import printable


@dataclasses.dataclass
class Submission:
    student_id: str
    assignment_id: str
    folder: pathlib.Path


LAYOUT = ("expected layout: SUBMISSIONS/<student_id>/<assignment_id>/<assignment_id>.ipynb, "
          "for example SUBMISSIONS/a12345/01_notation/01_notation.ipynb")


MAX_ID_LENGTH = 128   # nbgrader's gradebook stores ids as VARCHAR(128)


def discover(submissions_dir):
    """Find <student>/<assignment>/<assignment>.ipynb; return (submissions, problems).

    Only names are read here (no link is followed, no notebook opened): reading and validating a
    notebook happens in its job (autograder/grading/intake.py), under the job's time limit.
    A submission whose notebook is missing or whose folder is a link is returned with folder None
    (it scores 0); the problem says why. Anything else found is reported and skipped: unknown
    assignments, files where folders belong, a layout turned around, names that cannot be stored.
    """
    known = set(assignment_ids())
    submissions, problems = [], []

    def problem(student, assignment, text, zero=False):
        problems.append({"student_id": student, "assignment": assignment, "problem": text,
                         "zero": zero})

    for student_dir in sorted(submissions_dir.iterdir()):
        student = student_dir.name
        shown = printable(student)
        if student.startswith("."):
            continue  # hidden: .git, .ipynb_checkpoints, .DS_Store
        if student_dir.is_symlink():
            problem(shown, "", f"the student folder {shown!r} is a symbolic link; not graded")
            continue
        if not student_dir.is_dir():
            problem(shown, "", f"{shown!r} is a file where a student folder belongs; ignored ("
                               f"{LAYOUT})")
            continue
        if student in known:
            problem(shown, "", f"{shown!r} is an assignment id where a student id belongs: the "
                               f"folders look turned around; not graded ({LAYOUT})")
            continue
        refusal = bad_id(student)
        if refusal:
            problem(shown, "", f"student folder {shown!r} {refusal}; not graded")
            continue
        entries = sorted(student_dir.iterdir())
        if not entries:
            problem(student, "", f"the student folder {student!r} is empty; nothing graded")
        for folder in entries:
            assignment = folder.name
            if folder.is_symlink() and assignment in known:
                problem(student, assignment, f"the folder {assignment}/ is a symbolic link; "
                                             f"scored 0", zero=True)
                submissions.append(Submission(student, assignment, None))
                continue
            if not folder.is_dir() or folder.is_symlink():
                if assignment.removesuffix(".ipynb") in known:
                    problem(student, assignment.removesuffix(".ipynb"), (
                        f"{printable(assignment)} lies directly in the student folder; not graded "
                        f"({LAYOUT})"))
                elif not assignment.startswith("."):
                    problem(student, "", f"{printable(assignment)} in the student folder is not an "
                                         f"assignment folder; ignored ({LAYOUT})")
                continue
            if assignment not in known:
                if not assignment.startswith("."):
                    problem(student, printable(assignment), (
                        f"unknown assignment {printable(assignment)!r} (known: "
                        f"{', '.join(sorted(known))}); not graded"))
                continue
            notebook = folder / f"{assignment}.ipynb"
            others = sorted(p.name for p in folder.glob("*.ipynb") if p.name != notebook.name)
            for extra in others:
                problem(student, assignment, f"extra notebook {printable(extra)} ignored; only "
                                             f"{notebook.name} is graded")
            if not (notebook.exists() or notebook.is_symlink()):
                problem(student, assignment, f"{missing(folder, notebook.name, others)}; scored 0",
                        zero=True)
                submissions.append(Submission(student, assignment, None))
            else:
                submissions.append(Submission(student, assignment, folder))
    return submissions, problems


def missing(folder, name, others):
    """Why `name` is not in `folder`, with what was found instead."""
    text = f"no {name} in the submission"
    deeper = sorted(entry.name for entry in os.scandir(folder)
                    if entry.is_dir(follow_symlinks=False)
                    and os.path.lexists(os.path.join(entry.path, name)))
    if deeper:
        return (f"{text} (found {printable(deeper[0])}/{name}, one level too deep; "
                f"{LAYOUT})")
    if others:
        return f"{text} (found {printable(others[0])}: only {name} is graded, so rename it)"
    return text


def bad_id(name):
    """Why a folder name cannot be a student id, or None."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in name):
        return "is not valid UTF-8"
    if len(name) > MAX_ID_LENGTH:
        return f"is longer than {MAX_ID_LENGTH} characters"
    return None
