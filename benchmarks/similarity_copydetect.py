"""The anchor: copydetect (PyPI, MOSS-style winnowing over pygments tokens) on the same corpus.

For each notebook of tests/similarity_corpus/, every student's solution cells are written to one
.py file (copydetect compares files), the release's solution cells are its boilerplate, and
copydetect compares every file with every other. A pair's score is the larger of its two
similarities (the share of the smaller file found in the other), as copydetect's report ranks
them. Printed per notebook: the lowest score of a plagiarised pair, the highest of an honest
pair, how many honest pairs score at least that lowest plagiarised one, and the time; then the
same figures for the project's own similarity step on the same notebooks.

copydetect is not one of the project's requirements: `pip install copydetect==0.5.0` first.

    python benchmarks/similarity_copydetect.py [--noise 25] [--guarantee 25]
"""

import argparse
import os
import pathlib
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import similarity_corpus as corpus  # noqa: E402
from autograder.course import assignment_ids  # noqa: E402
from autograder.grading.similarity import run  # noqa: E402
from autograder.grading.similarity.source import release_cells  # noqa: E402


def figures(scores, pairs):
    copied = [scores.get(p, 0.0) for p in pairs]
    honest = [s for p, s in scores.items() if p not in pairs]
    low = min(copied)
    return low, max(honest), sum(s >= low for s in honest)


def main():
    try:
        from copydetect import CopyDetector
    except ImportError:
        sys.exit("copydetect is not installed: pip install copydetect==0.5.0")
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--noise", type=int, default=25, help="copydetect's noise threshold")
    parser.add_argument("--guarantee", type=int, default=25,
                        help="copydetect's guarantee threshold")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    print("notebook: lowest plagiarised / highest honest / honest pairs at or above the lowest "
          "plagiarised, seconds")
    for assignment in assignment_ids():
        students, pairs, _ = corpus.build(assignment)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            files = tmp / "files"
            files.mkdir()
            for student, answers in students.items():
                (files / f"{student}.py").write_text("\n\n".join(answers.values()))
            (tmp / "boilerplate").mkdir()
            (tmp / "boilerplate" / "release.py").write_text(
                "\n\n".join(release_cells(assignment).values()))
            started = time.perf_counter()
            detector = CopyDetector(test_dirs=[str(files)], ref_dirs=[str(files)],
                                    boilerplate_dirs=[str(tmp / "boilerplate")],
                                    extensions=["py"], noise_t=args.noise,
                                    guarantee_t=args.guarantee, display_t=0.0, silent=True,
                                    autoopen=False)
            detector.run()
            theirs = time.perf_counter() - started
            names = [pathlib.Path(f).stem for f in detector.test_files]
            refs = [pathlib.Path(f).stem for f in detector.ref_files]
            scores = {}
            for i, a in enumerate(names):
                for j, b in enumerate(refs):
                    if a < b:
                        scores[a, b] = float(max(detector.similarity_matrix[i, j]))
            low, high, above = figures(scores, pairs)
            corpus.hand_in(tmp / "submissions", assignment, students)
            started = time.perf_counter()
            outcomes, _ = run(tmp / "submissions", tmp / "work", open(os.devnull, "w"))
            ours = time.perf_counter() - started
            mine = {(a, b): s for s, a, b in outcomes[0].scores}
            low2, high2, above2 = figures(mine, pairs)
        print(f"{assignment}: copydetect {low:.2f} / {high:.2f} / {above}, {theirs:.1f} s;  "
              f"this project {low2:.2f} / {high2:.2f} / {above2}, {ours:.1f} s")


if __name__ == "__main__":
    main()
