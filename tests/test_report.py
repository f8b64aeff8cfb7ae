"""What the grader writes for people: CSV files a spreadsheet opens safely, a report.html that
shows each mistake whole, and feedback pages that run and load nothing a student wrote."""

import base64
import collections
import csv
import hashlib
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter

from autograder.grading.outputs import write_outputs
from autograder.grading.spreadsheet import neutral
from autograder.grading.job import SCRATCH_STUDENT
from autograder.grading.report import frequent_mistakes, write_report

from grading import read_csv
from submissions.markup import ATTACKER, FORMULA, ID

# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list), written here
# rather than taken from the grader, so that a character the grader forgot fails these tests.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TRANSPOSED = ("CheckError: A = f(X) has shape ({0}, {1}), expected ({1}, {0}).\n"
              "  The shape is transposed: examples are columns, so each column is one example.")


def result(student, cells, assignment="01_notation", status="graded", problems=()):
    """A stored result as results/ holds it; cells: {name: (score, max_score, message)}."""
    return {"student_id": student, "assignment": assignment, "status": status,
            "problems": list(problems),
            "cells": {name: {"score": score, "max_score": top, "needs_manual_grade": False,
                             **({"message": message} if message else {})}
                      for name, (score, top, message) in cells.items()}}


def all_fields(path):
    with open(path, newline="") as f:
        return [field for row in csv.reader(f) for field in row]


def test_neutral_quotes_what_a_spreadsheet_would_run():
    for start in FORMULA_STARTS:
        assert neutral(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"
    for safe in ["", "complete", "10", "0.5", "a=b", "NotImplementedError: x = -1", "'=quoted"]:
        assert neutral(safe) == safe


def test_every_csv_field_is_neutral(tmp_path):
    results = [
        result("=cmd|' /C calc'!A0", {"test_a": (0, 2, f"{FORMULA}: boom")}),
        result("@alice", {"test_a": (2, 2, None)}, problems=["-2+3 printed too much"]),
        result("+bob", {"test_a": (None, 2, "\tTab: starts with a tab")}),
    ]
    problems = [{"student_id": "\rcarol", "assignment": "01_notation", "problem": "=1+1 unknown"}]
    write_outputs(tmp_path, results, problems)
    for name in ("grades.csv", "cells.csv", "problems.csv"):
        fields = all_fields(tmp_path / name)
        assert not [f for f in fields if f.startswith(FORMULA_STARTS)], name
    cells = read_csv(tmp_path / "cells.csv")
    assert {r["student_id"] for r in cells} == {"'=cmd|' /C calc'!A0", "'@alice", "'+bob"}
    assert [r["message"] for r in cells if r["student_id"] == "'=cmd|' /C calc'!A0"] == \
        [f"'{FORMULA}: boom"]
    assert [r["message"] for r in cells if r["student_id"] == "'+bob"] == ["'\tTab: starts with a tab"]
    assert {(r["student_id"], r["problem"]) for r in read_csv(tmp_path / "problems.csv")} == \
        {("'\rcarol", "'=1+1 unknown"), ("'@alice", "'-2+3 printed too much")}
    assert {r["score"] for r in read_csv(tmp_path / "grades.csv")} == {"0", "2"}


def test_mistakes_are_grouped_by_their_words_and_shown_with_their_numbers():
    messages = [("s3", TRANSPOSED.format(2, 3)), ("s1", TRANSPOSED.format(2, 3)),
                ("s2", TRANSPOSED.format(5, 4)), ("s4", "NotImplementedError: "),
                ("s5", "CheckError: A = f(X) has 3 entries, expected 2."), ("s6", "")]
    found = frequent_mistakes(messages)
    assert found[0] == (TRANSPOSED.format(2, 3), ["s1", "s2", "s3"])
    assert sorted(found[1:]) == [("CheckError: A = f(X) has 3 entries, expected 2.", ["s5"]),
                                 ("NotImplementedError:", ["s4"])]


def test_report_lists_students_and_whole_messages_escaped(tmp_path):
    long_hint = "Hint: " + "a sentence of the diagnosis, " * 12 + "end."
    results = [
        result("zoe", {"test_a": (0, 2, TRANSPOSED.format(2, 3) + "\n  " + long_hint),
                       "test_b": (3, 3, None)}),
        result("adam", {"test_a": (0, 2, TRANSPOSED.format(7, 9)), "test_b": (1, 3, None)}),
        result("eve", {"test_a": (2, 2, None), "test_b": (0, 3,
                                                          "Boom: <script>window.pwned=1</script>")}),
        result("eve", {"test_c": (4, 4, None)}, assignment="02_forward_propagation"),
    ]
    path = tmp_path / "report.html"
    write_report(path, results)
    page = path.read_text()
    soup = BeautifulSoup(page, "html.parser")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all(["th", "td"])]
            for tr in soup.select("table#students tbody tr")]
    assert rows == [["adam", "1 / 5", "—", "1 / 5"], ["eve", "2 / 5", "4 / 4", "6 / 9"],
                    ["zoe", "3 / 5", "—", "3 / 5"]]
    headings = soup.select("table#students thead th")
    assert [th.get_text() for th in headings] == \
        ["student", "01_notation", "02_forward_propagation", "total"]
    # headings are buttons that say how the rows are sorted; row headings name the student
    assert [(th["scope"], th["aria-sort"], th.button["type"]) for th in headings] == \
        [("col", "ascending", "button")] + [("col", "none", "button")] * 3
    assert [th["scope"] for th in soup.select("table#students tbody th")] == ["row"] * 3
    assert [len(soup.find_all(tag)) for tag in ("main", "table", "caption")] == [1, 3, 3]
    assert all(th.get("scope") == "col" for th in soup.select("table.exercises th"))
    assert all(box.table and box["tabindex"] == "0" and box["role"] == "group" and
               box["aria-label"] == box.table.caption.get_text()
               for box in soup.select("div.scroll-box"))
    messages = [pre.get_text() for pre in soup.select("pre.message")]
    assert TRANSPOSED.format(2, 3) + "\n  " + long_hint in messages  # whole, numbers kept
    assert "Boom: <script>window.pwned=1</script>" in messages  # shown as text ...
    assert "<script>window" not in page  # ... never as markup
    scripts = soup.find_all("script")
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].string.encode()).digest()).decode()
    policy = soup.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_report_escapes_markup_and_quotes_in_ids_and_messages(tmp_path):
    student = 'x"><script>window.pwned=2</script>'
    message = 'Boom: "quoted" <script>window.pwned=3</script> & more'
    write_report(tmp_path / "report.html", [result(student, {"test_a": (0, 2, message)})])
    page = (tmp_path / "report.html").read_text()
    assert "<script>window" not in page and 'x">' not in page
    assert "&lt;script&gt;window.pwned=2" in page and "&lt;script&gt;window.pwned=3" in page
    soup = BeautifulSoup(page, "html.parser")
    row = soup.select_one("table#students tbody th")
    assert (row.get_text(), row["data-sort"]) == (student, student)  # whole, as text
    assert [pre.get_text() for pre in soup.select("pre.message")] == [message]
    assert soup.select_one("div.students").get_text() == student
    assert len(soup.find_all("script")) == 1


