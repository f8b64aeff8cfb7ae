"""The class report: one HTML page of what the class got, per student and per exercise.

An instructor opens report.html first to see who needs attention and which mistakes are common:

- a table with one row per student and one column per assignment (score out of its maximum,
  or why it was not graded), sortable by any column with a click;
- per assignment, the score distribution and, per graded cell, the full-marks rate and the most
  frequent mistakes. Messages on random inputs differ only in their numbers, so failures are
  grouped by the message with its numbers masked, and each group shows one real message whole
  (numbers and hint included) and the students who made it.

Everything a student could influence (ids, messages) is escaped, and the page carries a
Content-Security-Policy that lets only its own sorting script run and loads nothing.

The page is readable by everyone (WCAG 2.1 AA, checked with axe-core in
tests/test_accessibility.py): one <main>, tables with a caption and scoped header cells, column
headings that are buttons saying how the table is sorted (aria-sort), and at 320 px nothing
scrolls sideways but a table in a box of its own, which the keyboard reaches; images shrink.
"""

import base64
import collections
import hashlib
import html
import io
import re

import matplotlib
import nbformat

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the non-interactive backend)
from matplotlib.ticker import MaxNLocator  # noqa: E402

from autograder.course import SOLUTIONS, assignment_ids  # noqa: E402
from autograder.scoring.preprocessors import NameTestCells  # noqa: E402

from .safe_html import content_security_policy  # noqa: E402
from .similarity import report_section as similarity_section  # noqa: E402

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

STYLE = """
body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;color:#1a1a1a;background:#fff}
table{border-collapse:collapse;margin:1em 0}
caption{text-align:left;font-weight:bold;padding:.3em 0}
td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}
table.sortable thead th{background:#f4f4f4}
table.sortable th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;
  text-decoration:underline;text-align:left}
table.sortable th[aria-sort=ascending] button::after{content:" \\25B2"}
table.sortable th[aria-sort=descending] button::after{content:" \\25BC"}
td.number{text-align:right;font-variant-numeric:tabular-nums}
pre.message{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2em 0;font-size:90%}
.students{color:#555;font-size:90%}
div.scroll-box{max-width:100%;overflow-x:auto}
div.scroll-box:focus{outline:2px solid #1a4f8a;outline-offset:1px}
img{max-width:100%;height:auto}
@media print{body{color:#000;background:#fff}div.scroll-box{overflow:visible}}
"""


def scroll_box(name, content):
    """`content` in a box that scrolls sideways on its own where it is wider than the page;
    the keyboard reaches it, and it is named `name`."""
    return (f"<div class='scroll-box' tabindex='0' role='group' aria-label='{_e(name)}'>"
            f"{content}</div>")


def write_report(path, results):
    """Write report.html from the stored results (one dict per submission, as results/ holds)."""
    by_assignment = collections.defaultdict(list)
    for result in results:
        by_assignment[result["assignment"]].append(result)
    parts = ["<!DOCTYPE html>", "<html lang='en'><head>", content_security_policy([_SCRIPT_HASH]),
             "<meta charset='utf-8'><title>Class report</title>",
             f"<style>{STYLE}</style></head><body><main>", "<h1>Class report</h1>",
             _student_table(results, sorted(by_assignment))]
    for assignment, group in sorted(by_assignment.items()):
        parts.append(f"<h2 id='{_e(assignment)}'>{_e(assignment)} ({len(group)} submissions)</h2>")
        graded = [r for r in group if r["cells"]]
        if graded:
            parts.append(_histogram(assignment, graded))
        parts.append(_cell_table(assignment, group, exercise_names(assignment)))
    parts.append(similarity_section(path.parent))
    parts.append(f"</main><script>{SORT_SCRIPT}</script></body></html>")
    path.write_text("\n".join(parts))


def _e(text):
    return html.escape(str(text), quote=True)


def score_of(result):
    """(score, maximum) of one stored result."""
    cells = result["cells"].values()
    return sum(c["score"] or 0 for c in cells), sum(c["max_score"] for c in cells)


