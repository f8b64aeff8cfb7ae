"""The feedback exporter of grading workers: with sanitising and MathML off it reads back as exactly
nbconvert's HTMLExporter page; by default it runs and loads nothing a student wrote."""

import base64
import re

import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory

from autograder.grading import feedback, safe_html
from autograder.grading.colours import (AA_CONTRAST, CODE_BACKGROUND, contrast, highlight_css,
                                        readable)
from autograder.scoring.preprocessors import NameTestCells, NumberCellsInOrder
from autograder.grading.feedback import (MAX_REMEMBERED_SOURCE, MISSING_ALT, FeedbackExporter,
                                         MemoryBytecodeCache, RenderedCells, accessible,
                                         readable_ansi2html, scroll_boxes)

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()

# HTML a student's output may hold, where a tag scanner that is not an HTML tokenizer goes wrong.
TRICKY_HTML = ('<img src="a.png" alt="kept"><img src="b.png"/><img alt src="c.png">'
               '<img src="d.png" title="a>b \' alt=no"><!-- <img src="e.png"> -->'
               '<script>var s = "<img src=\'f.png\'>";</script>'
               '<div class="jp-OutputArea-output" tabindex="-1" title="x>y">x</div>')


def outputs_notebook():
    """Markdown, code, and every kind of output a graded notebook shows."""
    return new_notebook(cells=[
        new_markdown_cell("# Shapes\n\n$W^{[l]}$ has shape $(n^{[l]}, n^{[l-1]})$ & more <b>bold</b>."),
        new_code_cell("print('hi')\nx = 1 / 0", outputs=[
            new_output("stream", name="stdout", text="hi\n"),
            new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                       traceback=["\x1b[31mZeroDivisionError\x1b[39m: division by zero"])]),
        new_code_cell("show()", outputs=[
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
            new_output("display_data", data={"text/html": TRICKY_HTML}),
            new_output("execute_result", execution_count=3, data={"text/plain": "array([1, 2])"})]),
    ], metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})


# FeedbackExporter's own additions off: what is left must be exactly nbconvert's page.
AS_STOCK = {"sanitize_html": False, "offline_math": False, "accessible_pages": False}


def nbgrader_feedback_config():
    """The HTMLExporter settings nbgrader's generate_feedback uses (its 'feedback' template)."""
    return GenerateFeedback(coursedir=CourseDirectory()).config


def grades():
    """The resources nbgrader's GetGrades hands the feedback template."""
    return {"nbgrader": {"notebook": "01_notation", "score": 3, "max_score": 10,
                         "late_penalty": 0}}


def render(exporter_class, nb, **settings):
    resources = grades() if "config" in settings else None
    if exporter_class is FeedbackExporter:
        settings = {**AS_STOCK, **settings}
    return exporter_class(**settings).from_notebook_node(nb, resources)[0]


@pytest.mark.parametrize("settings", [{"template_name": "lab"},
                                      {"config": nbgrader_feedback_config()}],
                         ids=["lab template", "nbgrader feedback template"])
def test_page_reads_back_as_the_stock_page(settings):
    nb = outputs_notebook()
    stock = render(HTMLExporter, nb, **settings)
    ours = render(FeedbackExporter, nb, **settings)
    assert str(BeautifulSoup(ours, features="html.parser")) == stock
    # the figure, b.png and d.png get the text; a.png and c.png have an alt; e and f are no tags
    assert ours.count(MISSING_ALT) == stock.count(MISSING_ALT) == 3
    assert ours.count('tabindex="0"') == stock.count('tabindex="0"')


def test_tabindex_only_inside_the_notebook_element():
    lab = render(FeedbackExporter, outputs_notebook(), template_name="lab")
    assert lab.count('tabindex="0"') > 4 and 'tabindex="-1" title' not in lab
    classic = render(FeedbackExporter, outputs_notebook(), config=nbgrader_feedback_config())
    assert 'tabindex="0"' not in classic and 'tabindex="-1" title="x>y"' in classic


