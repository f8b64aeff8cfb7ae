"""What the similarity step writes into the work directory, and report.html's section.

    similarity.csv                        the pairs at or above the threshold, most alike first,
                                          then the students whose code is the reference's
    similarity/clusters.csv               groups of three or more linked students
    similarity/summary.json               all of it as data, which report.html's section reads
    similarity/<assignment>/pair-N.html   pair N side by side, matched lines marked
    similarity/<assignment>/reference-N.html   a student beside the reference solution

Student code and ids are shown as escaped text only; every page carries the feedback pages'
Content-Security-Policy with no script allowed at all.
"""

import dataclasses
import html
import json
import pathlib
import shutil

import jinja2

from autograder.grading.safe_html import content_security_policy

FOLDER = "similarity"
CSV = "similarity.csv"
_SECTION = jinja2.Environment(
    loader=jinja2.FileSystemLoader(pathlib.Path(__file__).parents[1] / "templates" / "class_report"),
    autoescape=True, undefined=jinja2.StrictUndefined).get_template("similarity_section.html.j2")
REFERENCE = "reference solution"


def _e(text):
    return html.escape(str(text), quote=True)


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


PAGE_STYLE = """
body{font-family:sans-serif;max-width:90em;margin:1em auto;padding:0 1em;color:#111}
a{color:#0645ad;text-decoration:underline}
table{border-collapse:collapse;margin:1em 0;width:100%;table-layout:fixed}
td,th{border:1px solid #767676;padding:.3em .6em;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
h1,h2,h3{overflow-wrap:anywhere}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.sides>section{min-width:0}
@media (max-width:50em){.sides{grid-template-columns:1fr}}
.code{overflow:auto;border:1px solid #767676;margin:.3em 0 1em}
.code:focus{outline:3px solid #0645ad}
pre{margin:0;padding:.3em;font-size:90%}
mark{background:#ffe08a;color:#111}
.ln{color:#4a4a4a}
"""


def side_by_side(m, rank):
    """The page of one Match: both texts, cell by cell, matched lines marked."""
    b = REFERENCE if m.b is None else m.b
    title = (f"{m.assignment}, pair {rank}: {m.a} and {b}" if m.b is not None
             else f"{m.assignment}: {m.a} and the reference solution")
    parts = ["<!DOCTYPE html>", "<html lang='en'><head>", content_security_policy(),
             "<meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             f"<title>{_e(title)}</title><style>{PAGE_STYLE}</style></head><body><main>",
             f"<h1>{_e(title)}</h1>",
             "<p><a href='../../report.html#similarity'>Back to the class report</a></p>",
             f"<p>Score {m.score:.3f} (1 means that all of the smaller text's distinctive code "
             f"is found in the other), from {m.shared} shared fingerprints. A high score is a "
             f"reason to read both texts, not a proof of copying.</p>",
             "<p>Lines that hold a fragment found in both texts are marked: highlighted, and "
             "with &raquo; after the line number. Code both were given by the release is never "
             "marked, nor code that many students wrote alike.</p>",
             "<table><caption>Matched lines, by exercise cell</caption><thead><tr>"
             f"<th scope='col'>{_e(m.a)}</th><th scope='col'>{_e(b)}</th></tr></thead><tbody>"
             f"<tr><td>{_e(line_ranges(m.lines_a)) or 'none'}</td>"
             f"<td>{_e(line_ranges(m.lines_b)) or 'none'}</td></tr></tbody></table>",
             "<div class='sides'>",
             _side(m.a, m.cells_a, m.lines_a, "a"), _side(b, m.cells_b, m.lines_b, "b"),
             "</div></main></body></html>"]
    return "\n".join(parts)


def _side(name, cells, ranges, key):
    marked = {(cell, n) for cell, first, last in ranges for n in range(first, last + 1)}
    out = [f"<section aria-labelledby='side-{key}'><h2 id='side-{key}'>{_e(name)}</h2>"]
    for cell, code in cells or []:
        lines = code.splitlines() or [""]
        width = len(str(len(lines)))
        rows = []
        for n, line in enumerate(lines, start=1):
            text = _e(line)
            if (cell, n) in marked:
                rows.append(f"<span class='ln'>{n:>{width}}&raquo;</span> <mark>{text}</mark>")
            else:
                rows.append(f"<span class='ln'>{n:>{width}} </span> {text}")
        out.append(f"<h3>{_e(cell)}</h3><div class='code' tabindex='0' role='group' "
                   f"aria-label='{_e(name)}: {_e(cell)}'><pre>{chr(10).join(rows)}</pre></div>")
    out.append("</section>")
    return "".join(out)


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
