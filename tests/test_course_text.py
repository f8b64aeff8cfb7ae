"""The course's prose keeps to the conventions it states: indices count from 0, d-symbols keep
one meaning. Fast: reads the notebooks, runs nothing."""

import re

from autograder.scoring.judge import hidden_checks
from autograder.course.nbgrader_cells import is_grade, is_solution
from notebook_parts import SOLUTION_REGION, cells_by_id, release, solution_code, source

# A sum, product or list of examples, units or paths that starts at 1, e.g. \sum_{i=1}^{m} or
# x^{(1)} ... x^{(m)}: the course counts every index from 0, in the maths as in the code.
ONE_BASED = re.compile(r"_\{\s*[ijk]\s*=\s*1\s*\}|\^\{\(m\)\}|g_\{k\s*\+\s*1\}")
# Notebook 02 once said "d□ means ∂J/∂□", which holds for dW and db but not for dA and dZ.
D_MEANS_DJ = re.compile(r"d\\square\$? means")


def prose(nb):
    """The markdown cells a student reads, without answer cells (those are the student's text)."""
    return [(i, c.source) for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and not is_solution(c)]


def test_indices_count_from_zero(assignment_id):
    for nb in (source(assignment_id), release(assignment_id)):
        for index, text in prose(nb):
            found = ONE_BASED.findall(text)
            assert not found, (f"{assignment_id} cell {index} counts from 1 ({found}); the course counts "
                               f"examples, units and paths from 0: write \\sum_{{i=0}}^{{m-1}}")


def test_d_symbols_keep_one_meaning(assignment_id):
    for index, text in prose(source(assignment_id)):
        assert not D_MEANS_DJ.search(text), (
            f"{assignment_id} cell {index}: dA and dZ are m times dJ/dA and dJ/dZ; only dW and db "
            f"are the gradients of J")


def _cells(assignment_id):
    return source(assignment_id).cells


def test_05_does_not_restate_04s_hand_graded_answer():
    """04's written exercise derives dW and explains the notes' dw = dz a; 05 uses the result only."""
    for cell in _cells("05_deep_backprop"):
        for phrase in ("dZ @ A_prev / m", "dz^{[l]} a^{[l-1]}", "m = n^{[l-1]}", "m = n_prev"):
            assert phrase not in cell.source, (phrase, cell.source[:80])


def test_05_per_group_check_uses_no_function_copies():
    text = "\n".join(c.source for c in _cells("05_deep_backprop"))
    assert "FunctionType" not in text and "__code__" not in text and "globals()" not in text


def test_numerics_come_after_the_main_line():
    """02's float64 analysis of the sigmoid and 03's saturation demo are optional sections after
    the last graded cell, so forward propagation and the gradient come first."""
    for assignment_id, marker in (("02_forward_propagation", "np.tanh(z / 2.0)"),
                                  ("03_logistic_regression", "z = np.array([[-1000.0, -40.0")):
        cells = _cells(assignment_id)
        last_graded = max(i for i, c in enumerate(cells) if is_grade(c))
        going = [i for i, c in enumerate(cells) if c.source.startswith("## Going further (optional)")]
        numerics = [i for i, c in enumerate(cells) if marker in c.source]
        assert going and numerics and last_graded < going[0] < numerics[0], assignment_id


def test_03_learning_rate_text_names_the_computed_rates():
    cells = _cells("03_logistic_regression")
    code = next(c.source for c in cells if c.source.startswith("n_rate_demo"))
    rates = re.search(r"rates = \(([^)]*)\)", code).group(1)
    names = [f"{float(r):g}" for r in rates.split(",")]
    index = next(i for i, c in enumerate(cells) if c.source.startswith("n_rate_demo"))
    before, after = cells[index - 1].source, cells[index + 1].source
    for name, regime in zip(names, ("Too small", "Good", "Oscillating", "Diverging")):
        assert name in before and f"**{regime} ({name})**" in after, (name, regime)
    assert "assert small" in code and "assert wobbly" in code and "assert wild" in code


