"""Submissions that attack their scratch space's clean-up and the host's disk, graded through the
CLI in a class with honest work (tests/submissions/scratch_faults.py); then a rerun, a grader
killed mid-run, and a stale spool full of what a kernel could once leave there.

What must hold: the honest submissions get their exact scores; every output file is written; no
kernel can write on the host's disk; nothing a kernel wrote is left on the host; problem lines
name their cause; a rerun after anything (a failure, a kill) grades exactly what has no result.
"""

import os
import re
import shutil
import pathlib
import signal
import socket
import subprocess
import tempfile
import time

import nbformat
import pytest

from autograder.course import REPO
from autograder.grading.workdir import job_folder
from autograder.grading.job import SCRATCH_STUDENT
from autograder.grading.settings import Settings
from autograder.sandbox.cleanup import remove_tree
from grading import grade_cli, hand_in, read_csv
from submissions.hostile import ID
from submissions.s01_notation import submissions
from submissions.scratch_faults import DEPTH, LONG_NAME_LEVELS, scratch_faults
from test_interrupt import assert_nothing_left, command, done, run_identity

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_scratch_faults")]

OUTPUTS = ("grades.csv", "cells.csv", "problems.csv", "report.html")
SCRATCH_FILES = Settings().limits().scratch_files
OPTIONS = ("--cell-timeout", "30", "--job-timeout", "150", "--memory-mib", "1024")


def honest():
    """complete (10) and partial (4) of 01_notation: their exact scores are known."""
    return [s for s in submissions() if s.student in ("complete", "partial")]


def outputs_of(workdir, student):
    path = (job_folder(workdir, student, ID) / "course" / "autograded" / SCRATCH_STUDENT / ID
            / f"{ID}.ipynb")
    text = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            text.append(output.get("text", "") or str(output.get("data", {}).get("text/plain", "")))
            text.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
    return "\n".join(text)


def files_of(uids, roots):
    """Paths under `roots` (not following links) owned by one of `uids`."""
    found = []
    for root in roots:
        for folder, subfolders, names in os.walk(root):
            for name in subfolders + names:
                path = os.path.join(folder, name)
                try:
                    if os.lstat(path).st_uid in uids:
                        found.append(path)
                except OSError:
                    pass
    return found


def spools_on_host(folder="/tmp"):
    return [str(p) for p in pathlib.Path(folder).glob("autograder-*")]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("scratch-faults")
    folder, workdir = root / "submissions", root / "work"
    expected = hand_in(folder, ID, honest())
    corpus = scratch_faults()
    for fixture in corpus:
        hand_in(folder, ID, [type("Fixture", (), {"student": fixture.student,
                                                   "notebook": fixture.content,
                                                   "scores": {"all": fixture.score}})])
        expected[fixture.student] = fixture.score
    # The run's own temporary folder (short: kernel sockets live in the spools), so that the spools
    # of other grading runs on this machine, such as other tests' at the same time, are not taken
    # for this run's.
    host_tmp = pathlib.Path(tempfile.mkdtemp(prefix="sf-", dir="/tmp"))
    started = time.monotonic()
    run = grade_cli(folder, workdir, *OPTIONS, env={"TMPDIR": str(host_tmp)})
    seconds = time.monotonic() - started
    spools, uids = run_identity(workdir)
    yield {"run": run, "workdir": workdir, "folder": folder, "expected": expected,
           "corpus": corpus, "spools": spools, "uids": uids, "seconds": seconds,
           "host_tmp": host_tmp, "new_spools": set(spools_on_host(host_tmp))}
    shutil.rmtree(host_tmp, ignore_errors=True)


def test_the_class_is_graded_and_every_output_written(graded):
    run = graded["run"]
    assert run.returncode == 0, run.stderr[-3000:]
    for name in OUTPUTS:
        assert (graded["workdir"] / name).is_file(), name
    assert run.stdout.strip().splitlines()[-1].startswith("wrote grades.csv")


def test_every_submission_gets_its_exact_score(graded):
    rows = read_csv(graded["workdir"] / "grades.csv")
    assert {r["student_id"]: float(r["score"]) for r in rows} == graded["expected"]
    assert {r["status"] for r in rows} == {"graded"}


def test_problem_lines_name_their_cause(graded):
    lines = {}
    for row in read_csv(graded["workdir"] / "problems.csv"):
        lines.setdefault(row["student_id"], []).append(row["problem"])
    for fixture in graded["corpus"]:
        if fixture.problem is None:
            assert fixture.student not in lines, lines.get(fixture.student)
        else:
            assert any(fixture.problem in line for line in lines[fixture.student]), lines
    assert lines["partial"] == [] if "partial" in lines else True
    assert not any("nbgrader could not grade it" in line for found in lines.values()
                   for line in found)
    assert set(lines) == {"many-small-files", "exact-size-file"}, lines


def test_no_kernel_could_write_on_the_hosts_disk(graded):
    for fixture in graded["corpus"]:
        text = outputs_of(graded["workdir"], fixture.student)
        assert "host blocked" in text, (fixture.student, text)
        assert "files owner 0 mode 0o755" in text  # root's, were the spool mounted writable
        assert "HOST WRITABLE" not in text
    assert f"levels made {DEPTH}" in outputs_of(graded["workdir"], "deep-tree")
    assert f"long levels made {LONG_NAME_LEVELS}" in outputs_of(graded["workdir"], "long-names")
    assert "locked 0o0" in outputs_of(graded["workdir"], "locked-folder")
    assert "'held.txt', 'pipe', 'sock']" in outputs_of(graded["workdir"], "fifo-and-socket")
    exact = outputs_of(graded["workdir"], "exact-size-file")
    assert "exact file MiB 64.0 of 64.0" in exact and "one byte more fitted" not in exact
    many = outputs_of(graded["workdir"], "many-small-files")
    made = int(re.search(r"files made (\d+)", many).group(1))
    assert made < SCRATCH_FILES and "No space left on device" in many, many


