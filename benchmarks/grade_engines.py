"""Throughput of the two engines on one class, side by side in one run, and the class grader's own
cost per submission (discovery, recording, outputs) up to 10,000 results.

    python benchmarks/grade_engines.py [--size 20] [--records 1000,3000,10000] [--tasks 1000]

Engines: `grade --workers <cores>` on this machine, then `grade --scheduler` on a Dask cluster of
1 and of 2 workers (one thread each) started here over TLS with the commands docs/grading.md
gives (`cluster-certs`); submissions per hour for each. The scheduler's own cost per task: a job that does nothing (a submission-sized payload
in, a result-sized JSON text out, as engines/dask.py sends them), `--tasks` times, on a
1-worker cluster: one at a time (the round trip) and all queued at once (the overhead per task
when the cluster is kept busy). The class grader's own
cost is measured in-process, without grading: the submissions tree is discovered, N results are
recorded into a real class gradebook (nbgrader's) and the outputs are written from them.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import tracemalloc

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from grade_class import build_class, scores  # noqa: E402
from dask_cluster import Cluster  # noqa: E402

from autograder.course.gradebook_url import gradebook_url  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

from autograder.course import assignment_ids  # noqa: E402
from autograder.grading.class_gradebook import prepare  # noqa: E402
from autograder.grading.discovery import Submission, discover  # noqa: E402
from autograder.grading.outputs import write_outputs  # noqa: E402
from autograder.grading.recording import record, stored_form  # noqa: E402
from autograder.grading.workdir import load_results, result_path  # noqa: E402
from autograder.grading.job import Result  # noqa: E402


def timed_grade(class_folder, workdir, *options, env=None):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "autograder", "grade", str(class_folder), "--workdir",
                    str(workdir), *options], cwd=REPO, check=True, capture_output=True,
                   env={**os.environ, **(env or {})})
    return time.perf_counter() - started, scores(gradebook_url(workdir),
                                                 assignment_ids())


def engines(scratch, size):
    written = build_class(scratch / "class", size)
    n = len(written)
    cores = os.cpu_count()
    rows, reference = [], None
    seconds, reference = timed_grade(scratch / "class", scratch / "local", "--workers", str(cores))
    rows.append((f"local, --workers {cores}", seconds))
    from autograder.grading.engines.certificates import write_certificates
    certificates = write_certificates(scratch / "engine-certs")
    for workers in (1, 2):  # over TLS, started with the documented commands
        cluster = Cluster(scratch / f"cluster-{workers}", workers=workers,
                          certificates=certificates)
        try:
            seconds, found = timed_grade(scratch / "class", scratch / f"dask-{workers}",
                                         "--scheduler", cluster.address,
                                         env={"DASK_CONFIG": str(certificates)})
        finally:
            cluster.stop()
        assert found == reference, f"Dask with {workers} workers: other scores"
        rows.append((f"Dask, {workers} worker{'s' * (workers > 1)} x 1 thread", seconds))
    print(f"{n} submissions over {len({a for _, a in written})} notebooks; scores identical in "
          f"every run")
    print(f"{'engine':32} {'seconds':>8} {'s/submission':>13} {'submissions/hour':>17}")
    for name, seconds in rows:
        print(f"{name:32} {seconds:8.1f} {seconds / n:13.2f} {3600 * n / seconds:17.0f}")
    local = rows[0][1]
    print(f"ratios (same class, one run): Dask 2 workers / Dask 1 worker throughput "
          f"{rows[1][1] / rows[2][1]:.2f}x; local / Dask 2 workers throughput "
          f"{rows[2][1] / local:.2f}x")


def nothing(files):
    """The job that does nothing: the size of a result back, as JSON text."""
    return json.dumps({"status": "graded", "feedback_html": "x" * 100_000, "n": len(files)})


def overhead(scratch, tasks):
    """ms per task of the scheduler round trip, with a job that does nothing, `tasks` times, on
    a 1-worker cluster over tcp and over TLS (the course's certificates, as documented)."""
    import distributed
    from autograder.grading.engines.certificates import write_certificates
    files = {"01_notation.ipynb": b"x" * 60_000}  # a submitted notebook's size
    for protocol in ("tcp", "tls"):
        certificates = write_certificates(scratch / "certs") if protocol == "tls" else None
        cluster = Cluster(scratch / f"overhead-{protocol}", workers=1, certificates=certificates)
        try:
            with distributed.Client(cluster.address, timeout="120s",
                                    security=cluster.security) as client:
                client.submit(nothing, files, pure=False).result()  # warm: the function is known
                started = time.perf_counter()
                for _ in range(tasks):
                    client.submit(nothing, files, pure=False).result()
                one_by_one = time.perf_counter() - started
                started = time.perf_counter()
                client.gather([client.submit(nothing, files, pure=False) for _ in range(tasks)])
                queued = time.perf_counter() - started
        finally:
            cluster.stop()
        print(f"scheduler round trip over {protocol}, a job that does nothing, {tasks} tasks on "
              f"1 worker: {1000 * one_by_one / tasks:.1f} ms a task one at a time, "
              f"{1000 * queued / tasks:.1f} ms a task all queued")


def own_cost(scratch, counts, record_max):
    """The class grader's own time and peak Python memory per submission, without grading.

    Results past `record_max` are stored as `record` stores them but without the gradebook (whose
    nbgrader calls are the slow part, measured below that), so that discovery and the outputs are
    measured up to the largest count.
    """
    assignment = "01_notation"
    workdir = scratch / "own"
    workdir.mkdir()
    db_url = gradebook_url(workdir)
    prepare(workdir, db_url, [assignment])
    with Gradebook(db_url) as gradebook:
        cells = {g.name: {"score": g.max_score, "max_score": g.max_score,
                          "needs_manual_grade": False}
                 for g in gradebook.find_notebook(assignment, assignment).grade_cells}
    page = "<html>" + "x" * 100_000 + "</html>"   # the size of a feedback page
    print(f"{'results':>8} {'discover ms/sub':>16} {'record ms/sub':>14} "
          f"{'outputs ms/sub':>15} {'peak MiB':>9}")
    done = 0
    submissions_dir = scratch / "tree"
    for count in counts:
        for number in range(done, count):  # the submissions tree, grown to `count`
            folder = submissions_dir / f"s{number:05d}" / assignment
            folder.mkdir(parents=True)
            (folder / f"{assignment}.ipynb").write_text("{}")
        tracemalloc.start()
        started = time.perf_counter()
        found, _ = discover(submissions_dir)
        discovered = time.perf_counter() - started
        assert len(found) == count
        started = time.perf_counter()
        with Gradebook(db_url) as gradebook:  # one per run, as grade_class keeps
            for submission in found[done:]:
                result = Result("graded", {k: dict(v) for k, v in cells.items()}, [],
                                feedback_html=page, autograded_notebook="{}", seconds=1.0)
                if count <= record_max:
                    record(workdir, gradebook, submission, result)
                else:
                    store(workdir, submission, result)
        recorded = time.perf_counter() - started if count <= record_max else None
        started = time.perf_counter()
        write_outputs(workdir, load_results(workdir), [])
        outputs = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{count:8d} {1000 * discovered / count:16.3f} "
              f"{'-' if recorded is None else f'{1000 * recorded / (count - done):.2f}':>14} "
              f"{1000 * outputs / count:15.2f} "
              f"{peak / 2**20:9.1f}")
        done = count