def _student_table(results, assignments):
    """One row per student, one column per assignment, then the total; sortable."""
    by_student = collections.defaultdict(dict)
    for result in results:
        by_student[result["student_id"]][result["assignment"]] = result
    head = "".join(_sortable_heading(a) for a in assignments)
    rows = []
    for student, done in sorted(by_student.items()):
        cells, total, total_max = [], 0, 0
        for assignment in assignments:
            result = done.get(assignment)
            if result is None:
                cells.append("<td data-sort=''>&mdash;</td>")
                continue
            score, maximum = score_of(result)
            total, total_max = total + score, total_max + maximum
            note = "" if result.get("status") == "graded" else f" ({_e(result.get('status'))})"
            cells.append(f"<td class='number' data-sort='{score:g}'>{score:g} / {maximum:g}"
                         f"{note}</td>")
        rows.append(f"<tr><th scope='row' data-sort='{_e(student)}'>{_e(student)}</th>"
                    f"{''.join(cells)}"
                    f"<td class='number' data-sort='{total:g}'>{total:g} / {total_max:g}</td></tr>")
    caption = "Score of each student per assignment, and in total"
    return ("<h2>Scores per student</h2><p>Press a column's heading to sort by it.</p>"
            + scroll_box(caption, "<table class='sortable' id='students'>"
                         f"<caption>{caption}</caption><thead><tr>"
                         f"{_sortable_heading('student', 'ascending')}"
                         f"{head}{_sortable_heading('total')}</tr></thead>"
                         f"<tbody>{''.join(rows)}</tbody></table>"))


def _sortable_heading(text, order="none"):
    """A column heading whose button sorts the table; aria-sort: how the rows are sorted by it."""
    return f"<th scope='col' aria-sort='{order}'><button type='button'>{_e(text)}</button></th>"


def exercise_names(assignment):
    """{grade id: "Exercise N: function"} of an assignment, in the notebook's order ({} if unknown)."""
    if assignment not in assignment_ids():
        return {}
    nb = nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)
    nb, _ = NameTestCells().preprocess(nb, {})
    return {cell.metadata.nbgrader.grade_id: cell.metadata.exercise
            for cell in nb.cells if "exercise" in cell.metadata}


def _cell_table(assignment, group, names):
    """Per graded cell (in the notebook's order): full-marks rate and most frequent mistakes."""
    order = list(names)
    rows = []
    for cell in sorted({name for r in group for name in r["cells"]},
                       key=lambda name: (order.index(name) if name in order else len(order), name)):
        entries = [(r["student_id"], r["cells"][cell]) for r in group if cell in r["cells"]]
        full = sum(e["score"] is not None and e["score"] >= e["max_score"] for _, e in entries)
        mistakes = frequent_mistakes((student, e.get("message", "")) for student, e in entries)
        listed = "".join(
            f"<div class='mistake'><b>{len(students)} &times;</b>"
            f"<pre class='message'>{_e(example)}</pre><div class='students'>"
            f"{_e(', '.join(students[:STUDENTS_LISTED]))}"
            f"{' and %d more' % (len(students) - STUDENTS_LISTED) if len(students) > STUDENTS_LISTED else ''}"
            "</div></div>"
            for example, students in mistakes[:TOP_MISTAKES])
        title = f"{_e(names[cell])}<br><code>{_e(cell)}</code>" if cell in names else _e(cell)
        rows.append(f"<tr><td>{title}</td>"
                    f"<td class='number'>{full}/{len(entries)} ({100 * full / len(entries):.0f}%)</td>"
                    f"<td>{listed}</td></tr>")
    caption = f"{assignment}: full marks and most frequent mistakes per exercise"
    return scroll_box(caption, f"<table class='exercises' data-assignment='{_e(assignment)}'>"
                      f"<caption>{_e(caption)}</caption><thead><tr>"
                      "<th scope='col'>exercise</th><th scope='col'>full marks</th>"
                      "<th scope='col'>most frequent mistakes</th></tr></thead>"
                      f"<tbody>{''.join(rows)}</tbody></table>")


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
    data = base64.b64encode(buffer.getvalue()).decode()
    return (f"<img alt='score distribution of {_e(assignment)}' "
            f"src='data:image/png;base64,{data}'>")
