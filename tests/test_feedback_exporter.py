"""The feedback exporter of grading workers reads back as exactly nbconvert's HTMLExporter page."""

import base64

from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.grading.feedback import (COMPILED_TEMPLATES, MISSING_ALT, RENDERED_CELLS,
                                         FeedbackExporter, accessible)

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


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
            new_output("display_data", data={"text/html": '<img src="a.png" alt="kept"><img src="b.png"/>'
                                                          '<div class="jp-OutputArea-output" tabindex="-1">x</div>'}),
            new_output("execute_result", execution_count=3, data={"text/plain": "array([1, 2])"})]),
    ], metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})


def test_page_reads_back_as_the_stock_page():
    nb = outputs_notebook()
    stock, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    ours, _ = FeedbackExporter(template_name="lab").from_notebook_node(nb)
    assert ours != stock  # not the same text: BeautifulSoup's rewriting is skipped
    assert str(BeautifulSoup(ours, features="html.parser")) == stock
    assert ours.count(f'alt="{MISSING_ALT}"') == 2 and 'alt="kept"' in ours
    assert ours.count('tabindex="0"') == stock.count('tabindex="0"') > 4


def test_remembered_cells_are_told_apart_by_their_source():
    first = outputs_notebook()
    FeedbackExporter(template_name="lab").from_notebook_node(first)
    assert RENDERED_CELLS._html  # the markdown and code cells are kept
    second = outputs_notebook()
    second.cells[0].source = "# Other shapes\n\n$b^{[l]}$ is a column."
    second.cells[1].source = "print('bye')"
    stock, _ = HTMLExporter(template_name="lab").from_notebook_node(second)
    ours, _ = FeedbackExporter(template_name="lab").from_notebook_node(second)
    assert str(BeautifulSoup(ours, features="html.parser")) == stock
    assert "Other shapes" in ours and "bye" in ours and "Shapes</h1>" not in ours


def test_templates_are_compiled_once_per_process():
    nb = outputs_notebook()
    first, _ = FeedbackExporter(template_name="lab").from_notebook_node(nb)
    compiled = dict(COMPILED_TEMPLATES._code)
    assert compiled  # the lab templates, compiled by the first exporter
    second, _ = FeedbackExporter(template_name="lab").from_notebook_node(nb)
    assert second == first
    assert COMPILED_TEMPLATES._code == compiled


def test_accessible_sets_the_attributes_as_nbconvert_does():
    page = ('<div class="jp-Cell-inputWrapper">a</div>'
            '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain">b</div>'
            '<div class="jp-OutputArea-output" tabindex=-1 id="c">c</div>'
            '<div class="jp-OutputArea-outputs">d</div>'
            '<div class=\'jp-Cell-inputWrapper\'>e</div>'
            '<img src="x.png"><img src="y.png" alt="y"><IMG SRC="z.png"/>')
    assert accessible(page) == (
        '<div class="jp-Cell-inputWrapper" tabindex="0">a</div>'
        '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain" tabindex="0">b</div>'
        '<div class="jp-OutputArea-output" tabindex="0" id="c">c</div>'
        '<div class="jp-OutputArea-outputs">d</div>'
        '<div class=\'jp-Cell-inputWrapper\' tabindex="0">e</div>'
        f'<img src="x.png" alt="{MISSING_ALT}"><img src="y.png" alt="y">'
        f'<IMG SRC="z.png" alt="{MISSING_ALT}"/>')
