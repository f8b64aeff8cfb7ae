"""A graded class's outputs: grades.csv, cells.csv, problems.csv and report.html, from the
results and the class gradebook (docs/architecture.md, stage 7)."""

from .class_gradebook import with_gradebook_scores
from .report import write_report
from .spreadsheet import SpreadsheetSafeWriter


def write_outputs(workdir, results, problems, db_url=None):
    """grades.csv, cells.csv, problems.csv and report.html.

    Scores, manual-grading flags and comments come from the class gradebook at db_url (so what an
    instructor graded by hand appears), messages, status and problems from the stored results.
    problems: discovery's problems; None keeps problems.csv as it is.
    Returns the results as written (with the gradebook's scores).
    """
    if db_url is not None:
        results = with_gradebook_scores(results, db_url)
    with open(workdir / "grades.csv", "w", newline="") as f:
        out = SpreadsheetSafeWriter(f)
        out.writerow(["student_id", "assignment", "score", "max_score", "status",
                      "needs_manual_grade"])
        for r in results:
            score = sum(c["score"] or 0 for c in r["cells"].values())
            total = sum(c["max_score"] for c in r["cells"].values())
            waiting = sorted(name for name, c in r["cells"].items() if c.get("needs_manual_grade"))
            out.writerow([r["student_id"], r["assignment"], f"{score:g}", f"{total:g}",
                          r["status"], " ".join(waiting)])
    with open(workdir / "cells.csv", "w", newline="") as f:
        out = SpreadsheetSafeWriter(f)
        out.writerow(["student_id", "assignment", "cell", "score", "max_score", "message",
                      "comment"])
        for r in results:
            for name, c in sorted(r["cells"].items()):
                score = "" if c["score"] is None else f"{c['score']:g}"
                out.writerow([r["student_id"], r["assignment"], name, score,
                              f"{c['max_score']:g}", c.get("message", "").splitlines()[0]
                              if c.get("message") else "", c.get("comment", "")])
    if problems is not None:  # None: keep the problems.csv of the last grading run
        rows = [(p["student_id"], p["assignment"], p["problem"]) for p in problems]
        rows += [(r["student_id"], r["assignment"], text) for r in results
                 for text in r["problems"]]
        with open(workdir / "problems.csv", "w", newline="") as f:
            out = SpreadsheetSafeWriter(f)
            out.writerow(["student_id", "assignment", "problem"])
            out.writerows(sorted(set(rows)))
    write_report(workdir / "report.html", results)
    return results
