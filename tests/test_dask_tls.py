"""`grade --scheduler` over TLS with mutual authentication, on a real cluster (`dask scheduler`
and two `dask worker`s with the certificates of `python -m autograder cluster-certs`, on
127.0.0.1, conftest.tls_cluster): only peers with a certificate of the course's CA get in. (That
its grades equal a local run's, and what a killed worker costs: test_dask.py, on the same cluster.)
A plain tcp:// scheduler beyond the loopback interface is refused with how to set TLS up."""

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
from dask_cluster import cluster_certs, dask_command
from grading import grade_cli, hand_in
from submissions.s01_notation import submissions

pytestmark = pytest.mark.xdist_group("dask")  # the session's one cluster: conftest.tls_cluster

ID = "01_notation"


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """Certificates of another CA, made the same way."""
    return cluster_certs(tmp_path_factory.mktemp("certs") / "other")[0]


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
def test_a_client_without_a_certificate_is_turned_away(tls_cluster):
    cluster = tls_cluster
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
def test_a_client_with_another_cas_certificate_cannot_connect(tls_cluster, foreign):
    cluster = tls_cluster
    security = distributed.Security(
        tls_ca_file=str(cluster.certificates / "ca.pem"),
        tls_client_cert=str(foreign / "grader.pem"),
        tls_client_key=str(foreign / "grader-key.pem"), require_encryption=True)
    with pytest.raises((OSError, TimeoutError)):
        distributed.Client(cluster.address, timeout="10s", security=security)
    with distributed.Client(cluster.address, timeout="60s", security=cluster.security) as client:
        assert len(client.scheduler_info()["workers"]) == 2  # the course's grader gets in


@pytest.mark.slow
def test_a_worker_with_another_cas_certificate_cannot_join(tls_cluster, foreign, tmp_path):
    cluster = tls_cluster
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
