"""Time the similarity step on a large class: STUDENTS students x every notebook (1,000 x 5 by
default), read from their notebooks as `python -m autograder similarity` reads them.

The class comes from the corpus of tests/similarity_corpus/: honest students (one of the
independently written bodies per function, each student's own habits and names; with four bodies
per function, many of a thousand students share whole cells), and one student in twenty hands in
a disguised copy of another's. Building the class is not timed; the step is, as a whole (reading and fingerprinting
every notebook, the index, the pairs; then the pages and CSV files). It prints the
machine's core count and load average.

    python benchmarks/similarity_class.py [--students 1000]
"""

import argparse
import json
import os
import pathlib
import random
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import similarity_corpus as corpus  # noqa: E402
from autograder.course import NOTEBOOKS, assignment_ids  # noqa: E402
from autograder.grading.similarity import analyse, output  # noqa: E402
from autograder.grading.similarity.compare import Options  # noqa: E402


def build_class(folder, students):
    """Write the class; return the number of notebooks and of planted copies."""
    notebooks = copies = 0
    for assignment in assignment_ids():
        rng = random.Random(assignment)
        honest = corpus.honest_class(assignment, count=students, seed=1, spread=False)
        names = sorted(honest)
        base = json.loads((NOTEBOOKS / assignment / f"{assignment}.ipynb").read_text())
        for number, name in enumerate(names):
            answers = honest[name]
            if number % 20 == 19:
                source = honest[rng.choice(names[:number])]
                answers = corpus.disguise(source, rng.choice(corpus.DISGUISES), rng)
                copies += 1
            cells = [dict(c, source=answers[c["metadata"]["nbgrader"]["grade_id"]])
                     if c["metadata"].get("nbgrader", {}).get("grade_id") in answers else c
                     for c in base["cells"]]
            target = folder / name / assignment
            target.mkdir(parents=True, exist_ok=True)
            (target / f"{assignment}.ipynb").write_text(json.dumps(dict(base, cells=cells)))
            notebooks += 1
    return notebooks, copies


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        started = time.perf_counter()
        notebooks, copies = build_class(tmp / "submissions", args.students)
        print(f"built {notebooks} notebooks ({copies} disguised copies) in "
              f"{time.perf_counter() - started:.0f} s (not part of the timing)")
        load = os.getloadavg()[0]
        quiet = open(os.devnull, "w")
        started = time.perf_counter()
        outcomes, _ = analyse(tmp / "submissions", quiet)
        analysing = time.perf_counter() - started
        started = time.perf_counter()
        output.write(tmp / "work", outcomes, Options())
        writing = time.perf_counter() - started
        whole = analysing + writing
        pairs = sum(len(o.pairs) for o in outcomes)
        found = sum(1 for o in outcomes for m in o.pairs if m.score >= Options().threshold)
        print(f"cores: {os.cpu_count()}, load average before {load:.1f}, after "
              f"{os.getloadavg()[0]:.1f}")
        print(f"similarity of {args.students} students x {len(outcomes)} notebooks "
              f"({notebooks} notebooks): {whole:.1f} s in all")
        print(f"  reading, fingerprinting and comparing: {analysing:.1f} s; writing the CSV "
              f"files and {pairs + sum(len(o.reference) for o in outcomes)} pages: {writing:.1f} s")
        print(f"  pairs at or above the threshold: {found}; fingerprints compared through the "
              f"index, never all {len(outcomes) * args.students * (args.students - 1) // 2:,} "
              f"pairs of texts")


if __name__ == "__main__":
    main()
