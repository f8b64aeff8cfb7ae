"""Run every solution notebook in a fresh kernel, in full and as nbgrader's autograde would
(NBGRADER_EXECUTION=autograde, which shortens the training demonstrations), and print wall times.

    python benchmarks/notebook_times.py [--repeats 3]
"""

import argparse
import os
import statistics
import time

import nbformat
from nbclient import NotebookClient

from autograder.course import SOLUTIONS, assignment_ids


def run_seconds(path, autograde):
    """Wall time of one top-to-bottom run, kernel start included."""
    nb = nbformat.read(path, as_version=4)
    previous = os.environ.pop("NBGRADER_EXECUTION", None)
    if autograde:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        started = time.perf_counter()
        NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
        return time.perf_counter() - started
    finally:
        os.environ.pop("NBGRADER_EXECUTION", None)
        if previous is not None:
            os.environ["NBGRADER_EXECUTION"] = previous


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; median of {args.repeats} runs, kernel start included")
    print(f"{'notebook':<26}{'full':>9}{'autograde':>11}")
    for assignment in assignment_ids():
        path = SOLUTIONS / assignment / f"{assignment}.ipynb"
        full = statistics.median(run_seconds(path, False) for _ in range(args.repeats))
        short = statistics.median(run_seconds(path, True) for _ in range(args.repeats))
        print(f"{assignment:<26}{full:>8.1f}s{short:>10.1f}s")


if __name__ == "__main__":
    main()
