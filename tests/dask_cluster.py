"""A Dask cluster on this machine, as on a real one: `dask scheduler` and `dask worker` processes,
listening on 127.0.0.1 only."""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time

from autograder.course import REPO



def cluster_certs(folder):
    """`python -m autograder cluster-certs folder --host 127.0.0.1`: (folder, what it printed)."""
    run = subprocess.run([sys.executable, "-m", "autograder", "cluster-certs", str(folder),
                          "--host", "127.0.0.1"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return folder, run.stdout


def dask_command(*args):
    return [os.path.join(os.path.dirname(sys.executable), "dask"), *map(str, args)]


def documented_commands(certificates, port):
    """The scheduler's and a worker's commands of docs/grading.md (as `cluster-certs` prints
    them), for a scheduler on 127.0.0.1:port, as argument lists after `dask`; and the grader's."""
    from autograder.grading.engines.certificates import commands
    scheduler, worker, grader = commands(certificates, "127.0.0.1", port)
    return shlex.split(scheduler)[1:], shlex.split(worker)[1:], grader


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """`dask scheduler` and `dask worker`s as processes of their own; stop() ends them all."""

    def __init__(self, folder, workers, env=None, certificates=None):
        """certificates: a folder of `cluster-certs` (TLS, mutual authentication; the scheduler
        and the workers are started with the commands docs/grading.md gives), or None (tcp)."""
        self.folder, self.env = folder, {**os.environ, **(env or {})}
        self.certificates = certificates
        self.security = None
        if certificates:
            import distributed
            self.security = distributed.Security(
                tls_ca_file=str(certificates / "ca.pem"),
                tls_client_cert=str(certificates / "grader.pem"),
                tls_client_key=str(certificates / "grader-key.pem"), require_encryption=True)
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / "scheduler.json"
        if certificates:
            scheduler, worker, _ = documented_commands(certificates, free_port())
            self.processes = [self._start("scheduler", *scheduler, "--scheduler-file", self.file,
                                          "--host", "127.0.0.1",
                                          "--dashboard-address", "127.0.0.1:0")]
        else:
            self.processes = [self._start("scheduler", "scheduler", "--scheduler-file",
                                          self.file, "--host", "127.0.0.1", "--port", 0,
                                          "--dashboard-address", "127.0.0.1:0")]
        deadline = time.monotonic() + 60
        while not self.file.exists():
            if time.monotonic() > deadline:
                raise RuntimeError((folder / "scheduler.log").read_text())
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        for number in range(workers):
            if certificates:  # exactly as documented
                self.processes.append(self._start(f"worker-{number}", *worker))
            else:
                self.processes.append(self._start(
                    f"worker-{number}", "worker", "--scheduler-file", self.file, "--host",
                    "127.0.0.1", "--nthreads", 1, "--local-directory",
                    folder / f"worker-{number}"))
        self.wait_for(workers)

    def tls(self, role, certificates=None):
        """The `dask scheduler`/`dask worker` options that give `role` its certificate."""
        folder = certificates or self.certificates
        if not folder:
            return []
        return ["--protocol", "tls"] * (role == "scheduler") + [
            "--tls-ca-file", folder / "ca.pem", "--tls-cert", folder / f"{role}.pem",
            "--tls-key", folder / f"{role}-key.pem"]

    def _start(self, name, *args):
        with open(self.folder / f"{name}.log", "w") as log:
            return subprocess.Popen(dask_command(*args), cwd=REPO, stdout=log, stderr=log,
                                    stdin=subprocess.DEVNULL, env=self.env,
                                    start_new_session=True)

    def worker_pids(self):
        """{worker address: pid of its worker process}."""
        import distributed
        with distributed.Client(self.address, timeout="120s", security=self.security) as client:
            return client.run(os.getpid)

    def tune_scheduler(self, allowed_failures, worker_saturation):
        """Set the scheduler's `distributed.scheduler.allowed-failures` and `worker-saturation`
        while it runs (call it while the cluster is idle); return the previous values."""
        import distributed

        def tune(dask_scheduler, allowed_failures, worker_saturation):
            before = dask_scheduler.allowed_failures, dask_scheduler.WORKER_SATURATION
            dask_scheduler.allowed_failures = allowed_failures
            dask_scheduler.WORKER_SATURATION = worker_saturation
            return before

        with distributed.Client(self.address, timeout="120s", security=self.security) as client:
            return client.run_on_scheduler(tune, allowed_failures=allowed_failures,
                                           worker_saturation=worker_saturation)

    def wait_for(self, count):
        import distributed
        with distributed.Client(self.address, timeout="120s", security=self.security) as client:
            client.wait_for_workers(count, timeout=120)

    def stop(self):
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
