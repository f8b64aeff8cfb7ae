"""`python -m autograder grade` stopped halfway (Ctrl-C, or SIGKILL of its process group), rerun.

Nothing of the stopped run may be left running (grader, workers, bwrap, fork servers, kernels), and
the rerun grades exactly what had no result yet, so that every student ends up with the exact
score once: nothing lost, nothing counted twice.

Processes of a run are told apart by what the run wrote in its work directory: the work
directory is in the command line of the grader and its workers; each worker's settings
(workers/<slot>/settings.json) name its sandbox spool, which is in the command line of its bwrap
and in the mount table of everything inside the sandbox (the fork server, its waiters and the
kernels), and the uid its kernels run as. Processes running as one of those uids are checked as
well, unless their mount table shows the spool of another run.
"""

import csv
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

from autograder.course import REPO
from grading import hand_in
from submissions.s01_notation import submissions

pytestmark = pytest.mark.slow

ID = "01_notation"
COPIES = 2                   # each fixture under this many student ids: four jobs on two
                             # workers, so one still waits when the first result is written
FIRST_RESULT_SECONDS = 120   # the first result file must appear within this
STOP_SECONDS = 120           # the interrupted grader must exit within this
GONE_SECONDS = 10            # every process of the run must be gone within this after it exits
SPOOL = re.compile(r"/autograder-\d+-[^/\s]+")  # a sandbox spool (engines/worker.py: tempfile.mkdtemp)


@pytest.fixture(scope="module")
def fixtures():
    """Full and partial work of 01: two different scores, so a result recorded under the wrong
    student, twice or not at all changes a total."""
    kept = [s for s in submissions() if s.student in ("complete", "partial")]
    assert sorted(sum(s.scores.values()) for s in kept) == [4, 10]
    return kept


def build_class(root, fixtures):
    """Write the class under root/submissions; return (folder, {student: exact score})."""
    folder = root / "submissions"
    expected = {}
    for copy in range(1, COPIES + 1):
        expected.update(hand_in(folder, ID, fixtures, suffix=f"-{copy}"))
    return folder, expected


def command(folder, workdir):
    return [sys.executable, "-m", "autograder", "grade", str(folder), "--workdir", str(workdir),
            "--workers", "2"]


