"""The local engine's time limit: a job past --job-timeout is stopped with its kernels and scored
0 with a line in problems.csv; the worker is replaced and grades the submissions after it."""

import copy
import json
import os

import nbformat
import pytest

from grading import grade_cli, hand_in, read_csv
from submissions.s01_notation import submissions

pytestmark = pytest.mark.slow

ID = "01_notation"
JOB_TIMEOUT = 40   # far above a job's time on a loaded machine; the sleeper never ends by itself


def kernel_processes(uids):
    found = []
    for entry in os.listdir("/proc"):
        try:
            status = open(f"/proc/{entry}/status").read() if entry.isdigit() else ""
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and int(line.split()[2]) in uids:
                found.append(int(entry))
    return found


def test_a_job_past_its_time_limit_is_stopped_and_the_rest_graded(tmp_path):
    complete = next(s for s in submissions() if s.student == "complete")
    folder = tmp_path / "submissions"
    expected = hand_in(folder, ID, [complete])
    sleeper = copy.deepcopy(complete.notebook)
    sleeper.cells.insert(1, nbformat.v4.new_code_cell("import time\ntime.sleep(100000)"))
    (folder / "sleeper" / ID).mkdir(parents=True)
    nbformat.write(sleeper, folder / "sleeper" / ID / f"{ID}.ipynb")
    after = folder / "z-after" / ID
    after.mkdir(parents=True)
    nbformat.write(complete.notebook, after / f"{ID}.ipynb")
    expected.update({"sleeper": 0, "z-after": 10})

    run = grade_cli(folder, tmp_path / "work", "--cell-timeout", str(3 * JOB_TIMEOUT),
                    "--job-timeout", str(JOB_TIMEOUT), workers=1)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = read_csv(tmp_path / "work" / "grades.csv")
    assert {r["student_id"]: float(r["score"]) for r in rows} == expected
    problems = {(r["student_id"], r["problem"]) for r in read_csv(tmp_path / "work" /
                                                                  "problems.csv")}
    assert problems == {("sleeper", f"grading took longer than {JOB_TIMEOUT} s and was stopped; "
                                    f"scored 0")}
    uids = {json.loads(p.read_text())["uid"]
            for p in (tmp_path / "work" / "workers").glob("*/settings.json")}
    assert len(uids) == 1  # the replacement worker took the stopped one's slot
    assert kernel_processes(uids) == []
