"""The course's prose keeps to the conventions it states: indices count from 0, d-symbols keep
one meaning. Fast: reads the notebooks, runs nothing."""

import re

from notebook_parts import nbgrader_meta, release, source

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