def test_accessible_leaves_a_page_without_images_or_notebook_untouched():
    page = '<div class="jp-OutputArea-output" title="a>b">x</div><p>no images</p>'
    assert accessible(page) is page


def test_remembered_cells_are_told_apart_by_their_source():
    feedback.RENDERED_CELLS.clear()
    first = outputs_notebook()
    render(FeedbackExporter, first, template_name="lab")
    assert len(feedback.RENDERED_CELLS) >= 3  # the markdown cell and both code cells
    second = outputs_notebook()
    second.cells[0].source = "# Other shapes\n\n$b^{[l]}$ is a column."
    second.cells[1].source = "print('bye')"
    stock = render(HTMLExporter, second, template_name="lab")
    ours = render(FeedbackExporter, second, template_name="lab")
    assert str(BeautifulSoup(ours, features="html.parser")) == stock
    assert "Other shapes" in ours and "bye" in ours and "Shapes</h1>" not in ours


def test_rendered_cells_render_once_keep_the_newest_and_skip_long_sources():
    cells, calls = RenderedCells(size=2), []

    def rendering(text):
        return lambda: calls.append(text) or f"<p>{text}</p>"

    assert cells.get("md", "a", rendering("a")) == "<p>a</p>"
    assert cells.get("md", "a", rendering("a")) == "<p>a</p>"
    assert cells.get("code", "a", rendering("a as code")) == "<p>a as code</p>"
    assert calls == ["a", "a as code"]
    cells.get("md", "b", rendering("b"))  # over size 2: the oldest ("md", "a") goes
    cells.get("md", "a", rendering("a"))
    assert calls == ["a", "a as code", "b", "a"] and len(cells) == 2
    long = "x" * (MAX_REMEMBERED_SOURCE + 1)
    cells.get("md", long, rendering("long"))
    cells.get("md", long, rendering("long"))
    assert calls[-2:] == ["long", "long"] and len(cells) == 2


def test_templates_are_compiled_once_per_process(monkeypatch):
    class CountingCache(MemoryBytecodeCache):
        def __init__(self):
            super().__init__()
            self.compiled = 0

        def dump_bytecode(self, bucket):  # Jinja calls it only after compiling a template
            self.compiled += 1
            super().dump_bytecode(bucket)

    cache = CountingCache()
    monkeypatch.setattr(feedback, "COMPILED_TEMPLATES", cache)
    nb = outputs_notebook()
    first = render(FeedbackExporter, nb, template_name="lab")
    compiled = cache.compiled
    assert compiled > 0
    second = render(FeedbackExporter, nb, template_name="lab")
    assert second == first and cache.compiled == compiled


def test_accessible_sets_the_attributes_as_nbconvert_does():
    page = ('<body class="jp-Notebook">'
            '<div class="jp-Cell-inputWrapper">a</div>'
            '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain">b</div>'
            '<div class="jp-OutputArea-output" tabindex=-1 id="c">c</div>'
            '<div class="jp-OutputArea-outputs">d</div>'
            '<div class="jp-OutputArea-output" tabindex="0">e</div>'
            '<img src="x.png"><img src="y.png" alt="y"><IMG SRC="z.png"/></body>'
            '<div class="jp-Cell-inputWrapper">outside</div>')
    assert accessible(page) == (
        '<body class="jp-Notebook">'
        '<div class="jp-Cell-inputWrapper" tabindex="0">a</div>'
        '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain" '
        'tabindex="0">b</div>'
        '<div class="jp-OutputArea-output" tabindex="0" id="c">c</div>'
        '<div class="jp-OutputArea-outputs">d</div>'
        '<div class="jp-OutputArea-output" tabindex="0">e</div>'
        f'<img src="x.png" alt="{MISSING_ALT}"><img src="y.png" alt="y">'
        f'<img src="z.png" alt="{MISSING_ALT}" /></body>'
        '<div class="jp-Cell-inputWrapper">outside</div>')


# --- the course's page: safe to open, maths written out, exercises named ------------------------

