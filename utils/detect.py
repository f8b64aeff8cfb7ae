"""Detectors that name a specific mistake from the values a check sees.

A guess drawn from the difference alone ("2 times the expected value", "a 1-D array was added to
a column") is right for the mistakes it was written for and misleading for others. A detector
knows one mistake of one function: from the call's inputs and the expected value it computes what
that mistake returns, and when the student's value is exactly that, it names the mistake instead.
Nothing here computes what a graded function must compute: a detector builds only the wrong value
(an entry-by-entry product where a matrix product belongs, the expected value with one term left
out, ...), from the inputs and the reference's value.

`check_call` is what `check_expected` uses, in the notebook and in the grader alike.
"""

import ast
import math

import numpy as np

from .checks import ATOL, RTOL, CheckError, check

__all__ = ["check_call", "diagnose", "DETECTORS"]

# graded function -> [detector(args, kwargs, got, want, part, again) -> sentence or None], where
# again(*args, **kwargs) calls the student's function once more (a detector may ask how its value
# changes with one input).
DETECTORS = {}


def detector(function):
    """Register the decorated function as a detector of a mistake in `function`."""
    def register(find):
        DETECTORS.setdefault(function, []).append(find)
        return find
    return register


def check_call(label, call, got, want, namespace, *, rtol=RTOL, atol=ATOL, hint=None):
    """check(label, got, want), where `got` is the value of the text `call` in `namespace`: when
    the values differ and a detector recognises the mistake, it is named instead of `hint` and of
    the guesses drawn from the difference alone."""
    __tracebackhide__ = True
    try:
        check(label, got, want, rtol=rtol, atol=atol, hint=hint)
    except CheckError:
        sentence = diagnose(call, namespace, got, want)
        if sentence is None:
            raise
        check(label, got, want, rtol=rtol, atol=atol, hint=sentence, advise=False)


def diagnose(call, namespace, got, want):
    """The sentence naming the mistake that gives `got` for the call written as `call`, or None.

    call: "f(arguments)" or "f(arguments)[i]"; the arguments are evaluated again in `namespace`
    (they are literals and generators in the checks, never a student's function).
    """
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError:
        return None
    part = None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        node, part = node.value, node.slice.value
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in DETECTORS):
        return None
    try:
        args = [_value(a, namespace) for a in node.args]
        kwargs = {k.arg: _value(k.value, namespace) for k in node.keywords}
    except Exception:
        return None
    def again(*args, **kwargs):
        return namespace[node.func.id](*args, **kwargs)

    for find in DETECTORS[node.func.id]:
        try:
            with np.errstate(all="ignore"):
                sentence = find(args, kwargs, got, want, part, again)
        except Exception:
            sentence = None
        if sentence:
            return sentence
    return None


def _value(node, namespace):
    return eval(compile(ast.Expression(node), "<detector>", "eval"), namespace)


def _same(got, value):
    """Whether `got` is `value` (arrays: same shape, equal within the checks' tolerance)."""
    if isinstance(value, np.ndarray):
        return isinstance(got, np.ndarray) and got.shape == value.shape and bool(
            np.allclose(got, value, rtol=RTOL, atol=ATOL))
    if isinstance(value, (int, float, np.number)) and isinstance(got, (int, float, np.number)) \
            and not isinstance(got, bool):
        return math.isclose(float(got), float(value), rel_tol=RTOL, abs_tol=ATOL)
    return False


def _entry(value, part, index):
    """Entry `index` of a returned tuple, whether the check took it (part) or not."""
    if part is not None:
        return value if part == index else None
    return value[index] if isinstance(value, tuple) and len(value) > index else None


# ---- 02_forward_propagation ----------------------------------------------------------------------

@detector("linear_forward")
def _linear_forward_entrywise(args, kwargs, got, want, part, again):
    A_prev, W, b = args[:3]
    Z = _entry(got, part, 0)
    if Z is not None and _same(Z, W * A_prev + b):
        return ("Z here is W * A_prev + b: * multiplies entries one by one (numpy stretched A_prev "
                "across W to make the shapes fit), while each z_k adds up, over the inputs j, the "
                "products w_kj a_j of row k of W with the inputs: a matrix product, which has one "
                "column per example.")
    return None


@detector("relu")
def _relu_reduction(args, kwargs, got, want, part, again):
    Z = args[0]
    for axis, what in ((0, "column"), (1, "row")):
        reduced = np.max(Z, axis=axis)
        if _same(got, reduced) or _same(got, np.max(Z, axis=axis, keepdims=True)):
            return (f"This is the largest entry of each {what} of Z: a reduction along axis "
                    f"{axis}, which compares the entries of Z with each other (the second "
                    f"argument of a reduction over an array is the axis). relu compares each entry "
                    f"with 0 on its own, max(0, z), and keeps the shape of Z.")
    return None


