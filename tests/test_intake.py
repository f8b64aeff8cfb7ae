"""Taking in submissions: what a folder may hold, and what discovery says about a class folder.

No kernel and no nbgrader run here: these are the checks that happen before grading starts.
"""

import dataclasses
import json
import os
import socket
import stat

import nbformat
import pytest

from autograder.grading.discovery import LAYOUT, discover
from autograder.grading.workdir import job_folder
from autograder.grading.intake import Refused, check_notebook, take_in
from autograder.grading.settings import Settings
from grading import grade_cli

ID = "01_notation"
NOTEBOOK = f"{ID}.ipynb"
LIMITS = Settings().intake()   # what `grade` takes in by default


def notebook_bytes(cells=1):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")
                                         for _ in range(cells)])
    return nbformat.writes(nb).encode()


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "in"
    path.mkdir()
    (path / NOTEBOOK).write_bytes(notebook_bytes())
    return path


def test_regular_files_and_folders_are_copied_byte_for_byte(folder, tmp_path):
    (folder / "data").mkdir()
    (folder / "data" / "w.npy").write_bytes(bytes(range(256)))
    (folder / "helper.py").write_text("def f():\n    return 1\n")
    assert take_in(folder, tmp_path / "out", NOTEBOOK, LIMITS) == []
    assert (tmp_path / "out" / "data" / "w.npy").read_bytes() == bytes(range(256))
    assert (tmp_path / "out" / "helper.py").read_text() == "def f():\n    return 1\n"
    assert (tmp_path / "out" / NOTEBOOK).read_bytes() == (folder / NOTEBOOK).read_bytes()


def test_links_and_special_files_are_refused_never_followed(folder, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    (folder / "sub").mkdir()
    (folder / "link").symlink_to(secret)
    (folder / "sub" / "dir-link").symlink_to(tmp_path)
    os.link(secret, folder / "hard")
    os.mkfifo(folder / "fifo")
    os.mknod(folder / "zero", 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    with socket.socket(socket.AF_UNIX) as unix:
        unix.bind(str(folder / "sock"))
        problems = take_in(folder, tmp_path / "out", NOTEBOOK, LIMITS)
    assert sorted(problems) == [
        "fifo is a FIFO (named pipe); not copied",
        "hard has other hard links (it may be someone else's file); not copied",
        "link is a symbolic link; not copied",
        "sock is a socket; not copied",
        "sub/dir-link is a symbolic link; not copied",
        "zero is a device; not copied"]
    copied = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*"))
    assert copied == [NOTEBOOK, "sub"]


def test_a_refused_name_that_is_not_utf8_is_reported_readably(folder, tmp_path):
    os.symlink(b"/etc/passwd", os.path.join(os.fsencode(folder), b"link\xff"))
    problems = take_in(folder, tmp_path / "out", NOTEBOOK, LIMITS)
    assert problems == ["link\ufffd is a symbolic link; not copied"]
    problems[0].encode("utf-8")  # it can go into problems.csv


@pytest.mark.parametrize("make", ["symlink", "hardlink", "fifo"])
def test_a_notebook_that_is_not_a_plain_file_is_refused(tmp_path, make):
    folder = tmp_path / "in"
    folder.mkdir()
    real = tmp_path / "solutions.ipynb"
    real.write_bytes(notebook_bytes())
    if make == "symlink":
        (folder / NOTEBOOK).symlink_to(real)
    elif make == "hardlink":
        os.link(real, folder / NOTEBOOK)
    else:
        os.mkfifo(folder / NOTEBOOK)
    with pytest.raises(Refused, match=f"^{NOTEBOOK} (is a symbolic link|has other hard links|is a "
                                      f"FIFO)"):
        take_in(folder, tmp_path / "out", NOTEBOOK, LIMITS)


def test_the_submission_folder_itself_may_not_be_a_link(folder, tmp_path):
    (tmp_path / "link").symlink_to(folder)
    with pytest.raises(Refused, match="is a symbolic link"):
        take_in(tmp_path / "link", tmp_path / "out", NOTEBOOK, LIMITS)


def test_other_files_are_capped_in_number_size_and_depth(folder, tmp_path):
    for i in range(5):
        (folder / f"f{i}.txt").write_bytes(b"x" * 10)
    (folder / "big.bin").write_bytes(b"y" * 100)
    deep = folder / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (deep / "deep.txt").write_text("deep")
    limits = dataclasses.replace(LIMITS, other_files=3, other_bytes=50, depth=2)
    problems = take_in(folder, tmp_path / "out", NOTEBOOK, limits)
    assert problems == ["a/b/c/ not copied: folders nested deeper than 2",
                        "big.bin not copied: the other files would pass the 0 MiB limit",
                        "more other files than the limit of 3; f3.txt and the rest not copied"]
    names = sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert names == [NOTEBOOK, "f0.txt", "f1.txt", "f2.txt"]


REFUSED = [  # (notebook bytes, the reason given)
    (b"", "is empty"),
    (b"{not json", "is not a readable notebook (JSONDecodeError"),
    (b"[" * 100_000 + b"]" * 100_000, "is not a readable notebook (RecursionError"),
    (b'{"nbformat": 4, "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "is not a readable notebook (RecursionError"),
    (json.dumps({"nbformat": 3, "worksheets": []}).encode(), "is nbformat 3, not 4"),
    (notebook_bytes(cells=0), "has no cells"),
    (notebook_bytes(cells=30), "has 30 cells, over the limit of 20"),
    (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"cell_type": "code"}]}).encode(), "is not a readable notebook"),
]