def course_exporter():
    """FeedbackExporter as nbgrader's generate_feedback makes it under the course configuration."""
    from autograder.course import nbgrader_config

    config = nbgrader_config()
    return FeedbackExporter(config=GenerateFeedback(coursedir=CourseDirectory(),
                                                    config=config).config)


def hostile_notebook():
    return new_notebook(cells=[
        new_markdown_cell("### Exercise 1: `relu` (2 points)\n\n$z^{[l]}$ and $$\\frac{a}{b}$$"
                          "<script>alert(1)</script><img src=x onerror=alert(2)>"
                          "![pixel](https://attacker.invalid/p.png)"),
        new_code_cell("show()", execution_count=7, outputs=[
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
            new_output("display_data", data={"text/html": TRICKY_HTML + "<b onclick=x>b</b>"}),
            new_output("display_data", data={"application/javascript": "alert(3)",
                                             "text/plain": "<js>"}),
            new_output("display_data", data={"text/html": "<p>isolated</p>"},
                       metadata={"text/html": {"isolated": True}}),
            new_output("execute_result", execution_count=7, data={"text/plain": "1"})]),
    ], metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})


def grade_cell_metadata(cell, grade_id):
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "grade_id": grade_id, "points": 2, "score": 1,
                                 "schema_version": 3}
    return cell