def start(folder, workdir, logs):
    """Start the grader in a session of its own; its output goes to files (nobody reads a pipe).

    SIGINT is reset to its default, as for a command typed at a terminal: a test run started in
    the background of a non-interactive shell inherits it ignored, and the grader keeps it so.
    """
    with open(logs / "first.stdout", "w") as stdout, open(logs / "first.stderr", "w") as stderr:
        return subprocess.Popen(command(folder, workdir), cwd=REPO, stdout=stdout, stderr=stderr,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def rerun(folder, workdir):
    return subprocess.run(command(folder, workdir), cwd=REPO, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600, check=False)


def done(workdir):
    """Students with a result file."""
    return {p.parent.name for p in (workdir / "results").glob(f"*/{ID}.json")}


def wait_for_first_result(process, workdir, logs):
    """Wait for the first result file; return the run's processes seen meanwhile."""
    seen, polls = {}, 0
    deadline = time.monotonic() + FIRST_RESULT_SECONDS
    while not done(workdir):
        if process.poll() is not None:
            pytest.fail(f"the grader exited ({process.returncode}) before any result was written:\n"
                        f"{(logs / 'first.stderr').read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no result file under {workdir / 'results'} after "
                        f"{FIRST_RESULT_SECONDS} s:\n{(logs / 'first.stdout').read_text()}\n"
                        f"{(logs / 'first.stderr').read_text()[-3000:]}")
        if polls % 5 == 0:  # reading every mount table costs CPU the grader needs
            seen.update(run_processes(workdir))
        polls += 1
        time.sleep(0.1)
    return seen


def _read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def processes():
    """(pid, start time, uid, command line, mount table) of every live process but this one."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        proc = pathlib.Path("/proc", entry)
        try:
            stat = _read(proc / "stat").rsplit(")", 1)[1].split()
            status = _read(proc / "status")
            cmdline = _read(proc / "cmdline", "rb").replace(b"\0", b" ").decode(errors="replace")
            mounts = _read(proc / "mountinfo")
        except OSError:  # gone meanwhile
            continue
        if stat[0] in "ZX":
            continue
        uid = int(re.search(r"^Uid:\s+\d+\s+(\d+)", status, re.MULTILINE).group(1))
        yield int(entry), stat[19], uid, cmdline.strip(), mounts


def run_identity(workdir):
    """(spool paths, kernel uids) of the run in workdir, from its workers' settings files."""
    spools, uids = set(), set()
    for path in (workdir / "workers").glob("*/settings.json"):
        try:
            settings = json.loads(path.read_text())
        except (OSError, ValueError):  # being written
            continue
        spools.add(settings["spool"])
        uids.add(settings["uid"])
    return spools, uids


def run_processes(workdir, uids=(), spools=()):
    """{(pid, start time): (uid, command line)} of the processes of the run in workdir.

    Those that name workdir or one of the run's spools in their command line or mount table, and
    those running as one of the run's kernel uids unless their mount table shows another spool.
    """
    known_spools, known_uids = run_identity(workdir)
    spools, uids = set(spools) | known_spools, set(uids) | known_uids
    names = [str(workdir)] + sorted(spools)
    mention = re.compile("(" + "|".join(re.escape(n) for n in names) + r")(?=[/\s]|$)")
    found = {}
    for pid, started, uid, cmdline, mounts in processes():
        ours = bool(mention.search(cmdline) or mention.search(mounts))
        if not ours and uid in uids:
            ours = not SPOOL.search(mounts)
        if ours:
            found[(pid, started)] = (uid, cmdline)
    return found


def alive(identities):
    """The (pid, start time) pairs of `identities` that still name a live process."""
    left = set()
    for pid, started in identities:
        try:
            stat = _read(f"/proc/{pid}/stat").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat[19] == started and stat[0] not in "ZX":
            left.add((pid, started))
    return left


def assert_nothing_left(workdir, seen):
    """Within GONE_SECONDS: no process of the run, nor one running as a uid its kernels had.

    `seen`: the run's processes seen while it ran; their non-root uids and the uids in the
    workers' settings are the kernels', which are checked besides.
    """
    spools, uids = run_identity(workdir)
    assert uids and spools, f"no worker settings under {workdir / 'workers'}"
    uids |= {uid for uid, _ in seen.values() if uid != 0}
    deadline = time.monotonic() + GONE_SECONDS
    while True:
        left = run_processes(workdir, uids, spools)
        survivors = alive(seen) - set(left)
        if not left and not survivors:
            return
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    lines = [f"  pid {pid} uid {uid}: {cmd[:300]}" for (pid, _), (uid, cmd) in sorted(left.items())]
    lines += [f"  pid {pid} uid {seen[key][0]} (seen during the run): {seen[key][1][:300]}"
              for key in sorted(survivors) for pid in key[:1]]
    for pid, _ in set(left) | survivors:  # leave nothing of this run behind for later tests
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    pytest.fail(f"{len(lines)} process(es) of the stopped run still running {GONE_SECONDS} s "
                f"after it ended (kernel uids {sorted(uids)}):\n" + "\n".join(lines))


def graded_count(stdout):
    counts = re.findall(r"graded (\d+) submissions?\b", stdout)
    assert len(counts) == 1, stdout
    return int(counts[0])


def assert_exact_scores(workdir, expected):
    with open(workdir / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    students = [r["student_id"] for r in rows]
    assert sorted(students) == sorted(set(students)), f"a student twice in grades.csv: {students}"
    assert {r["student_id"]: float(r["score"]) for r in rows} == expected
    assert {r["status"] for r in rows} == {"graded"}

    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gradebook:
        recorded = [(s.student.id, s.score) for s in gradebook.assignment_submissions(ID)]
        students = [s.id for s in gradebook.students]
    assert sorted(s for s, _ in recorded) == sorted(expected), "a submission missing or twice"
    assert dict(recorded) == expected
    assert sorted(students) == sorted(expected), "a student missing or twice in the gradebook"


def stop_and_rerun(tmp_path_factory, fixtures, name, stop, status):
    """Start; once one result exists, `stop(process)`; check its exit `status`, that nothing of it
    is left and that the rerun grades exactly the rest. Return (students done before the rerun,
    workdir, {student: expected score}).
    """
    root = tmp_path_factory.mktemp(name)
    folder, expected = build_class(root, fixtures)
    workdir = root / "work"
    process = start(folder, workdir, root)
    try:
        seen = wait_for_first_result(process, workdir, root)
        seen.update(run_processes(workdir))
        stop(process)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the grader did not exit within {STOP_SECONDS} s of being stopped")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == status, (root / "first.stderr").read_text()[-3000:]
    assert_nothing_left(workdir, seen)

    finished = done(workdir)
    assert finished <= set(expected)
    assert len(finished) < len(expected), "the run finished before it could be stopped"
    second = rerun(folder, workdir)
    assert second.returncode == 0, second.stderr[-3000:]
    assert graded_count(second.stdout) == len(expected) - len(finished), second.stdout
    assert done(workdir) == set(expected)
    assert_nothing_left(workdir, {})
    return finished, workdir, expected


def test_ctrl_c_stops_everything_and_the_rerun_grades_the_rest(tmp_path_factory, fixtures):
    finished, workdir, expected = stop_and_rerun(
        tmp_path_factory, fixtures, "sigint", lambda p: os.kill(p.pid, signal.SIGINT), 130)
    assert "interrupted: finished submissions are recorded" in (
        workdir.parent / "first.stderr").read_text()
    assert finished
    assert_exact_scores(workdir, expected)


def test_sigkill_of_the_process_group_leaves_nothing_and_loses_nothing(tmp_path_factory, fixtures):
    finished, workdir, expected = stop_and_rerun(
        tmp_path_factory, fixtures, "sigkill", lambda p: os.killpg(p.pid, signal.SIGKILL),
        -signal.SIGKILL)
    assert finished
    assert_exact_scores(workdir, expected)
