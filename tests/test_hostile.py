"""Hostile and broken submissions graded through `python -m autograder grade`, in the sandbox.

Each fixture's exact score and problem line is asserted, and beyond that: nothing was read or
written outside its scratch space, no connection was made, no process of it survived, the grader
itself received no signal, and the class's honest submission kept full marks.
"""

import json
import os
import pathlib
import signal
import socket
import stat
import sys
import threading

import nbformat
import pytest

from autograder.course import REPO, SOLUTIONS
from autograder.grading.workdir import job_folder
from autograder.grading.job import SCRATCH_STUDENT
from grading import grade_cli, read_csv
from submissions.hostile import FULL, ID, hostile, secret_lines
from submissions.s01_notation import submissions

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_hostile")]


class Listener:
    """A TCP server on loopback that counts the connections it accepts."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def processes_of(uids):
    """Command lines of the running processes owned by `uids`."""
    found = []
    for status in pathlib.Path("/proc").glob("[0-9]*/status"):
        try:
            uid = int(next(line for line in status.read_text().splitlines()
                           if line.startswith("Uid:")).split()[1])
            if uid in uids:
                found.append((status.parent / "cmdline").read_bytes().replace(b"\0", b" "))
        except (OSError, StopIteration):
            pass
    return found


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder, workdir, host_tmp = root / "submissions", root / "work", root / "host-tmp"
    host_tmp.mkdir()
    other = folder / "other" / ID / f"{ID}.ipynb"
    paths = {"solution": str(SOLUTIONS / ID / f"{ID}.ipynb"),
             "gradebook": str(workdir / "gradebook.db"), "other_student": str(other),
             "repo": str(REPO), "venv": sys.prefix, "workdir": str(workdir),
             "submissions": str(folder), "host_tmp": str(host_tmp)}
    listener = Listener()
    received = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: received.append("SIGUSR1"))
    paths["host_secret"] = str(root / "secret.txt")
    pathlib.Path(paths["host_secret"]).write_text(f"{SECRET} of the instructor")
    corpus = hostile(paths, listener.port, grader_pid=os.getpid())
    complete = next(s for s in submissions() if s.student == "complete")
    other.parent.mkdir(parents=True)
    nbformat.write(complete.notebook, other)
    for fixture in corpus:
        hand_in_hostile(folder / fixture.student / ID, fixture)
    try:
        run = grade_cli(folder, workdir, "--cell-timeout", "10", "--job-timeout", "90",
                        "--max-mib", "2", "--memory-mib", "1024")
    finally:
        signal.signal(signal.SIGUSR1, previous)
        listener.socket.close()
    return {"run": run, "workdir": workdir, "corpus": corpus, "paths": paths,
            "listener": listener, "received": received, "host_tmp": host_tmp}


SECRET = "LEAK-HARDLINKED-SECRET"


def hand_in_hostile(target, fixture):
    """Write `fixture` as the folder `target`: its notebook, then its other entries as they are."""
    if "" in fixture.files:  # the assignment folder itself is a link
        target.parent.mkdir(parents=True)
        target.symlink_to(fixture.files[""].data)
        return
    target.mkdir(parents=True)
    if isinstance(fixture.content, bytes):
        (target / f"{ID}.ipynb").write_bytes(fixture.content)
    elif fixture.content is not None:
        nbformat.write(fixture.content, target / f"{ID}.ipynb")
    for name, entry in fixture.files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if entry.kind == "file":
            path.write_bytes(entry.data)
        elif entry.kind == "symlink":
            path.symlink_to(entry.data)
        elif entry.kind == "hardlink":
            os.link(entry.data, path)
        elif entry.kind == "fifo":
            os.mkfifo(path)
        elif entry.kind == "socket":
            with socket.socket(socket.AF_UNIX) as unix:
                unix.bind(str(path))
        elif entry.kind == "device":
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*entry.data))


def outputs_of(workdir, student):
    """All text the graded notebook of `student` shows (outputs of every cell)."""
    path = (job_folder(workdir, student, ID) / "course" / "autograded" / SCRATCH_STUDENT / ID
            / f"{ID}.ipynb")
    if not path.is_file():
        return ""
    text = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            text.append(output.get("text", "") or str(output.get("data", {}).get("text/plain", "")))
            text.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
    return "\n".join(text)


def test_grading_completes(graded):
    assert graded["run"].returncode == 0, graded["run"].stderr[-3000:]


def test_each_submission_gets_exactly_its_score(graded):
    scores = {r["student_id"]: float(r["score"]) for r in read_csv(graded["workdir"] / "grades.csv")}
    expected = {f.student: f.score for f in graded["corpus"] if f.score is not None}
    expected["other"] = FULL
    assert scores == expected


def test_each_problem_is_reported_in_plain_words(graded):
    lines = {}
    for row in read_csv(graded["workdir"] / "problems.csv"):
        lines.setdefault(row["student_id"], []).append(row["problem"])
    for fixture in graded["corpus"]:
        if fixture.problem is None:
            assert fixture.student not in lines, lines.get(fixture.student)
        else:
            for phrase in (fixture.problem,) + fixture.problems:
                assert any(phrase in line for line in lines.get(fixture.student, [])), \
                    (fixture.student, phrase, lines.get(fixture.student))
    assert "other" not in lines


def test_nothing_outside_the_scratch_space_was_read(graded):
    for student in ("reads-secrets", "kills-others"):
        text = outputs_of(graded["workdir"], student)
        assert text, student
        assert "LEAK" not in text
    secrets = outputs_of(graded["workdir"], "reads-secrets")
    assert secrets.count("blocked") == 3
    assert "searched" in secrets


def test_nothing_outside_the_scratch_space_was_written(graded):
    text = outputs_of(graded["workdir"], "writes-outside")
    assert "WROTE" not in text and text.count("blocked") == 5
    for path in ("repo", "venv", "workdir", "submissions", "host_tmp"):
        assert not pathlib.Path(graded["paths"][path], "PWNED").exists()
    assert list(graded["host_tmp"].iterdir()) == []


def test_the_kernel_cannot_swap_its_sockets_once_bound(graded):
    text = outputs_of(graded["workdir"], "swaps-sockets")
    assert "SWAPPED" not in text and text.count("ipc locked PermissionError") == 3, text


def test_no_network(graded):
    text = outputs_of(graded["workdir"], "network")
    assert "CONNECTED" not in text and text.count("no network") == 3
    assert graded["listener"].connections == 0


def test_no_process_survives_and_the_grader_got_no_signal(graded):
    uids = {json.loads(p.read_text())["uid"]
            for p in (graded["workdir"] / "workers").glob("*/settings.json")}
    assert len(uids) == 2
    assert processes_of(uids) == []
    assert graded["received"] == []
    text = outputs_of(graded["workdir"], "kills-others")
    assert "processes seen: [1]" in text  # its own PID namespace holds only itself


def test_the_output_flood_was_cut(graded):
    page = graded["workdir"] / "feedback" / "output-flood" / ID / f"{ID}.html"
    assert page.stat().st_size < 3 * 2 ** 20
    assert "output stopped here" in page.read_text()


def test_honest_code_keeps_full_marks_and_its_output(graded):
    text = outputs_of(graded["workdir"], "honest-noisy")
    assert "a warning from honest code" in text and "hello hello" in text
    assert "inverse error below 1e-9: True" in text  # the threaded inverses are right


def test_no_start_up_file_ran_and_the_kernel_holds_no_privilege(graded):
    text = outputs_of(graded["workdir"], "startup-files")
    assert "startup files ran: []" in text
    assert "linewidth 1.5" in text  # matplotlib's default: no matplotlibrc of theirs was read
    for name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert f"status {name}: 0000000000000000" in text, text
    assert "status NoNewPrivs: 1" in text
    assert "open_by_handle_at: Operation not permitted" in text
    uid = next(line for line in text.splitlines() if line.startswith("status Uid:")).split()[2:]
    assert len(set(uid)) == 1 and int(uid[0]) != 0


def test_links_and_special_files_are_refused_and_never_followed(graded):
    workdir = graded["workdir"]
    text = outputs_of(workdir, "links")
    assert "READ ./sub/ok.txt b'an honest extra file'" in text
    for name in ("shadow", "environ", "solution.txt", "gradebook.bin", "zero", "hard.txt", "pipe",
                 "sock", "zero-device"):
        assert f"/{name} " not in text, name  # not in the kernel's folder at all
    secrets = secret_lines()
    for path in workdir.rglob("*"):  # nothing of theirs in any file the grader wrote
        if path.is_file() and not path.is_symlink() and path.suffix != ".db":
            data = path.read_bytes()
            assert SECRET.encode() not in data and b"root:" not in data, path
            if "links" in str(path) and path.suffix != ".ipynb":  # graded copies hold tests
                assert not any(line.encode() in data for line in secrets), path


def test_a_submission_holds_at_most_its_share_of_other_files(graded):
    assert "files here: 101" in outputs_of(graded["workdir"], "many-files")  # 100 and expected.json
    assert f"sizes: [{12 * 2 ** 20}]" in outputs_of(graded["workdir"], "big-files")


def test_the_notebook_output_cap_spans_cells(graded):
    """20 cells of 0.9 MB each, each under the cell cap: 18 MB, kept to the notebook's 8 MiB."""
    page = graded["workdir"] / "feedback" / "prints-in-every-cell" / ID / f"{ID}.html"
    assert page.stat().st_size < 10 * 2 ** 20


def test_display_updates_and_widget_state_count_against_the_output_cap(graded):
    for student in ("display-updates", "widget-state"):
        page = graded["workdir"] / "feedback" / student / ID / f"{ID}.html"
        assert page.stat().st_size < 3 * 2 ** 20, student
        notebook = (job_folder(graded["workdir"], student, ID) / "course" / "autograded"
                    / SCRATCH_STUDENT / ID / f"{ID}.ipynb")
        assert notebook.stat().st_size < 3 * 2 ** 20, student
