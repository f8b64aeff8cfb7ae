"""Without a working sandbox, `grade` refuses; `--unsafe-no-sandbox` grades and says what is lost."""

import pathlib

import nbformat
import pytest

from autograder.grading.settings import Settings
from grading import grade_cli, read_csv
from submissions.s01_notation import submissions

pytestmark = pytest.mark.slow

ID = "01_notation"


@pytest.fixture(scope="module")
def one_submission(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one") / "submissions"
    complete = next(s for s in submissions() if s.student == "complete")
    (folder / "complete" / ID).mkdir(parents=True)
    nbformat.write(complete.notebook, folder / "complete" / ID / f"{ID}.ipynb")
    return folder


def test_refuses_when_the_sandbox_cannot_start(one_submission, tmp_path):
    run = grade_cli(one_submission, tmp_path / "work", workers=1,
                    env={"AUTOGRADER_BWRAP": "/bin/false"})
    assert run.returncode == 2
    assert "the sandbox could not start, so nothing was graded" in run.stderr
    assert "--unsafe-no-sandbox" in run.stderr
    assert not (tmp_path / "work" / "grades.csv").exists()


def test_unsafe_mode_grades_and_says_what_is_lost(one_submission, tmp_path):
    run = grade_cli(one_submission, tmp_path / "work", "--unsafe-no-sandbox", workers=1,
                    env={"AUTOGRADER_BWRAP": "/bin/false"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "WARNING: --unsafe-no-sandbox" in run.stderr and "YOUR rights" in run.stderr
    rows = read_csv(tmp_path / "work" / "grades.csv")
    assert [(r["student_id"], r["score"]) for r in rows] == [("complete", "10")]


def test_refuses_when_kernels_cannot_import_utils(tmp_path, monkeypatch):
    """Every notebook starts with `import utils`: a sandbox without it would score everyone 0."""
    from autograder.sandbox import ForkServer, SandboxError, server

    (tmp_path / "repo" / "utils").mkdir(parents=True)
    (tmp_path / "repo" / "utils" / "__init__.py").write_text(
        "raise ImportError('a broken utils, on purpose')\n")
    monkeypatch.setattr(server, "REPO", tmp_path / "repo")
    with pytest.raises(SandboxError, match="cannot import utils from .*a broken utils, on purpose"):
        ForkServer(tmp_path / "spool", uid=61000, limits=Settings().limits())


def capabilities(pid):
    """{'CapEff': int, ...} of a process, from /proc."""
    lines = pathlib.Path(f"/proc/{pid}/status").read_text().splitlines()
    return {k: int(v, 16) for k, v in (line.split(":\t") for line in lines
                                       if line.startswith("Cap"))}


def descendants(pid):
    """Pids of the processes below `pid` (bwrap's own process 1 of the sandbox included)."""
    found = []
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child)] + descendants(int(child))
    return found


def test_the_fork_server_holds_only_the_capabilities_it_needs(tmp_path):
    """bubblewrap hands the fork server five capabilities, not all of them: with --cap-add ALL a
    start-up file could read the host's files through open_by_handle_at (CAP_DAC_READ_SEARCH)."""
    from autograder.sandbox import ForkServer
    from autograder.sandbox.server import SERVER_CAPABILITIES

    numbers = {"CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8,
               "CAP_SYS_ADMIN": 21}
    wanted = sum(1 << numbers[name] for name in SERVER_CAPABILITIES)
    with ForkServer(tmp_path / "spool", uid=61000, limits=Settings().limits()) as server:
        command_lines = {pid: pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                         for pid in descendants(server.process.pid)}
        (forkserver,) = [pid for pid, line in command_lines.items()
                         if line[1:2] == [b"/opt/sandbox/forkserver.py"]]  # python forkserver.py
        caps = capabilities(forkserver)
    assert caps["CapEff"] == caps["CapPrm"] == wanted, {k: hex(v) for k, v in caps.items()}
    assert caps["CapInh"] & ~wanted == 0 and caps["CapAmb"] & ~wanted == 0