# ---- 04_chain_rule -------------------------------------------------------------------------------

@detector("numerical_derivative")
def _step_precedence(args, kwargs, got, want, part, again):
    eps = kwargs.get("eps", args[2] if len(args) > 2 else 1e-5)
    if isinstance(want, float) and want != 0 and _same(got, want * eps ** 2):
        return ("It is eps² times the expected value, which is what `... / 2 * eps` gives: Python "
                "applies / and * from left to right, so it divides by 2 and then multiplies by "
                "eps. The difference of the two values of f must be divided by the whole distance "
                "between the two points, 2·eps.")
    return None


@detector("numerical_derivative")
def _own_step(args, kwargs, got, want, part, again):
    f, x = args[:2]
    eps = kwargs.get("eps", args[2] if len(args) > 2 else 1e-5)
    other = eps * 10
    if isinstance(got, float) and got != want and again(f, x, eps=other) == got:
        return (f"It gives exactly the same value with eps = {eps:g} and with eps = {other:g}: it "
                f"does not use the eps it is given, but a step of its own. The centred "
                f"difference must be taken with the eps passed in (its default when none is "
                f"given).")
    return None


@detector("numerical_gradient")
def _gradient_step_precedence(args, kwargs, got, want, part, again):
    eps = kwargs.get("eps", args[2] if len(args) > 2 else 1e-5)
    if isinstance(want, np.ndarray) and np.abs(want).max() > ATOL and _same(got, want * eps ** 2):
        return _step_precedence([None, None, eps], {}, 1.0, 1.0 / eps ** 2, None, again)
    return None


@detector("numerical_gradient")
def _same_point_twice(args, kwargs, got, want, part, again):
    if not (isinstance(got, np.ndarray) and isinstance(want, np.ndarray)
            and got.shape == want.shape and not got.any() and np.abs(want).max() > ATOL):
        return None
    # Zero everywhere: f compared one point with itself. Was that point ever a moved X? A probe f
    # answers (entries moved) x (calls so far): zero if f never saw X moved (a moved copy), not
    # zero if both calls of a pair saw the same moved array (one array under two names).
    X = np.array(args[1], dtype=float)
    original, calls = X.copy(), [0]

    def probe(Z):
        calls[0] += 1
        return float(np.sum(Z != original)) * calls[0]

    if np.asarray(again(probe, X)).all():
        return ("Every entry is 0: each difference compared f at one and the same point. Giving "
                "an array a second name (X_plus = X) does not copy it: both names are X itself, so "
                "the change made for one side is undone by the change for the other before f sees "
                "either. f must see X moved up by eps, then X moved down by eps.")
    return None


@detector("multivariate_chain")
def _skipped_path(args, kwargs, got, want, part, again):
    df_dg, dg_dx = args[:2]
    if not isinstance(want, float) or len(df_dg) < 2:
        return None
    for k in range(len(df_dg)):
        product = float(df_dg[k]) * float(dg_dx[k])
        if product != 0 and _same(got, want - product):
            return (f"It is the sum over every path but one: the path through g_{k} "
                    f"(df_dg[{k}] · dg_dx[{k}] = {product!r}) is missing. Each of the "
                    f"{len(df_dg)} paths from x to f adds its own product; positions run from 0 "
                    f"to {len(df_dg) - 1}.")
    return None


# ---- 05_deep_backprop ----------------------------------------------------------------------------

@detector("linear_backward")
def _linear_backward_entrywise(args, kwargs, got, want, part, again):
    dZ, (A_prev, W, b) = args[0], args[1]
    dA_prev = _entry(got, part, 0)
    if dA_prev is not None and _same(dA_prev, W.T * dZ):
        return ("dA_prev here is W.T * dZ: * multiplies entries one by one, while entry (j, i) of "
                "dA_prev adds W[k, j] dZ[k, i] over every unit k of the layer, the sum over the "
                "paths from unit j: a matrix product. The transpose is right; the product is not.")
    return None


@detector("update_parameters")
def _parameters_left_behind(args, kwargs, got, want, part, again):
    parameters = args[0]
    if not (isinstance(got, dict) and isinstance(want, dict) and got.keys() == want.keys()):
        return None
    kept = [k for k in want if _same(got[k], parameters[k]) and not _same(want[k], parameters[k])]
    moved = [k for k in want if _same(got[k], want[k])]
    if kept and len(kept) + len(moved) == len(want):
        return (f"{', '.join(kept)} {'is' if len(kept) == 1 else 'are'} still what "
                f"{'it was' if len(kept) == 1 else 'they were'} before the update, while "
                f"{', '.join(moved) or 'nothing else'} took {'its' if len(moved) == 1 else 'their'} "
                f"step. Every parameter, each W and each b, takes a step against its own gradient.")
    return None
