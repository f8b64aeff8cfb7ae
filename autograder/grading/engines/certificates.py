"""Certificates for a course's Dask cluster: one CA of the course, and a certificate signed by it
for the scheduler, the workers and the grader, made with the `openssl` command.

Over TLS, Dask's scheduler and workers accept only peers with a certificate of this CA (mutual
authentication), so nobody else can run code on a worker or read what it grades.
"""

import pathlib
import subprocess

ROLES = ("scheduler", "worker", "grader")
DAYS = 365
LEAF_EXTENSIONS = """basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""
CURVE = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def write_certificates(folder, days=DAYS):
    """Write ca.pem, ca-key.pem and <role>.pem, <role>-key.pem for each of ROLES, and the Dask
    configuration file of the grader (grader.yaml); return the folder."""
    folder = pathlib.Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    _openssl("req", "-x509", *CURVE, "-keyout", folder / "ca-key.pem", "-out", folder / "ca.pem",
             "-days", str(10 * days), "-subj", "/CN=autograder course CA",
             "-addext", "keyUsage = critical, keyCertSign, cRLSign")
    (folder / "leaf.ext").write_text(LEAF_EXTENSIONS)
    for role in ROLES:
        request = folder / f"{role}.csr"
        _openssl("req", "-new", *CURVE, "-keyout", folder / f"{role}-key.pem", "-out", request,
                 "-subj", f"/CN=autograder {role}")
        _openssl("x509", "-req", "-in", request, "-CA", folder / "ca.pem", "-CAkey",
                 folder / "ca-key.pem", "-CAcreateserial", "-days", str(days), "-extfile",
                 folder / "leaf.ext", "-out", folder / f"{role}.pem")
        request.unlink()
    for key in folder.glob("*key.pem"):
        key.chmod(0o600)
    (folder / "grader.yaml").write_text(grader_config(folder))
    return folder


def grader_config(folder):
    """Dask's configuration (YAML) that makes a client use the grader's certificate."""
    return (f"distributed:\n  comm:\n    require-encryption: true\n    tls:\n"
            f"      ca-file: {folder / 'ca.pem'}\n"
            f"      client:\n        cert: {folder / 'grader.pem'}\n"
            f"        key: {folder / 'grader-key.pem'}\n")


def commands(folder, host="SCHEDULER-HOST", port=8786):
    """The commands that start a TLS scheduler, a worker and the grader with the files of
    `folder` (as given: docs/grading.md shows them with CERTS)."""
    tls = lambda role: (f"--tls-ca-file {folder}/ca.pem --tls-cert {folder}/{role}.pem "
                        f"--tls-key {folder}/{role}-key.pem")
    return [f"dask scheduler --protocol tls --port {port} {tls('scheduler')}",
            f"dask worker tls://{host}:{port} --nthreads 1 {tls('worker')}",
            f"DASK_CONFIG={folder} python -m autograder grade SUBMISSIONS --workdir DIR "
            f"--scheduler tls://{host}:{port}"]


def _openssl(*args):
    run = subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {run.stderr.strip()[-500:]}")
