"""What travels between the class grader and a Dask worker: a submission's files with its task,
taken in on the grader as a job takes them in; the Result back as plain JSON text."""

import dataclasses
import os
import pickle

import nbformat
import pytest

from autograder.grading.engines.dask import pack_submission, unpack_submission
from autograder.grading.intake import Refused
from autograder.grading.job import GradingJob, Result
from autograder.grading.settings import Settings

ID = "01_notation"


def job_for(folder, **settings):
    return GradingJob("s", ID, str(folder), "unused.db", "unused", Settings(**settings))


def test_a_submission_travels_as_its_files_and_no_link_is_followed(tmp_path):
    folder = tmp_path / "s" / ID
    (folder / "data").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]),
                   folder / f"{ID}.ipynb")
    (folder / "data" / "x.txt").write_bytes(b"\x00\x01")
    os.symlink("/etc/passwd", folder / "passwd")
    files, problems = pack_submission(job_for(folder))
    assert set(files) == {f"{ID}.ipynb", "data/x.txt"}
    assert files["data/x.txt"] == b"\x00\x01"
    assert any("passwd" in p for p in problems)  # named, never read
    unpack_submission(files, tmp_path / "there")
    assert (tmp_path / "there" / "data" / "x.txt").read_bytes() == b"\x00\x01"


def test_the_notebook_sent_is_bounded_by_max_mib(tmp_path):
    folder = tmp_path / "s" / ID
    folder.mkdir(parents=True)
    (folder / f"{ID}.ipynb").write_bytes(b" " * (2 * 1024 * 1024))
    with pytest.raises(Refused, match="over the 1 MiB limit"):
        pack_submission(job_for(folder, max_mib=1))


def test_files_that_would_leave_the_folder_are_not_written(tmp_path):
    for name in ("../escape", "/tmp/escape", "a/../../escape"):
        with pytest.raises(ValueError):
            unpack_submission({name: b"x"}, tmp_path / name.replace("/", "_"))
    assert not (tmp_path / "escape").exists()


def test_a_result_comes_back_as_plain_data_and_only_a_result_is_taken():
    result = Result("graded", {"c": {"score": 1.0, "max_score": 2.0}}, ["a problem"],
                    feedback_html="<p>page</p>", seconds=1.5, exchange_files={"t": "x"})
    text = result.to_plain()
    assert isinstance(text, str)
    assert Result.from_plain(text) == result
    for wrong in ['{"status": "graded"}', "[]", text.replace('"seconds": 1.5', '"seconds": "1"'),
                  text.replace('"status"', '"statut"')]:
        with pytest.raises(ValueError):
            Result.from_plain(wrong)
    with pytest.raises(ValueError):  # never unpickled
        Result.from_plain(pickle.dumps(result).decode("latin-1"))
    assert dataclasses.asdict(Result.from_plain(text)) == dataclasses.asdict(result)
