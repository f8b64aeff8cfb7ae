"""A short hash of everything that decides a score, so that no Dask worker grades with another
version of the course than the class grader's.

It covers the files of `PARTS` (the reference solutions, all of autograder/: the judge, the hidden
checks, the evidence, the sandbox, the job that records scores, the course's nbgrader
configuration; utils/, which kernels import; the repository's nbgrader_config.py), the Python
version and the installed versions of `PACKAGES`: every distribution a grading job or a kernel's
preload imports (tests/test_fingerprint.py checks this list against what a job really imports).
Every Dask worker compares its own with the grader's before it grades anything.
"""

import hashlib
import importlib.metadata
import platform

from autograder.course import REPO, SOLUTIONS

PARTS = [SOLUTIONS, REPO / "autograder", REPO / "utils", REPO / "nbgrader_config.py"]
SKIPPED = {"__pycache__", ".ipynb_checkpoints"}
PACKAGES = (
    "arrow", "attrs", "beautifulsoup4", "bleach", "certifi", "charset-normalizer", "cloudpickle",
    "comm", "cycler", "debugpy", "defusedxml", "fastjsonschema", "fonttools", "fqdn", "idna",
    "ipykernel", "ipython", "isoduration", "Jinja2", "joblib", "jsonpointer", "jsonschema",
    "jsonschema-specifications", "jupyter_client", "jupyter_core", "jupyter_server",
    "jupyterlab_pygments", "kiwisolver", "latex2mathml", "MarkupSafe", "matplotlib",
    "matplotlib-inline", "mistune", "msgpack", "narwhals", "nbclient", "nbconvert", "nbformat",
    "nbgrader", "nh3", "notebook", "numpy", "packaging", "pandocfilters", "Pebble", "pillow",
    "platformdirs", "prometheus_client", "psutil", "Pygments", "pyparsing", "python-dateutil",
    "PyYAML", "pyzmq", "RapidFuzz", "referencing", "requests", "rfc3339-validator",
    "rfc3986-validator", "rfc3987-syntax", "rpds-py", "scikit-learn", "scipy", "setuptools",
    "six", "soupsieve", "SQLAlchemy", "threadpoolctl", "tinycss2", "tornado", "traitlets",
    "typing_extensions", "uri-template", "urllib3", "webcolors", "webencodings")


def course_fingerprint(parts=PARTS, root=REPO, packages=PACKAGES):
    """sha256 over the relative path and content of every file of `parts` (folders or files),
    the Python version and the versions of `packages`; 16 hex digits."""
    digest = hashlib.sha256()
    for part in parts:
        files = [part] if part.is_file() else sorted(
            p for p in part.rglob("*")
            if p.is_file() and not SKIPPED & set(p.relative_to(part).parts))
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name, version in versions(packages).items():
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()[:16]


def versions(packages=PACKAGES):
    """{"python": version, package: installed version or "missing"}."""
    found = {"python": f"{platform.python_implementation()} {platform.python_version()}"}
    for name in packages:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found