# --- a class graded through the command line (tests/submissions/markup.py) ----------------------

def page_of(workdir, student):
    return workdir / "feedback" / student / ID / f"{ID}.html"


@pytest.mark.slow
@pytest.mark.xdist_group("markup_class")
def test_markup_class_gets_exact_scores(markup_class):
    workdir, expected, _ = markup_class
    scores = collections.Counter()
    for row in read_csv(workdir / "grades.csv"):
        scores[row["student_id"]] += float(row["score"])
    assert scores == {neutral(student): score for student, score in expected.items()}


@pytest.mark.slow
@pytest.mark.xdist_group("markup_class")
def test_csv_files_of_a_graded_class_are_neutral(markup_class):
    workdir, _, _ = markup_class
    for name in ("grades.csv", "cells.csv", "problems.csv"):
        assert not [f for f in all_fields(workdir / name) if f.startswith(FORMULA_STARTS)], name
    message = next(r["message"] for r in read_csv(workdir / "cells.csv")
                   if r["student_id"] == "'@formula" and r["cell"] == "test_stack_examples")
    # the student's formula travels as text, after the grader's own words ("... raised =...")
    assert f"raised {FORMULA}: <script>" in message and not message.startswith(FORMULA_STARTS)


UNSAFE_TAGS = {"script", "iframe", "object", "embed", "form", "link", "base", "frame", "input"}


def executable_markup(page):
    """What in `page` could run or fetch: unsafe tags, handlers, script URLs, remote sources."""
    soup = BeautifulSoup(page, "html.parser")
    found = [f"<{tag.name}>" for tag in soup.find_all(UNSAFE_TAGS)]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") or "javascript:" in value.lower() or ATTACKER in value:
                found.append(f"<{tag.name} {name}={value[:60]!r}>")
        if tag.name == "img" and not tag.get("src", "data:image/").startswith("data:image/"):
            found.append(f"<img src={tag['src'][:60]!r}>")
        if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
            found.append("<meta refresh>")
    found += [f"<style> {ATTACKER}" for style in soup.find_all("style") if ATTACKER in style.text]
    return found