def test_pipeline_figure_draws_both_passes():
    import matplotlib
    matplotlib.use("Agg")
    from utils import draw_pipeline

    ax = draw_pipeline(3)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("RELU") == 2 and texts.count("SIGMOID") == 1
    assert sum(t.startswith("LINEAR\nbackward") for t in texts) == 3
    assert "cache 3\n((A2, W3, b3), Z3)" in texts and "dA0" in texts


def test_02_graded_sigmoid_is_the_formula_and_float64_is_optional():
    """02's main line asks for 1 / (1 + exp(-z)) on inputs of ordinary size; overflow and relative
    precision belong to the optional stable_sigmoid, after the summary, checked but not graded."""
    cells = _cells("02_forward_propagation")
    by_id = cells_by_id(source("02_forward_propagation"))
    going = next(i for i, c in enumerate(cells) if c.source.startswith("## Going further (optional)"))
    main = [c.source for c in cells[:going] if c.cell_type == "markdown"]
    main += [by_id["sigmoid"].source, by_id["test_sigmoid"].source]
    for word in ("errstate", "np.where", "denormal", "atol=0", "-|z|", "e^{-|z|}"):
        assert not [text for text in main if word in text], word
    assert not [text for text in main if "overflow" in text and "*Going further*" not in text]
    hidden = hidden_checks("02_forward_propagation")["test_sigmoid"]
    assert "errstate" not in hidden and "atol=0" not in hidden and "-50.0, 50.0" in hidden
    assert solution_code(by_id["sigmoid"]).strip().endswith("return 1.0 / (1.0 + np.exp(-Z))")
    stable = cells.index(by_id["stable_sigmoid"])
    assert going < stable and 'passed("stable_sigmoid")' in cells[stable + 1].source
    assert not any(is_grade(c) for c in cells[going:])


def test_05_counts_what_the_backward_pass_costs():
    """05 states the backward pass's cost as a count it asserts (2 Σ n[l] n[l-1] m multiply-adds,
    twice the forward pass), not as a timing ratio that flips from run to run, nor as "the sum of
    the layer sizes"."""
    cells = _cells("05_deep_backprop")
    text = "\n".join(c.source for c in cells)
    assert "sum* of the layer sizes" not in text and "sum of the layer sizes" not in text
    assert "perf_counter" not in text
    code = next(c.source for c in cells if "def multiply_adds(" in c.source)
    assert "backward_count == 2 * forward_count" in code
    assert "numerical_count == parameter_count * backward_count" in code


