"""Where the test suite's time goes: CPU seconds and wall seconds of each test, summed per file.

    .venv/bin/python benchmarks/suite_cpu.py [pytest arguments]   # default: -n auto (the README's)

Runs pytest with this file as a plugin (`-p suite_cpu`, in every xdist worker too). For each test
the plugin adds the CPU time of its test process and of the children that process reaped during the
test (getrusage: kernels, grading runs, servers), set-up and teardown included, so a session-scoped
fixture counts against the first test that uses it. Children reaped later (a browser or a cluster
kept for the session) count where they end; processes whose parent ended first (Python's fork
server, left to end by itself) count in the run's total only (this process is their subreaper).
Prints the run's wall time and CPU, the files by CPU, and the slowest tests, with the machine's
core count: two cores cannot run N seconds of CPU in less than N / 2 seconds, whatever the
scheduling.
"""

import collections
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

REPORT = "SUITE_CPU_REPORT"  # the file each test worker appends its lines to


def _cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _plugin():
    import pytest

    class Plugin:
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item, nextitem):
            cpu, wall, start = _cpu_seconds(), time.monotonic(), time.time()
            yield
            line = {"id": item.nodeid, "cpu": _cpu_seconds() - cpu,
                    "wall": time.monotonic() - wall, "start": start,
                    "worker": os.environ.get("PYTEST_XDIST_WORKER", "main")}
            with open(os.environ[REPORT], "a") as out:
                out.write(json.dumps(line) + "\n")

    return Plugin()


def pytest_configure(config):
    if os.environ.get(REPORT):
        config.pluginmanager.register(_plugin(), "suite_cpu_timer")


def _adopt_orphans():
    """Make this process the child subreaper of what it starts (Linux prctl), so that processes
    whose parent ended first (a fork server left to end by itself, a daemon) are reaped here and
    their CPU counted in the run's total rather than lost to init."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _reap_orphans(seconds=30):
    """Wait (at most `seconds`) for the orphans adopted during the run; their CPU then counts."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.1)


def main(arguments):
    repo = pathlib.Path(__file__).resolve().parents[1]
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as report:
        env = {**os.environ, REPORT: report.name,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(pathlib.Path(__file__).parent),
                                                           os.environ.get("PYTHONPATH")]))}
        _adopt_orphans()
        started, before, epoch = time.monotonic(), os.times(), time.time()
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "suite_cpu", "-q",
                              *(arguments or ["-n", "auto"])], cwd=repo, env=env)
        wall = time.monotonic() - started
        _reap_orphans()
        after = os.times()
        tests = [json.loads(line) for line in report]
    cpu = (after.children_user + after.children_system
           - before.children_user - before.children_system)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"\n{len(tests)} tests on {cores} cores: {wall:.0f} s of wall time, {cpu:.0f} s of CPU "
          f"(at least {cpu / cores:.0f} s of wall time on {cores} cores)")
    by_file = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for test in tests:
        totals = by_file[test["id"].split("::")[0]]
        totals[0] += test["cpu"]
        totals[1] += test["wall"]
        totals[2] += 1
    print(f"\n{'CPU s':>8} {'wall s':>8} {'tests':>6}  file (the tests' own sums)")
    for name, (cpu_s, wall_s, count) in sorted(by_file.items(), key=lambda kv: -kv[1][0])[:25]:
        print(f"{cpu_s:8.1f} {wall_s:8.1f} {count:6d}  {name}")
    print(f"\n{'CPU s':>8} {'wall s':>8}  slowest tests by CPU")
    for test in sorted(tests, key=lambda t: -t["cpu"])[:15]:
        print(f"{test['cpu']:8.1f} {test['wall']:8.1f}  {test['id']}")
    _print_workers(tests, epoch)
    return run.returncode


def _print_workers(tests, epoch):
    """Each test worker's busy time and when it ran out of tests (seconds from the start), and
    the tests that were still running in the last fifth of the run: the suite's critical path."""
    workers = collections.defaultdict(list)
    for test in tests:
        workers[test["worker"]].append(test)
    end = max(t["start"] + t["wall"] for t in tests) - epoch
    print(f"\n{'worker':>8} {'tests':>6} {'busy s':>8} {'done at s':>10}")
    for name, own in sorted(workers.items()):
        done = max(t["start"] + t["wall"] for t in own) - epoch
        print(f"{name:>8} {len(own):6d} {sum(t['wall'] for t in own):8.0f} {done:10.0f}")
    print(f"\n{'from s':>8} {'wall s':>8} {'worker':>8}  tests running in the last fifth of the run")
    for test in sorted(tests, key=lambda t: t["start"]):
        if test["start"] + test["wall"] - epoch > 0.8 * end and test["wall"] > 1:
            print(f"{test['start'] - epoch:8.0f} {test['wall']:8.1f} {test['worker']:>8}  {test['id']}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
