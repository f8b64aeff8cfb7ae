"""The course's prose keeps to the conventions it states: indices count from 0, d-symbols keep
one meaning. Fast: reads the notebooks, runs nothing."""

import re

from autograder.judge import hidden_checks
from notebook_parts import cells_by_id, nbgrader_meta, release, solution_code, source

# A sum, product or list of examples, units or paths that starts at 1, e.g. \sum_{i=1}^{m} or
# x^{(1)} ... x^{(m)}: the course counts every index from 0, in the maths as in the code.
ONE_BASED = re.compile(r"_\{\s*[ijk]\s*=\s*1\s*\}|\^\{\(m\)\}|g_\{k\s*\+\s*1\}")
# Notebook 02 once said "d□ means ∂J/∂□", which holds for dW and db but not for dA and dZ.
D_MEANS_DJ = re.compile(r"d\\square\$? means")


def prose(nb):
    """The markdown cells a student reads, without answer cells (those are the student's text)."""
    return [(i, c.source) for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and not nbgrader_meta(c).get("solution", False)]


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
        last_graded = max(i for i, c in enumerate(cells) if nbgrader_meta(c).get("grade"))
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
    assert not any(nbgrader_meta(c).get("grade") for c in cells[going:])


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
