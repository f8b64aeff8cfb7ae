"""What students get: the released notebooks and what opens them, and nothing of the instructor's.

    python -m autograder student-package OUT [ID ...] [--git] [--zip]

OUT receives, for the given assignments (default: all):
    <id>/                the release of notebooks/<id>/, with its own copy of utils/
    requirements.txt     requirements-student.txt: numpy, matplotlib, scikit-learn, JupyterLab
    open_course.py       autograder/start/launcher.py: opens this folder in JupyterLab
    README.md            the one command that sets up and opens the course, and how to hand in
    .gitignore           the student's environment and JupyterLab's own files

Nothing of solutions/, the hidden checks or the instructor's tools is written: only files of the
release, which `tests/test_release.py` proves free of solutions and hidden tests. With --git, OUT is
a git repository with the package committed (again on each run: students `git pull` new
notebooks); with --zip, OUT.zip holds the same files in a folder named like OUT.

A notebook whose release holds the answers of others (autograder/course/schedule.py) is packaged when
asked for, with a note: hand the package out once those notebooks are due.
"""

import pathlib
import shutil
import subprocess
import zipfile

import nbformat

from autograder.start import launcher
from autograder.course import NOTEBOOKS, REPO, CourseError, assignment_ids, source_notebook
from autograder.course.release import release_files
from autograder.course.schedule import due_before

REQUIREMENTS = REPO / "requirements-student.txt"
LAUNCHER = pathlib.Path(launcher.__file__).with_suffix(".py")
OPEN_COMMAND = ("python3.11 -m venv .venv && .venv/bin/pip install -r requirements.txt && "
                ".venv/bin/python open_course.py")
MARKER = "<!-- written by python -m autograder student-package -->"
GITIGNORE = ".venv/\n.ipynb_checkpoints/\n__pycache__/\n*.pyc\n"


def title_of(assignment_id):
    """The first heading of a released notebook, without its '#' marks."""
    notebook = nbformat.read(NOTEBOOKS / assignment_id / f"{assignment_id}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return assignment_id


def readme(ids):
    """The package's README.md for assignments `ids`."""
    rows = "\n".join(f"| `{i}` | {title_of(i)} |" for i in ids)
    return f"""# Backpropagation from scratch: your notebooks

{MARKER}

On your own computer, with Python 3.11, in this folder, one command installs what the notebooks
need (numpy, matplotlib, scikit-learn and JupyterLab, in a `.venv` folder here) and opens the
course in JupyterLab:

```
{OPEN_COMMAND}
```

Afterwards `.venv/bin/python open_course.py` opens it again. On Windows, write
`.venv\\Scripts\\` for `.venv/bin/` (and `py -3.11` for `python3.11`).

| notebook | title |
|---|---|
{rows}

Work in `<id>/<id>.ipynb`. Each exercise is a function to fill in, followed by a check cell: run
it, and it either says that your function passed its visible checks or tells you which value is
wrong, how, and the likely mistake. When your work is graded, the same cell also runs checks on
inputs you have not seen. Leave the other files of each folder as they are: `utils/` holds the
checks, `expected.json` the values they compare with.

To hand in, give your instructor the notebook file `<id>/<id>.ipynb` as your course asks, under
its own name. Before handing in, restart the kernel and run all cells: a notebook that only works
in the order you happened to run it fails when graded.

If you received this folder with git, `git pull` brings the notebooks your instructor adds later;
commit your own work first (`git commit -am "my work"`).
"""


def planned_files(ids):
    """{path relative to OUT: bytes} of the package of `ids`."""
    files = {pathlib.Path("README.md"): readme(ids).encode(),
             pathlib.Path("requirements.txt"): REQUIREMENTS.read_bytes(),
             pathlib.Path("open_course.py"): LAUNCHER.read_bytes(),
             pathlib.Path(".gitignore"): GITIGNORE.encode()}
    for assignment_id in ids:
        for relative, content in release_files(NOTEBOOKS / assignment_id).items():
            files[assignment_id / relative] = content
    return files


def notes(ids):
    """Sentences for the instructor: packaged notebooks whose release holds others' answers."""
    found = []
    for assignment_id in ids:
        holds = due_before().get(assignment_id, {})
        if holds:
            found.append(f"{assignment_id} holds answers of {', '.join(sorted(holds))}: hand "
                         f"this package out once they are due, or package only the notebooks "
                         f"released so far")
    return found


def write_package(out, ids=None, git=False, as_zip=False):
    """Write the student package of `ids` (default: all) into `out`; return (files, zip or None).

    `out` must lie outside this repository. An existing `out` is replaced only if it is empty or
    a package this command wrote (its .git is kept); otherwise CourseError, before any change.
    """
    out = pathlib.Path(out).resolve()
    ids = list(ids or assignment_ids())
    for assignment_id in ids:
        source_notebook(assignment_id)  # CourseError for an unknown id
        if not (NOTEBOOKS / assignment_id / f"{assignment_id}.ipynb").is_file():
            raise CourseError(f"{assignment_id} is not released yet: run "
                              f"`python -m autograder release {assignment_id}`")
    if out == REPO or REPO in out.parents:
        raise CourseError(f"{out} is inside the repository, which holds the solutions; write "
                          f"the package elsewhere")
    if out.exists():
        existing = [p for p in out.iterdir() if p.name != ".git"]
        ours = (out / "README.md").is_file() and MARKER in (out / "README.md").read_text()
        if existing and not ours:
            raise CourseError(f"{out} exists and is not a student package; choose a new folder")
        for path in existing:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    files = planned_files(ids)
    for relative, content in files.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(content)
    if git:
        commit(out, f"Course notebooks: {', '.join(ids)}")
    archive = zip_package(out, files) if as_zip else None
    return sorted(files), archive


def commit(out, message):
    """Make `out` a git repository (if it is not one) and commit everything in it."""
    if shutil.which("git") is None:
        raise CourseError("--git needs the git command, which is not installed")
    identity = ["-c", "user.name=Course", "-c", "user.email=course@localhost"]
    if not (out / ".git").is_dir():
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=out, check=True)
    subprocess.run(["git", "add", "-A"], cwd=out, check=True)
    changed = subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=out).returncode != 0
    if changed:
        subprocess.run(["git", *identity, "commit", "-q", "-m", message], cwd=out, check=True)


def zip_package(out, files):
    """OUT.zip beside OUT, holding `files` under a folder named like OUT."""
    archive = out.with_name(out.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for relative, content in sorted(files.items()):
            zipped.writestr(f"{out.name}/{relative.as_posix()}", content)
    return archive

