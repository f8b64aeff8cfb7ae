"""The sandbox's small parts without a sandbox: the JSON-lines channel to the fork server, the
clean-up that removes any tree, and the worker slots that give each grading worker its own spool
and kernel uid. Fast; the slow tests (test_scratch_faults.py, test_hostile.py) use them for real.
"""

import os
import pathlib
import subprocess
import sys

import pytest

from autograder.grading.engines import worker
from autograder.sandbox import SandboxError
from autograder.sandbox.channel import Channel, ChannelError
from autograder.sandbox.cleanup import remove_tree

# A child that answers each JSON line with {"got": line, "n": count}, and on "split" writes its
# reply in two pieces with a pause between them, and on "quit" exits without a reply.
ECHO = """
import json, sys, time
n = 0
for line in sys.stdin:
    n += 1
    message = json.loads(line)
    reply = (json.dumps({"got": message, "n": n}) + "\\n").encode()
    if message == "quit":
        break
    if message == "silent":
        continue
    if message == "split":
        sys.stdout.buffer.write(reply[:5]); sys.stdout.flush(); time.sleep(0.2)
        reply = reply[5:]
    if message == "two":
        reply = reply + reply
    sys.stdout.buffer.write(reply); sys.stdout.flush()
"""


@pytest.fixture
def echo():
    process = subprocess.Popen([sys.executable, "-c", ECHO], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    yield process
    process.kill()
    process.wait()


def test_the_channel_sends_and_receives_one_json_object_per_line(echo):
    channel = Channel(echo)
    channel.send({"path": "ä/b", "values": [1, 2.5, None]})
    assert channel.receive(10) == {"got": {"path": "ä/b", "values": [1, 2.5, None]}, "n": 1}
    channel.send("split")  # a reply that arrives in two reads is one message
    assert channel.receive(10) == {"got": "split", "n": 2}
    channel.send("two")  # two replies in one read are two messages, in order
    assert channel.receive(10) == {"got": "two", "n": 3}
    assert channel.receive(10) == {"got": "two", "n": 3}


def test_the_channel_says_when_no_reply_comes_or_the_other_side_is_gone(echo):
    channel = Channel(echo)
    channel.send("silent")
    with pytest.raises(ChannelError, match=r"no reply in 0.3 s"):
        channel.receive(0.3)
    channel.send("quit")
    with pytest.raises(ChannelError, match="closed its output"):
        channel.receive(10)
    echo.wait(10)
    with pytest.raises(ChannelError, match="has exited"):
        channel.send("late")


def test_remove_tree_removes_deep_trees_locked_folders_and_links_without_following_them(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kept").write_text("not to be removed")
    tree = tmp_path / "tree"
    deep = tree.joinpath(*["d"] * 300)  # deeper than shutil.rmtree's recursion takes lightly
    deep.mkdir(parents=True)
    (deep / "file").write_text("x")
    (tree / "link").symlink_to(outside, target_is_directory=True)
    os.mkfifo(tree / "d" / "fifo")
    locked = tree / "locked"  # taken away from its owner; root opens it anyway, others chmod it
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "file").write_text("x")
    (locked / "inner").chmod(0o000)
    locked.chmod(0o000)
    assert remove_tree(tree) is None
    assert not os.path.lexists(tree)
    assert (outside / "kept").read_text() == "not to be removed"
    single = tmp_path / "single"
    single.write_text("a file, not a folder")
    assert remove_tree(single) is None and not single.exists()
    assert remove_tree(tmp_path / "never-made") is None


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a file system needs root")
def test_what_remove_tree_cannot_remove_is_one_sentence(tmp_path):
    """A file system mounted inside is not entered: the rest goes, and a sentence says what not."""
    tree = tmp_path / "tree"
    (tmp_path / "tree" / "a" / "b" / "mounted").mkdir(parents=True)
    (tree / "a" / "file").write_text("x")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                    str(tree / "a" / "b" / "mounted")], check=True)
    try:
        problem = remove_tree(tree)
    finally:  # wherever the removal moved it
        for line in pathlib.Path("/proc/self/mounts").read_text().splitlines():
            if line.split()[1].startswith(f"{tree}/"):
                subprocess.run(["umount", "-l", line.split()[1]], check=True)
    assert problem.startswith(f"{tree} could not be removed entirely: a file system is mounted "
                              f"there (mounted)"), problem
    assert "folders 3 levels deep" in problem
    assert not (tree / "a" / "file").exists()
    assert remove_tree(tree) is None


def test_each_live_worker_holds_its_own_slot_until_it_ends(tmp_path, monkeypatch):
    first, first_lock = worker._claim_slot(tmp_path)
    second, second_lock = worker._claim_slot(tmp_path)
    assert (first, second) == (0, 1)
    first_lock.close()  # the first worker ended: its replacement takes its slot (spool, uid)
    again, again_lock = worker._claim_slot(tmp_path)
    assert again == 0
    # A slot held by another process is taken by none here.
    (tmp_path / "2").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys; f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX); "
        "print('held', flush=True); sys.stdin.read()"), str(tmp_path / "2" / "lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        third, third_lock = worker._claim_slot(tmp_path)
        assert third == 3
        monkeypatch.setattr(worker, "MAX_SLOTS", 4)
        with pytest.raises(SandboxError, match=f"more than 4 grading workers in {tmp_path}"):
            worker._claim_slot(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    for lock in (second_lock, again_lock, third_lock):
        lock.close()


def test_a_worker_without_a_sandbox_says_why_on_every_job(monkeypatch):
    monkeypatch.setattr(worker, "STATE", {"error": "bubblewrap is not installed"})
    with pytest.raises(SandboxError, match="bubblewrap is not installed"):
        worker.run(None)
    monkeypatch.setattr(worker, "STATE", {})
    with pytest.raises(SandboxError, match="was not started"):
        worker.ready()