# Named by number and reason: the bytes hold random cell ids, and every test worker must collect
# the same names.
@pytest.mark.parametrize("data, reason", [pytest.param(data, reason, id=f"{n}-{reason}")
                                          for n, (data, reason) in enumerate(REFUSED)])
def test_a_notebook_that_cannot_be_graded_is_refused_with_a_reason(data, reason):
    with pytest.raises(Refused) as refusal:
        check_notebook(data, NOTEBOOK, dataclasses.replace(LIMITS, max_cells=20))
    assert str(refusal.value).startswith(f"{NOTEBOOK} {reason}")


def test_an_oversized_notebook_is_refused_before_it_is_read(folder, tmp_path):
    (folder / NOTEBOOK).write_bytes(b" " * (3 * 1024 * 1024))
    with pytest.raises(Refused, match=r"is 3\.0 MiB, over the 2 MiB limit"):
        take_in(folder, tmp_path / "out", NOTEBOOK,
                dataclasses.replace(LIMITS, notebook_bytes=2 * 1024 * 1024))


def make_class(root, layout):
    """Folders and files under root from {relative path: bytes or None (a folder)}."""
    for path, data in layout.items():
        target = root / path
        if data is None:
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return root


def found(submissions):
    return sorted((s.student_id, s.assignment_id, s.folder is not None) for s in submissions)


def test_discovery_says_what_it_found_and_ignored(tmp_path):
    nb = notebook_bytes()
    root = make_class(tmp_path / "class", {
        f"ok/{ID}/{NOTEBOOK}": nb,
        f"a12-br[1]/{ID}/{NOTEBOOK}": nb,                      # a pattern, taken as a name
        f"copy/{ID}/{ID}-Copy1.ipynb": nb,                     # Jupyter's copy, not renamed
        f"deep/{ID}/{ID}/{NOTEBOOK}": nb,                      # one level too deep
        f"flat/{NOTEBOOK}": nb,                                # one level too shallow
        f"{ID}/student/{NOTEBOOK}": nb,                        # assignment and student swapped
        "empty": None,
        "notes.txt": b"a file where a student folder belongs",
        f".git/{ID}/{NOTEBOOK}": nb,                           # hidden: skipped silently
        f"unknown/99_extra/{NOTEBOOK}": nb,
    })
    (root / "linked").mkdir()
    (root / "linked" / ID).symlink_to(root / "ok" / ID)
    (root / "link-student").symlink_to(root / "ok")
    os.mkdir(os.path.join(os.fsencode(root), b"bad\xffname"))
    submissions, problems = discover(root)
    assert found(submissions) == [("a12-br[1]", ID, True), ("copy", ID, False),
                                  ("deep", ID, False), ("linked", ID, False), ("ok", ID, True)]
    lines = {(p["student_id"], p["problem"]) for p in problems}
    expected = [
        ("copy", f"no {NOTEBOOK} in the submission (found {ID}-Copy1.ipynb: only {NOTEBOOK} is "
                 f"graded, so rename it); scored 0"),
        ("copy", f"extra notebook {ID}-Copy1.ipynb ignored; only {NOTEBOOK} is graded"),
        ("deep", f"no {NOTEBOOK} in the submission (found {ID}/{NOTEBOOK}, one level too deep; "
                 f"{LAYOUT}); scored 0"),
        ("flat", f"{NOTEBOOK} lies directly in the student folder; not graded ({LAYOUT})"),
        (ID, f"'{ID}' is an assignment id where a student id belongs: the folders look turned "
             f"around; not graded ({LAYOUT})"),
        ("empty", "the student folder 'empty' is empty; nothing graded"),
        ("notes.txt", f"'notes.txt' is a file where a student folder belongs; ignored ({LAYOUT})"),
        ("unknown", "unknown assignment '99_extra' (known: 01_notation, 02_forward_propagation, "
                    "03_logistic_regression, 04_chain_rule, 05_deep_backprop, 06_training); "
                    "not graded"),
        ("linked", f"the folder {ID}/ is a symbolic link; scored 0"),
        ("link-student", "the student folder 'link-student' is a symbolic link; not graded"),
        ("bad\ufffdname", "student folder 'bad\ufffdname' is not valid UTF-8; not graded"),
    ]
    for line in expected:
        assert line in lines, line
    assert len(lines) == len(expected)


def test_job_folders_hold_no_pattern_and_stay_unique(tmp_path):
    plain = job_folder(tmp_path, "a12", ID)
    assert plain == tmp_path / "jobs" / "a12" / ID
    names = {job_folder(tmp_path, s, ID).parent.name for s in ("a[1]", "a_1_", "a?1?", "a*1*")}
    assert len(names) == 4
    assert not any(set(name) & set("[]*?") for name in names)


def test_a_class_folder_with_nothing_to_grade_is_an_error_that_shows_the_layout(tmp_path):
    root = make_class(tmp_path / "class", {f"{ID}/a12/{NOTEBOOK}": notebook_bytes()})
    run = grade_cli(root, tmp_path / "work", workers=1)
    assert run.returncode == 2
    assert "no submission found" in run.stderr and "turned around" in run.stderr
    assert "SUBMISSIONS/<student_id>/<assignment_id>/<assignment_id>.ipynb" in run.stderr
    assert not (tmp_path / "work" / "grades.csv").exists()
