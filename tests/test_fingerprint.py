"""The course fingerprint that Dask workers compare with the grader's covers everything that
decides a score: each covered piece, changed, changes it; and what a grading job imports (modules
of this repository, installed distributions) is all covered."""

import importlib.metadata
import json
import pathlib
import shutil
import subprocess
import sys

import pytest

from autograder.course import REPO
from autograder.grading.engines.fingerprint import PACKAGES, PARTS, course_fingerprint, versions

PIECES = ["autograder/scoring/judge.py", "autograder/scoring/evidence.py", "autograder/scoring/kernel_values.py",
          "autograder/scoring/scores.py", "autograder/grading/job.py", "autograder/course/nbgrader_config.py",
          "autograder/scoring/hidden_checks/01_notation.py", "autograder/sandbox/forkserver.py",
          "nbgrader_config.py", "solutions/01_notation/01_notation.ipynb", "utils/__init__.py"]


@pytest.fixture(scope="module")
def copy_of_course(tmp_path_factory):
    """The covered parts of this checkout, copied: (root, parts)."""
    root = tmp_path_factory.mktemp("course")
    for part in PARTS:
        target = root / part.relative_to(REPO)
        if part.is_file():
            shutil.copy(part, target)
        else:
            shutil.copytree(part, target, ignore=shutil.ignore_patterns("__pycache__"))
    return root, [root / p.relative_to(REPO) for p in PARTS]


@pytest.mark.parametrize("piece", PIECES)
def test_changing_a_covered_file_changes_the_fingerprint(copy_of_course, piece):
    root, parts = copy_of_course
    before = course_fingerprint(parts, root)
    assert before == course_fingerprint(parts, root)
    path = root / piece
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n")
        assert course_fingerprint(parts, root) != before, piece
    finally:
        path.write_bytes(original)
    assert course_fingerprint(parts, root) == before


def test_the_fingerprint_is_the_checkouts_own(copy_of_course):
    root, parts = copy_of_course
    assert course_fingerprint(parts, root) == course_fingerprint()  # a copy: the same course


@pytest.mark.parametrize("package", ["nbgrader", "numpy", "ipykernel"])
def test_another_installed_version_changes_the_fingerprint(package, tmp_path, monkeypatch):
    """A distribution of another version, found first on sys.path, as in another environment."""
    before = course_fingerprint()
    info = tmp_path / f"{package}-0.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.0.1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert versions()[package] == "0.0.1"
    assert course_fingerprint() != before


def test_the_python_version_is_covered():
    assert versions()["python"].endswith(".".join(map(str, sys.version_info[:3])))
    assert {"nbgrader", "numpy", "ipykernel", "jupyter_client", "nbclient", "nbformat",
            "nbconvert"} <= set(PACKAGES)


IMPORTS = """
import importlib.metadata, json, sys
import autograder.grading.job, autograder.grading.engines.worker, autograder.grading.engines.local
import autograder.grading.feedback, autograder.scoring.preprocessors
import nbgrader.apps.autogradeapp, nbgrader.apps.generatefeedbackapp
from autograder.sandbox.forkserver import PRELOAD, preload
preload()
names = importlib.metadata.packages_distributions()
print(json.dumps({name: [getattr(module, "__file__", None),
                         names.get(name.split(".")[0], [])]
                  for name, module in list(sys.modules.items())}))
"""


def test_every_module_a_job_imports_is_covered():
    """A job's worker process imports the job, the local engine and nbgrader's apps, and
    preloads what kernels import (Dask, the transport, checks its own versions): every module
    file of this repository is in a covered part, and every distribution it comes from is in
    PACKAGES, so that a new module cannot be missed."""
    run = subprocess.run([sys.executable, "-c", IMPORTS], cwd=REPO, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    modules = json.loads(run.stdout.strip().splitlines()[-1])
    ours = {name for name, (path, _) in modules.items()
            if path and (REPO / "autograder" in _parents(path) or REPO / "utils" in
                         _parents(path))}
    assert "autograder.scoring.judge" in ours and "utils" in ours
    for name in ours:
        assert any(p in _parents(modules[name][0]) for p in PARTS), name
    distributions = {d for _, ds in modules.values() for d in ds} - {"backprop-course"}
    assert {"nbgrader", "numpy", "ipykernel", "matplotlib"} <= distributions
    missing = distributions - set(PACKAGES)
    assert not missing, f"add to fingerprint.PACKAGES: {sorted(missing)}"
    # a module of site-packages that no distribution claims would escape the list above
    names = importlib.metadata.packages_distributions()
    folders = {_site_folder(path) for path, _ in modules.values()} - {None}
    assert {"numpy", "nbgrader", "debugpy"} <= folders
    unknown = {top for top in folders if top not in names and not top.startswith("__")
               and not top.endswith((".py", ".so", ".pth", ".dist-info"))}
    assert not unknown, f"imported from site-packages, of no known distribution: {unknown}"


def _parents(path):
    return pathlib.Path(path).resolve().parents


def _site_folder(path):
    """The top-level name under site-packages that `path` lies in, or None."""
    parts = pathlib.Path(path).parts if path else ()
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1:]
        return rest[0] if len(rest) > 1 else None
    return None
