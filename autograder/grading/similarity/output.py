"""What the similarity step writes into the work directory, and report.html's section.

    similarity.csv                        the pairs at or above the threshold, most alike first,
                                          then the students whose code is the reference's
    similarity/clusters.csv               groups of three or more linked students
    similarity/summary.json               all of it as data, which report.html's section reads
    similarity/<assignment>/pair-N.html   pair N side by side, matched lines marked
    similarity/<assignment>/reference-N.html   a student beside the reference solution

The pages and the section are rendered from Jinja2 templates in templates/class_report/
(side_by_side.html.j2, similarity_section.html.j2) with autoescape, so student code and ids are
shown as escaped text only; every page carries the feedback pages' Content-Security-Policy with
no script allowed at all.
"""

import dataclasses
import json
import pathlib
import shutil

import jinja2
from markupsafe import Markup

from autograder.grading.safe_html import content_security_policy

FOLDER = "similarity"
CSV = "similarity.csv"
# One Environment for report.html's section and the side-by-side pages: every value is escaped.
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(pathlib.Path(__file__).parents[1] / "templates" / "class_report"),
    autoescape=True, undefined=jinja2.StrictUndefined)
_SECTION = _TEMPLATES.get_template("similarity_section.html.j2")
_SIDE_BY_SIDE = _TEMPLATES.get_template("side_by_side.html.j2")
REFERENCE = "reference solution"


def line_ranges(ranges):
    """'cell 3-7, 9; other 2' from [(cell, first, last)] (in cell order)."""
    by_cell = {}
    for cell, first, last in ranges:
        by_cell.setdefault(cell, []).append(str(first) if first == last else f"{first}-{last}")
    return "; ".join(f"{cell} {', '.join(spans)}" for cell, spans in by_cell.items())


def write(workdir, outcomes, options):
    """Write every output above for [Outcome]; the folder of an earlier run is replaced."""
    from autograder.grading.spreadsheet import SpreadsheetSafeWriter

    folder = workdir / FOLDER
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    pairs = sorted((m for o in outcomes for m in o.pairs), key=lambda m: (-m.score, m.assignment,
                                                                         m.a, m.b))
    reference = sorted((m for o in outcomes for m in o.reference),
                       key=lambda m: (-m.score, m.assignment, m.a))
    clusters = [{"name": name, "assignment": o.assignment, "students": students}
                for o in outcomes for name, students in o.clusters]
    summary = {"options": dataclasses.asdict(options),
               "assignments": {o.assignment: {"students": o.students, "pairs": len(o.pairs),
                                              "reference": len(o.reference)} for o in outcomes},
               "pairs": [], "reference": [], "clusters": clusters}
    for kind, matches in (("pair", pairs), ("reference", reference)):
        for rank, m in enumerate(matches, start=1):
            page = f"{FOLDER}/{m.assignment}/{kind}-{rank}.html"
            (workdir / page).parent.mkdir(parents=True, exist_ok=True)
            (workdir / page).write_text(side_by_side(m, rank))
            summary["pairs" if kind == "pair" else "reference"].append(
                {"rank": rank, "assignment": m.assignment, "a": m.a, "b": m.b, "score": m.score,
                 "shared": m.shared, "lines_a": line_ranges(m.lines_a),
                 "lines_b": line_ranges(m.lines_b), "cluster": m.cluster, "page": page})
    with open(workdir / CSV, "w", newline="") as f:
        out = SpreadsheetSafeWriter(f)
        out.writerow(["rank", "assignment", "kind", "student_a", "student_b", "score",
                      "matched_lines_a", "matched_lines_b", "cluster"])
        for kind in ("pairs", "reference"):
            for row in summary[kind]:
                out.writerow([row["rank"], row["assignment"], kind.rstrip("s"), row["a"],
                              row["b"] if row["b"] is not None else REFERENCE,
                              f"{row['score']:.3f}", row["lines_a"], row["lines_b"],
                              row["cluster"]])
    with open(folder / "clusters.csv", "w", newline="") as f:
        out = SpreadsheetSafeWriter(f)
        out.writerow(["assignment", "cluster", "size", "students"])
        for c in clusters:
            out.writerow([c["assignment"], c["name"], len(c["students"]), " ".join(c["students"])])
    (folder / "summary.json").write_text(json.dumps(summary, indent=1))


def side_by_side(m, rank):
    """The page of one Match: both texts, cell by cell, matched lines marked; from the Jinja2
    template templates/class_report/side_by_side.html.j2 (autoescape)."""
    b = REFERENCE if m.b is None else m.b
    return _SIDE_BY_SIDE.render(
        m=m, rank=rank, b=b, policy=Markup(content_security_policy()),
        lines_a=line_ranges(m.lines_a), lines_b=line_ranges(m.lines_b),
        sides=[("a", m.a, _numbered(m.cells_a, m.lines_a)),
               ("b", b, _numbered(m.cells_b, m.lines_b))])


def _numbered(cells, ranges):
    """[(cell, width of the largest line number, [(line number, line, marked)])] of
    [(cell, code)] (None: no cells) and the matched [(cell, first, last)]."""
    marked = {(cell, n) for cell, first, last in ranges for n in range(first, last + 1)}
    numbered = []
    for cell, code in cells or []:
        lines = code.splitlines() or [""]
        numbered.append((cell, len(str(len(lines))),
                         [(n, line, (cell, n) in marked) for n, line in enumerate(lines, start=1)]))
    return numbered


def report_section(workdir):
    """report.html's section from similarity/summary.json ('' if the class was never compared),
    from the Jinja2 template templates/class_report/similarity_section.html.j2 (autoescape)."""
    path = workdir / FOLDER / "summary.json"
    if not path.is_file():
        return ""
    summary = json.loads(path.read_text())
    compared = ", ".join(f"{a} ({v['students']} with code of their own)"
                         for a, v in sorted(summary["assignments"].items())) or "none"
    return _SECTION.render(options=summary["options"], pairs=summary["pairs"],
                           clusters=summary["clusters"], reference=summary["reference"],
                           compared=compared)
