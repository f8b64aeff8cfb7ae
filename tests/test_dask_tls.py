"""`grade --scheduler` over TLS with mutual authentication, on a real cluster (`dask scheduler`
and two `dask worker`s with the certificates of `python -m autograder cluster-certs`, on
127.0.0.1): only peers with a certificate of the course's CA get in, and the grades equal a local
run's, with workers started by the documented command alone (nanny included). A plain tcp://
scheduler beyond the loopback interface is refused with how to set TLS up."""

import socket
import ssl
import subprocess
import sys
import time

import distributed
import pytest

from autograder.course import REPO
from autograder.grading.engines.dask import client_security
from autograder.course import CourseError
from dask_cluster import Cluster, dask_command
from grading import grade_cli, hand_in, read_csv
from submissions.s01_notation import submissions

ID = "01_notation"


def cluster_certs(folder):
    run = subprocess.run([sys.executable, "-m", "autograder", "cluster-certs", str(folder),
                          "--host", "127.0.0.1"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return folder, run.stdout


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return cluster_certs(tmp_path_factory.mktemp("certs") / "course")[0]


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """Certificates of another CA, made the same way."""
    return cluster_certs(tmp_path_factory.mktemp("certs") / "other")[0]


@pytest.fixture(scope="module")
def cluster(certificates, tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("tls-cluster"), workers=2,
                      certificates=certificates)
    yield running
    running.stop()


def test_the_certificate_command_prints_the_commands_it_documents(tmp_path):
    folder, said = cluster_certs(tmp_path / "certs")
    for name in ("ca.pem", "scheduler.pem", "worker.pem", "grader.pem", "grader.yaml"):
        assert (folder / name).is_file(), name
    assert (folder / "ca-key.pem").stat().st_mode & 0o077 == 0  # private keys: owner only
    assert "dask scheduler --protocol tls" in said
    assert f"--tls-cert {folder.resolve()}/worker.pem" in said
    assert "--scheduler tls://127.0.0.1:8786" in said


def test_the_docs_give_the_commands_that_are_tested():
    from autograder.grading.engines.certificates import commands
    text = (REPO / "docs" / "grading.md").read_text()
    for line in commands("CERTS", "scheduler-host"):
        assert line in text, line
    assert "DAEMON" not in text


def test_plain_tcp_beyond_loopback_is_refused_with_how_to_set_tls_up(tmp_path):
    with pytest.raises(CourseError, match="cluster-certs"):
        client_security("tcp://192.0.2.7:8786")
    with pytest.raises(CourseError, match="no certificate for the grader"):
        client_security("tls://192.0.2.7:8786")  # no TLS in Dask's configuration here
    assert client_security("tcp://127.0.0.1:8786").require_encryption is False
    hand_in(tmp_path / "submissions", ID, submissions()[:1])
    run = grade_cli(tmp_path / "submissions", tmp_path / "work", "--scheduler",
                    "tcp://192.0.2.7:8786")
    assert run.returncode == 2
    assert "refusing the unencrypted Dask scheduler tcp://192.0.2.7:8786" in run.stderr
    assert "python -m autograder cluster-certs DIR" in run.stderr
    assert not (tmp_path / "work").exists()


@pytest.mark.slow
def test_a_client_without_a_certificate_is_turned_away(cluster):
    """A TLS client that trusts the course's CA but shows no certificate: the scheduler ends the
    handshake (an open scheduler would wait for its first message instead)."""
    host, port = cluster.address.removeprefix("tls://").rsplit(":", 1)
    context = ssl.create_default_context(cafile=str(cluster.certificates / "ca.pem"))
    context.check_hostname = False
    with socket.create_connection((host, int(port)), timeout=20) as raw:
        with pytest.raises((ssl.SSLError, ConnectionError)):
            with context.wrap_socket(raw) as tls:
                if tls.recv(1) == b"":  # closed without a word: turned away as well
                    raise ConnectionError("closed")
    with pytest.raises((OSError, TimeoutError)):  # and Dask without TLS at all
        distributed.Client(cluster.address.replace("tls://", "tcp://"), timeout="10s")


@pytest.mark.slow
def test_a_client_with_another_cas_certificate_cannot_connect(cluster, foreign):
    security = distributed.Security(
        tls_ca_file=str(cluster.certificates / "ca.pem"),
        tls_client_cert=str(foreign / "grader.pem"),
        tls_client_key=str(foreign / "grader-key.pem"), require_encryption=True)
    with pytest.raises((OSError, TimeoutError)):
        distributed.Client(cluster.address, timeout="10s", security=security)
    with distributed.Client(cluster.address, timeout="60s", security=cluster.security) as client:
        assert len(client.scheduler_info()["workers"]) == 2  # the course's grader gets in


@pytest.mark.slow
def test_a_worker_with_another_cas_certificate_cannot_join(cluster, foreign, tmp_path):
    log = tmp_path / "foreign-worker.log"
    with open(log, "w") as out:
        intruder = subprocess.Popen(
            dask_command("worker", cluster.address, "--host", "127.0.0.1", "--nthreads", 1,
                         "--local-directory", tmp_path / "w", "--no-nanny",
                         *cluster.tls("worker", foreign)),
            cwd=REPO, stdout=out, stderr=out, stdin=subprocess.DEVNULL, env=cluster.env)
    try:  # it tries again and again, failing the TLS handshake: never a worker of the scheduler
        deadline = time.monotonic() + 120
        while log.read_text().count("Waiting to connect to") < 5:
            assert intruder.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        with distributed.Client(cluster.address, timeout="60s",
                                security=cluster.security) as client:
            workers = client.scheduler_info()["workers"]
        assert len(workers) == 2, workers
    finally:
        intruder.kill()
        intruder.wait()


@pytest.mark.slow
def test_grades_over_tls_equal_a_local_runs(cluster, tmp_path):
    fixtures = [s for s in submissions() if s.student in ("complete", "partial")]
    assert len(fixtures) == 2
    expected = hand_in(tmp_path / "submissions", ID, fixtures)
    assert len(set(expected.values())) == 2  # two different scores
    local = grade_cli(tmp_path / "submissions", tmp_path / "local")
    remote = grade_cli(tmp_path / "submissions", tmp_path / "dask", "--scheduler",
                       cluster.address, env={"DASK_CONFIG": str(cluster.certificates)})
    assert local.returncode == 0, local.stderr[-3000:]
    assert remote.returncode == 0, remote.stderr[-3000:]
    assert cluster.address.startswith("tls://127.0.0.1:")
    # the workers were started with the documented command alone: nanny, no daemon setting
    assert not any(name.startswith("DASK_") for name in cluster.env)
    scores = {r["student_id"]: float(r["score"]) for r in read_csv(tmp_path / "dask" /
                                                                   "grades.csv")}
    assert scores == expected
    for name in ("grades.csv", "cells.csv", "problems.csv"):
        assert read_csv(tmp_path / "dask" / name) == read_csv(tmp_path / "local" / name), name
