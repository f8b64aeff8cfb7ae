"""Run every solution notebook in a fresh kernel, in full and as nbgrader's autograde would
(NBGRADER_EXECUTION=autograde, which shortens the training demonstrations), and print wall times
and the kernel's own CPU time (user + system, which a busy machine does not inflate much).

    python benchmarks/notebook_times.py [--repeats 3] [ID ...]

The course's target: every notebook at most 5 s on one core (`taskset -c 0` to pin it).
"""

import argparse
import os
import resource
import statistics
import time

import nbformat
from nbclient import NotebookClient

from autograder.course import SOLUTIONS, assignment_ids


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_seconds(path, autograde):
    """(wall, cpu) seconds of one top-to-bottom run, kernel start included; cpu is the kernel's."""
    nb = nbformat.read(path, as_version=4)
    previous = os.environ.pop("NBGRADER_EXECUTION", None)
    if autograde:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        cpu_before = _children_cpu()
        started = time.perf_counter()
        NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
        wall = time.perf_counter() - started
        return wall, _children_cpu() - cpu_before
    finally:
        os.environ.pop("NBGRADER_EXECUTION", None)
        if previous is not None:
            os.environ["NBGRADER_EXECUTION"] = previous


def _median_pair(runs):
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("ids", nargs="*", help="assignments (default: all)")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.2f}; "
          f"median of {args.repeats} runs, kernel start included")
    print(f"{'notebook':<26}{'full wall':>10}{'full cpu':>10}{'autograde wall':>16}{'cpu':>8}")
    for assignment in args.ids or assignment_ids():
        path = SOLUTIONS / assignment / f"{assignment}.ipynb"
        full = _median_pair([run_seconds(path, False) for _ in range(args.repeats)])
        short = _median_pair([run_seconds(path, True) for _ in range(args.repeats)])
        print(f"{assignment:<26}{full[0]:>9.1f}s{full[1]:>9.1f}s{short[0]:>15.1f}s{short[1]:>7.1f}s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
