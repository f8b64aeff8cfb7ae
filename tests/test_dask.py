"""`grade --scheduler` on a real Dask cluster: a scheduler and two workers started as separate
processes with the `dask scheduler` and `dask worker` commands that docs/grading.md gives, over TLS
with the course's certificates, as deployed (conftest.tls_cluster, shared with test_dask_tls.py).

The same class graded locally and on Dask gives the same scores, cells, problems and feedback; a
worker killed in the middle of a run costs no submission and records none twice; a worker that
cannot run the sandbox refuses with its reason on the instructor's terminal; a submission that
kills every worker that runs it is given up after the scheduler's allowed failures.
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import distributed
import pytest
from nbgrader.api import Gradebook

from autograder.course import REPO
from autograder.grading.engines.dask import LOST
from dask_cluster import Cluster
from grading import grade_cli, hand_in, read_csv
from submissions.s01_notation import submissions

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dask")]

ID = "01_notation"
@pytest.fixture(scope="session")
def cluster(tls_cluster):
    return tls_cluster


def tls_env(cluster):
    """The grader's environment on the cluster: Dask's configuration from `cluster-certs`."""
    return {**os.environ, "DASK_CONFIG": str(cluster.certificates)}


def kept():
    """Full and partial work of 01 (10 and 4 points): what Dask changes is where a job runs, not
    how a notebook is scored (every fixture's score: test_grade.py and test_autograde.py)."""
    fixtures = [s for s in submissions() if s.student in ("complete", "partial")]
    assert sorted(sum(s.scores.values()) for s in fixtures) == [4, 10]
    return fixtures


@pytest.fixture(scope="session")
def mixed_class(tmp_path_factory):
    """Full and partial work of 01, a truncated notebook (a job that ends in a problem) and a
    missing one (no job): three jobs, more than the cluster's two single-threaded workers hold."""
    folder = tmp_path_factory.mktemp("mixed") / "submissions"
    expected = hand_in(folder, ID, kept())
    (folder / "truncated" / ID).mkdir(parents=True)
    (folder / "truncated" / ID / f"{ID}.ipynb").write_bytes(b'{"cells": [')
    (folder / "nobook" / ID).mkdir(parents=True)
    expected.update(truncated=0, nobook=0)
    return folder, expected


@pytest.fixture(scope="session")
def both_runs(mixed_class, cluster, tmp_path_factory):
    folder, expected = mixed_class
    root = tmp_path_factory.mktemp("runs")
    local = grade_cli(folder, root / "local")
    remote = grade_cli(folder, root / "dask", "--scheduler", cluster.address,
                       env=tls_env(cluster))
    assert local.returncode == 0, local.stderr[-3000:]
    assert remote.returncode == 0, remote.stderr[-3000:]
    return root / "local", root / "dask", expected, remote


def test_dask_gives_the_exact_scores(both_runs, cluster):
    _, remote, expected, run = both_runs
    assert cluster.address.startswith("tls://127.0.0.1:")
    # the workers were started with the documented command alone: nanny, no daemon setting
    assert not any(name.startswith("DASK_") for name in cluster.env)
    assert f"graded {len(expected) - 1} submissions" in run.stdout  # nobook is not a job
    assert {r["student_id"]: float(r["score"]) for r in read_csv(remote / "grades.csv")} \
        == expected


def test_dask_and_local_write_the_same_outputs(both_runs):
    local, remote, _, _ = both_runs
    for name in ("grades.csv", "cells.csv", "problems.csv"):
        assert read_csv(remote / name) == read_csv(local / name), name
    pages = sorted(p.relative_to(local) for p in (local / "feedback").rglob("*.html"))
    assert len(pages) == len(kept())
    for page in pages:
        assert same_page(remote / page) == same_page(local / page), page


def same_page(path):
    """A feedback page but for what differs between two gradings of one notebook anywhere: the
    random id nbgrader gives a restored cell, and where a kernel's stream output was cut into
    messages (which depends on the machine's load: "passed." then "\\n", or "passed.\\n", each
    in an output block of its own), and the order of a cell's stdout and stderr."""
    text = re.sub(r"cell-id=[0-9a-f-]+", "cell-id=", path.read_text())
    # One stream can arrive in several messages, each its own output block, and a cell's stdout
    # and its warnings (stderr, kept as text) in either order: compare the characters the page
    # shows, without the markup that wraps each block, as a multiset. Any changed score, message
    # or cell still changes it.
    return sorted(re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text)))