def stock_page(workdir, student):
    """The page nbconvert's HTMLExporter makes, with its defaults, of the same graded notebook."""
    course = workdir / "jobs" / student / ID / "course"
    nb = nbformat.read(course / "autograded" / SCRATCH_STUDENT / ID / f"{ID}.ipynb", as_version=4)
    return HTMLExporter(template_name="classic").from_notebook_node(nb)[0]


@pytest.mark.slow
@pytest.mark.xdist_group("markup_class")
def test_feedback_pages_run_and_load_nothing_a_student_wrote(markup_class):
    workdir, expected, _ = markup_class
    # The attack, on the page stock nbgrader makes of the same notebook: it would run and fetch.
    stock = stock_page(workdir, "markup")
    assert "<script>window.pwned = 1</script>" in stock and "window.pwned = 8" in stock
    assert len(executable_markup(stock)) >= 10
    for student in expected:
        page = page_of(workdir, student).read_text()
        assert executable_markup(page) == [], student
        head = BeautifulSoup(page, "html.parser").head
        first = head.find(True)
        assert first.name == "meta" and first["http-equiv"] == "Content-Security-Policy"
        assert "default-src 'none'" in first["content"] and "script-src" not in first["content"]
        assert "cdnjs" not in page and "mathjax.js" not in page.lower()
    markup = page_of(workdir, "markup").read_text()
    assert "bold" in markup and "My notes" in markup  # the harmless part is kept


@pytest.mark.slow
@pytest.mark.xdist_group("markup_class")
def test_feedback_page_names_exercises_numbers_cells_and_writes_maths(markup_class):
    workdir, _, _ = markup_class
    soup = BeautifulSoup(page_of(workdir, "partial").read_text(), "html.parser")
    assert [a.get_text() for a in soup.select("#toc a")] == [
        "Exercise 1: layer_shapes", "Exercise 2: stack_examples", "Exercise 3: count_parameters",
        "Exercise 4: initialize_parameters"]
    assert "Test cell" not in soup.select_one("#toc").get_text()
    prompts = [re.sub(r"\s", "", div.get_text()) for div in soup.select("div.input_prompt")]
    numbers = [int(n) for n in re.findall(r"In\[(\d+)\]", "".join(prompts))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 10
    # a traceback names the cell by the number its prompt shows
    error = next(div for div in soup.select("div.output_error")
                 if "initialize_parameters(network" in div.get_text())
    cell = error.find_parent("div", class_="code_cell")
    prompt = re.sub(r"\s", "", cell.select_one("div.input_prompt").get_text()).rstrip(":")
    assert f"Cell {prompt}," in error.get_text().replace("\xa0", " ")
    text = " ".join(div.get_text() for div in soup.select("div.text_cell_render"))
    assert "$" not in text and "\\frac" not in text
    assert len(soup.find_all("math")) > 20
    markup = BeautifulSoup(page_of(workdir, "markup").read_text(), "html.parser")
    sigmoid = [m for m in markup.find_all("math") if "σ" in m.get_text()]
    assert sigmoid and sigmoid[0].find("mfrac") and sigmoid[0]["display"] == "inline"
    assert [m for m in markup.find_all("math", display="block") if m.find("msup")]
    # the whole message, hint included, in the page
    assert "has shape (2, 3), expected (3, 2)" in soup.get_text()


@pytest.mark.slow
@pytest.mark.xdist_group("markup_class")
def test_report_of_a_graded_class(markup_class):
    workdir, expected, _ = markup_class
    page = (workdir / "report.html").read_text()
    soup = BeautifulSoup(page, "html.parser")
    rows = {tr.th.get_text(): tr.find_all("td")[-1].get_text()
            for tr in soup.select("table#students tbody tr")}
    maxima = collections.Counter()
    for row in read_csv(workdir / "grades.csv"):
        maxima[row["student_id"].lstrip("'")] += float(row["max_score"])
    assert set(maxima.values()) == {10, 24}  # 01 alone, or 01 and 04
    assert rows == {student: f"{score:g} / {maxima[student]:g}"
                    for student, score in expected.items()}
    messages = [pre.get_text() for pre in soup.select("pre.message")]
    transposed = next(m for m in messages if "has shape (2, 3), expected (3, 2)" in m)
    assert "transposed" in transposed.split("\n", 1)[1]  # the diagnosis, on its own line
    assert any(f"raised {FORMULA}: <script>window.pwned = 10</script>" in m for m in messages)
    assert len(soup.find_all("script")) == 1 and "window.pwned" not in str(soup.script)
    exercises = [td.get_text(" ") for td in soup.select(
        f"table.exercises[data-assignment='{ID}'] tbody td:first-child")]
    assert exercises == ["Exercise 1: layer_shapes test_layer_shapes",
                         "Exercise 2: stack_examples test_stack_examples",
                         "Exercise 3: count_parameters test_count_parameters",
                         "Exercise 4: initialize_parameters test_initialize_parameters"]
