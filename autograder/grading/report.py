"""The class report: one HTML page of what the class got, per student and per exercise.

An instructor opens report.html first to see who needs attention and which mistakes are common:

- a table with one row per student and one column per assignment (score out of its maximum,
  or why it was not graded), sortable by any column with a click;
- per assignment, the score distribution and, per graded cell, the full-marks rate and the most
  frequent mistakes. Messages on random inputs differ only in their numbers, so failures are
  grouped by the message with its numbers masked, and each group shows one real message whole
  (numbers and hint included) and the students who made it.

The markup is templates/class_report/report.html.j2, rendered by Jinja2 with autoescape: everything
a student could influence (ids, messages) is escaped, and the page carries a
Content-Security-Policy that lets only its own sorting script run and loads nothing.

The page is readable by everyone (WCAG 2.1 AA, checked with axe-core in
tests/test_accessibility.py): one <main>, tables with a caption and scoped header cells, column
headings that are buttons saying how the table is sorted (aria-sort), and at 320 px nothing
scrolls sideways but a table in a box of its own, which the keyboard reaches; images shrink.
"""

import base64
import collections
import hashlib
import io
import pathlib
import re

import jinja2
import matplotlib
import nbformat
from markupsafe import Markup

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the non-interactive backend)
from matplotlib.ticker import MaxNLocator  # noqa: E402

from autograder.course import SOLUTIONS, assignment_ids  # noqa: E402
from autograder.scoring.preprocessors import NameTestCells  # noqa: E402

from .safe_html import content_security_policy  # noqa: E402
from .similarity import report_section as similarity_section  # noqa: E402

# The page's markup and style: templates/class_report/report.html.j2, every value escaped
# (autoescape). Its script stays here: the page's policy names the script's hash.
TEMPLATE = "report.html.j2"
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(pathlib.Path(__file__).parent / "templates" / "class_report"),
    autoescape=True, undefined=jinja2.StrictUndefined)

TOP_MISTAKES = 3
STUDENTS_LISTED = 8

# Sorts the table whose column heading's button was pressed: numbers numerically, blanks last,
# text as text; the heading's aria-sort says the order, the others' say "none".
SORT_SCRIPT = """
document.querySelectorAll("table.sortable thead th").forEach(function (th, column) {
  th.querySelector("button").addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var down = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", down ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    function key(row) { return row.cells[column].getAttribute("data-sort") || ""; }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return down ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""
_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode()).digest()).decode()


def write_report(path, results):
    """Write report.html from the stored results (one dict per submission, as results/ holds)."""
    by_assignment = collections.defaultdict(list)
    for result in results:
        by_assignment[result["assignment"]].append(result)
    assignments = sorted(by_assignment)
    sections = []
    for assignment in assignments:
        group = by_assignment[assignment]
        graded = [r for r in group if r["cells"]]
        sections.append({"assignment": assignment, "submissions": len(group),
                         "histogram": _histogram(assignment, graded) if graded else None,
                         "rows": _cell_rows(group, exercise_names(assignment))})
    page = _TEMPLATES.get_template(TEMPLATE).render(
        policy=Markup(content_security_policy([_SCRIPT_HASH])), script=Markup(SORT_SCRIPT),
        assignments=assignments, students=_student_rows(results, assignments), sections=sections,
        students_listed=STUDENTS_LISTED, similarity=Markup(similarity_section(path.parent)))
    path.write_text(page)


def score_of(result):
    """(score, maximum) of one stored result."""
    cells = result["cells"].values()
    return sum(c["score"] or 0 for c in cells), sum(c["max_score"] for c in cells)


def _student_rows(results, assignments):
    """[{id, cells, total, total_max}] in student order; cells: per assignment, None if not
    handed in, else {score, maximum, status (None when graded)}; numbers formatted as shown."""
    by_student = collections.defaultdict(dict)
    for result in results:
        by_student[result["student_id"]][result["assignment"]] = result
    rows = []
    for student, done in sorted(by_student.items()):
        cells, total, total_max = [], 0, 0
        for assignment in assignments:
            result = done.get(assignment)
            if result is None:
                cells.append(None)
                continue
            score, maximum = score_of(result)
            total, total_max = total + score, total_max + maximum
            status = None if result.get("status") == "graded" else str(result.get("status"))
            cells.append({"score": f"{score:g}", "maximum": f"{maximum:g}", "status": status})
        rows.append({"id": student, "cells": cells, "total": f"{total:g}",
                     "total_max": f"{total_max:g}"})
    return rows


def exercise_names(assignment):
    """{grade id: "Exercise N: function"} of an assignment, in the notebook's order ({} if unknown)."""
    if assignment not in assignment_ids():
        return {}
    nb = nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)
    nb, _ = NameTestCells().preprocess(nb, {})
    return {cell.metadata.nbgrader.grade_id: cell.metadata.exercise
            for cell in nb.cells if "exercise" in cell.metadata}


def _cell_rows(group, names):
    """Per graded cell (in the notebook's order): {cell, exercise (None if unknown), full,
    entries, percent, mistakes: [{example, students}] (the most frequent TOP_MISTAKES)}."""
    order = list(names)
    rows = []
    for cell in sorted({name for r in group for name in r["cells"]},
                       key=lambda name: (order.index(name) if name in order else len(order), name)):
        entries = [(r["student_id"], r["cells"][cell]) for r in group if cell in r["cells"]]
        full = sum(e["score"] is not None and e["score"] >= e["max_score"] for _, e in entries)
        mistakes = frequent_mistakes((student, e.get("message", "")) for student, e in entries)
        rows.append({"cell": cell, "exercise": names.get(cell), "full": full,
                     "entries": len(entries), "percent": f"{100 * full / len(entries):.0f}",
                     "mistakes": [{"example": example, "students": students}
                                  for example, students in mistakes[:TOP_MISTAKES]]})
    return rows


def mistake_key(message):
    """What repeats across students making one mistake: the message with its numbers masked."""
    return re.sub(r"(?<![\w.])-?\d+(\.\d+)?(e[-+]?\d+)?", "#", " ".join(message.split()))


def frequent_mistakes(messages):
    """[(an example message, [students])] for (student, message) pairs, the most frequent first.

    Messages that differ only in their numbers are one mistake; its example is the message most
    students got word for word (the first in student order on a tie). Empty messages are skipped.
    """
    groups = collections.defaultdict(list)
    for student, message in messages:
        if message and message.strip():
            groups[mistake_key(message)].append((student, message.strip()))
    found = []
    for members in groups.values():
        members.sort()
        example = collections.Counter(text for _, text in members).most_common(1)[0][0]
        found.append((example, [student for student, _ in members]))
    return sorted(found, key=lambda item: (-len(item[1]), item[0]))


def _histogram(assignment, group):
    """The PNG (base64) of the score distribution of an assignment's graded submissions."""
    scores = [score_of(r)[0] for r in group]
    maximum = max(score_of(r)[1] for r in group)
    fig, ax = plt.subplots(figsize=(6, 2.6), layout="constrained")
    ax.hist(scores, bins=range(0, int(maximum) + 2), color="tab:blue", edgecolor="white",
            align="left")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole students only
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"score (out of {maximum:g})")
    ax.set_ylabel("students")
    ax.set_title(f"{assignment}: score distribution")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()
