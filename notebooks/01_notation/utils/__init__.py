"""Helpers the course notebooks import: teaching checks, stored expected values, figures."""

from .checks import CheckError, check, check_raises, passed
from .expected import check_expected, expected, keeps_inputs, uses
from .plotting import draw_network, draw_pipeline
from .raised import watch_check_cells

watch_check_cells()

__all__ = ["CheckError", "check", "check_raises", "passed", "check_expected", "expected",
           "keeps_inputs", "uses", "draw_network", "draw_pipeline"]