# Calls that draw: any pyplot call but those that only configure or close, and the drawing
# functions of utils.plotting. A cell that makes one shows a figure (the inline backend shows
# every open figure at the end of the cell, with or without plt.show()).
NOT_DRAWING = {"close", "ion", "ioff", "rc", "rc_context", "NullFormatter", "FuncFormatter"}
PLOTTING_HELPERS = {"draw_network", "draw_pipeline"}
# A markdown image, ![alt](address) or ![alt][reference], and an HTML image tag.
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\s*[(\[]")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
HTML_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def draws_a_figure(code):
    """True if the code cell calls pyplot to draw (plt.subplots, plt.show, ...) or a course figure."""
    import ast

    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
                and function.value.id == "plt" and function.attr not in NOT_DRAWING):
            return True
        if isinstance(function, ast.Name) and function.id in PLOTTING_HELPERS:
            return True
    return False


def test_figure_rule_recognises_drawing_cells():
    assert draws_a_figure("fig, ax = plt.subplots()\nax.plot([1, 2])")
    assert draws_a_figure("draw_network([2, 1])")
    assert draws_a_figure("import matplotlib.pyplot as plt\nplt.show()")
    assert not draws_a_figure("import matplotlib.pyplot as plt\nx = 1")
    assert not draws_a_figure("plt.close('all')")
    assert not draws_a_figure("ax_count = 3  # plt.show() in a comment draws nothing")


def test_every_figure_is_described_in_words(assignment_id):
    """Each cell that draws is followed by a markdown cell starting "**Figure:**", which says what
    the figure shows and what to notice, for readers who cannot see it (WCAG 1.1.1)."""
    cells = source(assignment_id).cells
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or not draws_a_figure(solution_code(cell)):
            continue
        after = cells[index + 1] if index + 1 < len(cells) else None
        described = (after is not None and after.cell_type == "markdown"
                     and after.source.startswith("**Figure:**"))
        assert described, (
            f"{assignment_id} cell {index} draws a figure; the next cell must be markdown starting "
            f"with **Figure:** and a sentence saying what it shows and what to notice:\n"
            f"{cell.source[:200]}")
        sentence = after.source.split("\n\n")[0][len("**Figure:**"):].strip()
        assert len(sentence) >= 60 and sentence.endswith("."), (
            f"{assignment_id} cell {index + 1}: the figure's description is too short: {sentence!r}")


def test_markdown_images_have_alt_text(assignment_id):
    for nb in (source(assignment_id), release(assignment_id)):
        for index, text in prose(nb):
            for alt in MARKDOWN_IMAGE.findall(text):
                assert alt.strip(), f"{assignment_id} cell {index}: an image without alt text"
            for tag in HTML_IMAGE.findall(text):
                alt = HTML_ALT.search(tag)
                assert alt and alt.group(2).strip(), f"{assignment_id} cell {index}: {tag} has no alt"


def test_image_rule_finds_missing_alt_text():
    assert MARKDOWN_IMAGE.findall("see ![](network.png) and ![a network](n.png)") == ["", "a network"]
    assert HTML_ALT.search('<img src="a.png" alt="two layers">').group(2) == "two layers"
    assert HTML_ALT.search('<img src="a.png">') is None


def test_grading_guides_are_current_and_hold_the_model_answer(assignment_id):
    """docs/rubrics/<id>.md is generated from the answer cells graded by hand (formgrader never
    shows the source's model answer): current, with the model answer and a case per partial
    answer, and none of it in the release."""
    from autograder.course import rubric

    assert rubric.is_current(assignment_id), "run `python -m autograder release`"
    answers = [c for c in source(assignment_id).cells if rubric.hand_graded(c)]
    if not answers:
        assert not rubric.path_of(assignment_id).exists()
        return
    page = rubric.path_of(assignment_id).read_text()
    released = "\n".join(c.source for c in release(assignment_id).cells)
    for cell in answers:
        model = SOLUTION_REGION.search(cell.source).group(1).strip()
        assert model in page and "**Rubric" in model
        assert not ONE_BASED.findall(model), "the model answer counts from 0, like the course"
        for paragraph in model.split("\n\n"):
            assert paragraph not in released


def test_04s_rubric_has_a_case_for_every_expected_partial_answer():
    from autograder.course import rubric

    page = rubric.render("04_chain_rule")
    model = page.split("### Model answer and rubric", 1)[1]
    for case in ("the dz convention", "$\\frac{1}{m^2}$", "no $\\frac{1}{m}$", "missing transpose",
                 "without the shape argument", "paths miscounted", "a single path"):
        assert case in model, case
    # the derivation asks for what notebook 03 does not show: a hidden layer's weights
    text_03 = "\n".join(c.source for c in source("03_logistic_regression").cells)
    for step in ("A^{[l-2]", "dZ^{[l-1]}", "W^{[l-1]}"):
        assert step in page and step not in text_03, step


def test_breast_cancer_data_is_scikit_learns():
    """utils.data reads the file that scikit-learn installs (importing scikit-learn would cost
    notebook 03 more than a second) and must give exactly what scikit-learn's loader gives."""
    import numpy as np
    from sklearn.datasets import load_breast_cancer

    from utils.data import breast_cancer

    ours, theirs = breast_cancer(), load_breast_cancer()
    assert ours.data.dtype == theirs.data.dtype and np.array_equal(ours.data, theirs.data)
    assert ours.target.dtype == theirs.target.dtype and np.array_equal(ours.target, theirs.target)
    assert list(ours.feature_names) == list(theirs.feature_names)
    setup = cells_by_id(source("03_logistic_regression"))["setup"].source
    assert "sklearn" not in setup and "from utils.data import breast_cancer" in setup