def test_a_killed_worker_costs_no_submission(mixed_class, cluster, tmp_path):
    folder, expected = mixed_class
    workdir = tmp_path / "work"
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--workdir",
               str(workdir), "--scheduler", cluster.address]
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        grader = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err,
                                  stdin=subprocess.DEVNULL, env=tls_env(cluster))
    try:
        # as soon as one submission is recorded, the others are queued or running: kill a worker
        deadline = time.monotonic() + 300
        while not [p for p in (workdir / "results").glob("*/*.json") if "nobook" not in str(p)]:
            assert grader.poll() is None, (tmp_path / "err").read_text()[-3000:]
            assert time.monotonic() < deadline, "no result in 300 s"
            time.sleep(0.2)
        address, pid = sorted(cluster.worker_pids().items())[0]
        os.kill(pid, signal.SIGKILL)  # its nanny starts a new worker, as on a cluster
        assert grader.wait(timeout=600) == 0, (tmp_path / "err").read_text()[-3000:]
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
    rows = read_csv(workdir / "grades.csv")
    assert sorted(r["student_id"] for r in rows) == sorted(expected), "a student missing or twice"
    assert {r["student_id"]: float(r["score"]) for r in rows} == expected
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gradebook:
        recorded = [(s.student.id, s.score) for s in gradebook.assignment_submissions(ID)]
    assert sorted(s for s, _ in recorded) == sorted(expected)
    assert dict(recorded) == expected
    assert not any("died" in r["problem"] for r in read_csv(workdir / "problems.csv"))
    cluster.wait_for(2)  # the nanny's new worker has joined again


def test_a_submission_that_kills_every_worker_is_reported_and_the_rest_graded(
        mixed_class, cluster, tmp_path):
    """A worker running the submission "crasher" is killed, every time: after the scheduler's
    allowed failures (1 here) its task is given up, reported in problems.csv, and the run ends
    with every other submission graded once."""
    folder, expected = mixed_class
    shutil.copytree(folder, tmp_path / "submissions")
    folder = tmp_path / "submissions"
    complete = folder / "complete" / ID / f"{ID}.ipynb"
    (folder / "crasher" / ID).mkdir(parents=True)
    shutil.copy(complete, folder / "crasher" / ID / f"{ID}.ipynb")
    expected = dict(expected, crasher=0)
    crasher = f"grade-{hashlib.sha256(b'crasher').hexdigest()[:12]}-"  # engines/dask.py's key
    before = cluster.tune_scheduler(allowed_failures=1, worker_saturation=1.0)  # a task a thread
    workdir = tmp_path / "work"
    kills = []
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        grader = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(folder),
                                   "--workdir", str(workdir), "--scheduler", cluster.address],
                                  cwd=REPO, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                  env=tls_env(cluster))
    try:
        with distributed.Client(cluster.address, timeout="120s",
                                security=cluster.security) as client:
            deadline = time.monotonic() + 600
            while grader.poll() is None:
                assert time.monotonic() < deadline, "the run did not end in 600 s"
                for address, keys in client.processing().items():
                    if any(str(key).startswith(crasher) for key in keys):
                        pid = client.run(os.getpid, workers=[address])[address]
                        os.kill(pid, signal.SIGKILL)  # "crasher" killed it
                        kills.append(address)
                        while address in client.scheduler_info()["workers"]:
                            time.sleep(0.1)
                time.sleep(0.1)
    finally:
        if grader.poll() is None:
            grader.kill()
        grader.wait()
        cluster.tune_scheduler(*before)
    assert grader.returncode == 0, (tmp_path / "err").read_text()[-3000:]
    assert len(kills) == 2, kills  # tried on two workers, then given up: not retried forever
    rows = read_csv(workdir / "grades.csv")
    assert sorted(r["student_id"] for r in rows) == sorted(expected), "a student missing or twice"
    assert {r["student_id"]: float(r["score"]) for r in rows} == expected
    problems = {(r["student_id"], r["problem"]) for r in read_csv(workdir / "problems.csv")}
    assert ("crasher", LOST) in problems
    assert [s for s, p in problems if p == LOST] == ["crasher"]
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gradebook:
        recorded = [s.student.id for s in gradebook.assignment_submissions(ID)]
    assert sorted(recorded) == sorted(expected)
    cluster.wait_for(2)


def test_a_worker_without_the_sandbox_refuses(mixed_class, tmp_path):
    folder, _ = mixed_class
    broken = Cluster(tmp_path / "cluster", workers=1, env={"AUTOGRADER_BWRAP": "/bin/false"})
    try:
        run = grade_cli(folder, tmp_path / "work", "--scheduler", broken.address)
    finally:
        broken.stop()
    assert run.returncode == 2
    assert "the sandbox could not start, so nothing was graded: Dask worker tcp://" in run.stderr
    assert "the sandbox did not start" in run.stderr
    # nothing graded: the one result is the submission without a notebook, recorded without a job
    # before the engine's first task (the outputs are written whatever stops a run)
    results = sorted((tmp_path / "work" / "results").glob("*/*.json"))
    assert [p.parent.name for p in results] == ["nobook"]