def test_course_page_runs_and_loads_nothing_a_student_wrote():
    nb = hostile_notebook()
    stock = render(FeedbackExporter, nb, config=nbgrader_feedback_config())
    assert "<script>alert(1)</script>" in stock and "alert(3)" in stock and "cdnjs" in stock
    assert "<iframe" in stock
    page = course_exporter().from_notebook_node(nb, grades())[0]
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all("script") == [] and "alert(" not in page and "cdnjs" not in page
    assert soup.find_all("iframe") == [] and "<p>isolated</p>" in page
    assert not [(t.name, a) for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    assert [img["src"][:15] for img in soup.find_all("img") if img.get("src")] == \
        ["data:image/png;"]  # the figure; the tracker and x lost their sources
    assert soup.head.find(True)["http-equiv"] == "Content-Security-Policy"
    inline, block = soup.find_all("math")
    assert inline["display"] == "inline" and [m.text for m in inline.find_all("mi")] == ["z", "l"]
    assert block["display"] == "block" and block.find("mfrac")
    assert "$" not in soup.select_one("div.text_cell_render").get_text()


def test_exercises_are_named_and_cells_numbered_in_order():
    nb = new_notebook(cells=[
        new_markdown_cell("Intro\n\n### Exercise 1: `layer_shapes` (2 points)\nText"),
        new_code_cell("a", execution_count=3),
        grade_cell_metadata(new_code_cell("check(a)", execution_count=9, outputs=[
            new_output("error", ename="E", evalue="v",
                       traceback=["\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[3]\x1b[39m, "
                                  "line 1", "Cell In[99], line 2"])]), "test_a"),
        new_markdown_cell("#### Exercise 2: `count` (1 point)"),
        new_code_cell("b"),  # never run
        grade_cell_metadata(new_code_cell("check(b)", execution_count=12, outputs=[
            new_output("execute_result", execution_count=12, data={"text/plain": "1"})]),
                            "test_b"),
    ])
    nb, _ = NameTestCells().preprocess(nb, {})
    nb, _ = NumberCellsInOrder().preprocess(nb, {})
    assert [c.metadata.get("exercise") for c in nb.cells] == [
        None, None, "Exercise 1: layer_shapes", None, None, "Exercise 2: count"]
    assert [c.get("execution_count") for c in nb.cells if c.cell_type == "code"] == \
        [1, 2, None, 3]
    assert nb.cells[5].outputs[0].execution_count == 3
    assert nb.cells[2].outputs[0].traceback == [
        "\x1b[36mCell\x1b[39m\x1b[36m \x1b[39m\x1b[32mIn[1]\x1b[39m, line 1",
        "Cell In[99], line 2"]  # a cell that is not in the notebook keeps its number
    page = course_exporter().from_notebook_node(nb, grades())[0]
    soup = BeautifulSoup(page, "html.parser")
    assert [(a["href"], a.text) for a in soup.select("#toc a")] == [
        ("#test_a", "Exercise 1: layer_shapes"), ("#test_b", "Exercise 2: count")]
    assert [label.text for label in soup.select(".nbgrader-label")] == [
        "Tests of Exercise 1: layer_shapes", "Tests of Exercise 2: count"]
    assert soup.find(id="test_a") and soup.find(id="test_b")  # where the summary's links go


# --- pages everyone can read (the browser checks: tests/test_accessibility.py) ------------------

def test_each_formula_carries_its_tex_through_the_sanitiser():
    tex = r'\frac{a}{b} < c \quad \text{"quoted" & more}'
    rendered = safe_html.clean(safe_html.mathml(f"  {tex} ", display=True))
    formula = BeautifulSoup(rendered, "html.parser").math
    assert formula["alttext"] == tex and formula["display"] == "block" and formula.find("mfrac")
    assert "<code>" in safe_html.mathml(r"\frac{a}{")  # what does not convert stays text


def test_wide_maths_and_tables_get_boxes_of_their_own():
    short, long = safe_html.mathml("x^2"), safe_html.mathml(r"a + b + c + d + e + f + g + h + i + j + k")
    display = safe_html.mathml("y", display=True)
    table = ("<table><thead><tr><th>a</th><th scope=\"row\">b</th></tr></thead>"
             "<tbody><tr><th>c</th><td>d</td></tr></tbody></table>")
    soup = BeautifulSoup(scroll_boxes(f"<p>{short} and {long}</p>{display}{table}"), "html.parser")
    boxes = soup.select(".scroll-box")
    assert [(box.name, box["aria-label"], box["tabindex"], box["role"]) for box in boxes] == [
        ("span", "Equation", "0", "group"), ("div", "Equation", "0", "group"),
        ("div", "Table", "0", "group")]
    assert boxes[0].math["alttext"] == "a + b + c + d + e + f + g + h + i + j + k"
    assert soup.p.find("math", recursive=False)["alttext"] == "x^2"  # short: not in a box
    assert [th.get("scope") for th in soup.find_all("th")] == ["col", "row", "row"]


def test_code_colours_are_made_readable_and_only_those():
    assert readable("#008000") == "#008000"  # Pygments' keywords: 4.8:1 already
    darker = readable("#3D7B7B")  # its comments: 4.46:1 on CODE_BACKGROUND
    assert darker != "#3d7b7b" and AA_CONTRAST <= contrast(darker, CODE_BACKGROUND) < 4.8
    rules = highlight_css()
    assert ".highlight .c1 { color: " + darker + " }" in rules and ".highlight .k " not in rules
    assert all(contrast(rule.split("color: ")[1][:7], CODE_BACKGROUND) >= AA_CONTRAST
               for rule in rules.splitlines())
    traceback = readable_ansi2html("\x1b[38;5;66mCell\x1b[0m \x1b[1;38;5;28mIn[3]\x1b[0m")
    colours = re.findall(r"color: (#[0-9a-f]{6})", traceback)
    assert len(colours) == 2 and all(contrast(c, CODE_BACKGROUND) >= AA_CONTRAST for c in colours)
    with pytest.raises(ValueError, match="not a colour: 'teal'"):
        readable("teal")


def test_course_page_has_language_one_main_and_the_summary_in_it():
    page = course_exporter().from_notebook_node(hostile_notebook(), grades())[0]
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html["lang"] == "en" and len(soup.find_all("main")) == 1
    assert len(soup.find_all("body")) == 1
    assert "01_notation (Score: 3.0 / 10.0)" in soup.main.h1.get_text()
    assert soup.main.select_one("#notebook div.text_cell_render")
    assert all(formula.get("alttext") for formula in soup.find_all("math"))