def test_nothing_a_kernel_wrote_is_left_on_the_host(graded):
    assert graded["spools"] and graded["uids"]
    for spool in graded["spools"]:
        assert not os.path.lexists(spool), spool
    assert graded["new_spools"] <= set(graded["spools"])
    assert all(pathlib.Path(spool).parent == graded["host_tmp"] for spool in graded["spools"])
    assert files_of(graded["uids"], [graded["workdir"], graded["host_tmp"], *spools_on_host()]) == []


def test_a_rerun_with_a_late_submission_grades_only_that(graded):
    complete = next(s for s in honest() if s.student == "complete")
    late = graded["folder"] / "late" / ID
    late.mkdir(parents=True)
    nbformat.write(complete.notebook, late / f"{ID}.ipynb")
    run = grade_cli(graded["folder"], graded["workdir"], *OPTIONS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "graded 1 submission" in run.stdout, run.stdout
    rows = read_csv(graded["workdir"] / "grades.csv")
    assert {r["student_id"]: float(r["score"]) for r in rows} == dict(graded["expected"], late=10)


def plant_stale_spool(spool):
    """What a kernel could once leave in a spool: a deep tree, many files, a folder with no
    permissions, a FIFO, a socket, a file held open, 255-character names."""
    spool = pathlib.Path(spool)
    job = spool / "job-1" / "files"
    job.mkdir(parents=True, exist_ok=True)
    fd = os.open(job, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(DEPTH):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    fd = os.open(job, os.O_RDONLY | os.O_DIRECTORY)
    for level in range(LONG_NAME_LEVELS):
        os.mkdir("n" * 255, dir_fd=fd)
        inner = os.open("n" * 255, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    for number in range(10_000):
        (job / f"f{number}").write_bytes(b"x")
    (job / "locked" / "inner").mkdir(parents=True)
    (job / "locked" / "inner" / "kept").write_text("kept")
    os.chmod(job / "locked" / "inner", 0)
    os.chmod(job / "locked", 0)
    os.mkfifo(job / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(spool / "job-1" / "sock"))
    held = open(job / "held.txt", "w")
    return server, held


def test_a_grader_killed_mid_run_and_a_stale_spool_do_not_stop_the_rerun(tmp_path):
    folder, workdir = tmp_path / "submissions", tmp_path / "work"
    class_ = honest() + [f for f in submissions() if f.student == "empty"]
    expected = hand_in(folder, ID, class_)
    fixture = next(f for f in scratch_faults() if f.student == "deep-tree")
    hand_in(folder, ID, [type("Fixture", (), {"student": fixture.student,
                                               "notebook": fixture.content,
                                               "scores": {"all": fixture.score}})])
    expected[fixture.student] = fixture.score
    with open(tmp_path / "first.log", "w") as log:
        process = subprocess.Popen(command(folder, workdir), cwd=REPO, stdout=log, stderr=log,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while not done(workdir) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)  # the grader alone: its workers notice and end
        process.wait()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert_nothing_left(workdir, {})
    finished = done(workdir)
    assert len(finished) < len(expected), "the run finished before it could be stopped"
    spools, uids = run_identity(workdir)
    assert len(spools) == 2
    stale, stuck = sorted(spools)
    server, held = plant_stale_spool(stale)
    mounted = pathlib.Path(stuck, "job-1", "mounted")  # what no clean-up may enter or remove
    mounted.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mounted)], check=True)
    try:
        run = subprocess.run(command(folder, workdir), cwd=REPO, capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=600)
    finally:
        server.close()
        held.close()
        for line in pathlib.Path("/proc/self/mounts").read_text().splitlines():
            if line.split()[1].startswith(f"{stuck}/"):
                subprocess.run(["umount", "-l", line.split()[1]], check=True)
        left_over = remove_tree(stuck)
    # Everything graded and written; the spool it could not remove is named, with exit 1.
    assert run.returncode == 1, run.stderr[-3000:]
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("error: every submission was graded, but the grader itself had 1 "
                           "problem(s)"), last
    assert f"{stuck} could not be removed entirely: a file system is mounted there" in last
    assert "remove it by hand" in last
    assert left_over is None
    rows = read_csv(workdir / "problems.csv")
    assert [r["problem"] for r in rows if r["student_id"] == ""] == [last.split("the first: ")[1]]
    assert done(workdir) == set(expected)
    rows = read_csv(workdir / "grades.csv")
    assert {r["student_id"]: float(r["score"]) for r in rows} == expected
    for name in OUTPUTS:
        assert (workdir / name).is_file(), name
    for spool in run_identity(workdir)[0] | {stale}:
        assert not os.path.lexists(spool), spool
    assert files_of(uids, [workdir]) == []


def test_remove_tree_takes_anything_and_never_raises(tmp_path):
    spool = tmp_path / "spool"
    server, held = plant_stale_spool(spool)
    try:
        started = time.monotonic()
        problem = remove_tree(spool)
        seconds = time.monotonic() - started
    finally:
        server.close()
        held.close()
    assert problem is None, problem
    assert not spool.exists()
    print(f"removed a {DEPTH}-deep tree and 10 000 files in {seconds:.2f} s")
    assert remove_tree(tmp_path / "never-made") is None