def record_side_by_side(scratch, count):
    """ms per record with one gradebook open for the run vs one opened for each record,
    alternating in blocks of 10 so that both see the same machine."""
    assignment = "01_notation"
    workdir = scratch / "side"
    workdir.mkdir()
    db_url = gradebook_url(workdir)
    prepare(workdir, db_url, [assignment])
    shared = Gradebook(db_url)
    with Gradebook(db_url) as gradebook:
        cells = {g.name: {"score": g.max_score, "max_score": g.max_score,
                          "needs_manual_grade": False}
                 for g in gradebook.find_notebook(assignment, assignment).grade_cells}
    spent = {"one gradebook per run": 0.0, "a gradebook per record": 0.0}
    for number in range(count):
        submission = Submission(f"s{number:05d}", assignment, workdir / "in")
        result = Result("graded", {k: dict(v) for k, v in cells.items()}, [], seconds=1.0)
        started = time.perf_counter()
        if (number // 10) % 2 == 0:
            record(workdir, shared, submission, result)
            spent["one gradebook per run"] += time.perf_counter() - started
        else:
            with Gradebook(db_url) as gradebook:
                record(workdir, gradebook, submission, result)
            spent["a gradebook per record"] += time.perf_counter() - started
    shared.close()
    per = {name: 1000 * seconds / (count / 2) for name, seconds in spent.items()}
    for name, ms in per.items():
        print(f"record, {name}: {ms:.1f} ms")
    print(f"ratio: {per['a gradebook per record'] / per['one gradebook per run']:.2f}x "
          f"({count} records, alternating)")


def store(workdir, submission, result):
    """The result file `record` writes, without the gradebook."""
    path = result_path(workdir, submission)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(stored_form(result), student_id=submission.student_id,
                                    assignment=submission.assignment_id)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20)
    parser.add_argument("--records", default="300,1000,3000,10000")
    parser.add_argument("--record-max", type=int, default=1000,
                        help="record into the gradebook up to this many results")
    parser.add_argument("--skip-engines", action="store_true")
    parser.add_argument("--tasks", type=int, default=1000,
                        help="tasks of the job that does nothing (0: skip)")
    parser.add_argument("--only-overhead", action="store_true",
                        help="measure only the scheduler round trip")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  load average before: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="engines-bench-") as scratch:
        scratch = pathlib.Path(scratch)
        if args.tasks:
            overhead(scratch, args.tasks)
        if args.only_overhead:
            return
        if not args.skip_engines:
            engines(scratch, args.size)
        record_side_by_side(scratch, 200)
        own_cost(scratch, [int(x) for x in args.records.split(",")], args.record_max)
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
