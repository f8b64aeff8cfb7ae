"""Checks whose failure messages teach.

`check(name, got, want)` compares a student's value with the expected one and raises `CheckError`
with a message that names the value, says what differs (type, dtype, shape, keys, entries) and,
where the difference has a recognisable cause, the likely mistake. The kind of comparison follows
the type of `want`:

- numpy array: type, dtype, shape, NaN/inf positions, then values within `rtol`/`atol`;
- float: a Python `float` (not numpy.float64, not a 0-d array) within tolerance;
- int: a Python `int` (not numpy.int64, not bool), exactly;
- tuple / list: same container type and length, then element by element;
- dict: exactly the same keys, then key by key;
- anything else (str, bool, None): equality.

Nothing here computes what a graded function computes: the expected value always comes from the
caller (a stored reference value or a hidden reference implementation).
"""

import math
import re

import numpy as np

__all__ = ["CheckError", "check", "check_raises", "passed"]

RTOL = 1e-7
ATOL = 1e-10
MAX_LISTED = 5

_SYMBOL = re.compile(r"(d?)(W|b|Z|A|X|AL|A_prev)(\d*)")
_NAMED_ENTRIES = re.compile(r"\(\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)+)\s*\) = (.+)", re.S)
# Words that start the part of a label saying which inputs a value came from.
_CONTEXT_WORDS = (" for ", " with ", " after ", " from ", " against ", " under ", " of ")
_LAST_PART = re.compile(r"""(?:\[['"]?([^\]'"]+)['"]?\]|([A-Za-z_][A-Za-z_0-9]*))$""")


class CheckError(AssertionError):
    """A check failed; the message says what is wrong and, where it can, why.

    problem: what differs; hint: the sentence naming the likely mistake (None if there is none).
    """

    def __init__(self, problem, hint=None):
        super().__init__(problem + (f"\n  Hint: {hint}" if hint else ""))
        self.problem, self.hint = problem, hint

    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback: the message is the feedback, and the
        # frames inside this library would only bury it.
        return ["\x1b[31mCheckError\x1b[0m: " + str(self)]


def check(name, got, want, *, rtol=RTOL, atol=ATOL, hint=None, advise=True):
    """Raise CheckError unless `got` matches `want`.

    name: how the student knows the value, e.g. 'layer_shapes([4, 3, 1])["W1"]'.
    got: the student's value.  want: the expected value; its type picks the comparison.
    rtol, atol: tolerances for floating-point values (numpy.isclose semantics).
    hint: a sentence naming the likely mistake, shown when the values differ.
    advise: False leaves out the guesses drawn from the difference alone (a factor, a transpose,
        a 1-D array, ...), for a caller that knows the mistake (utils.detect).
    """
    __tracebackhide__ = True
    _ADVISE[0] = advise
    try:
        problem = _compare(name, got, want, rtol, atol)
    finally:
        _ADVISE[0] = True
    if problem is not None:
        raise CheckError(problem, hint)


_ADVISE = [True]  # whether messages add guesses drawn from the difference alone (see check)


def check_raises(name, call, exception, *, hint=None):
    """Raise CheckError unless `call()` raises `exception`.

    name: how the student knows the call, e.g. 'activation_forward(..., "softmax")'.
    call: a function of no arguments.  exception: the exception class expected.
    """
    __tracebackhide__ = True
    try:
        call()
    except exception:
        return
    except Exception as error:
        # An error from a student's function that a check reports (utils.raised) keeps its kind.
        kind, text = getattr(error, "kind", type(error).__name__), getattr(error, "text", error)
        message = f"{name} raised {kind} ({text}); expected {exception.__name__}."

    else:
        message = f"{name} returned normally; expected it to raise {exception.__name__}."
    raise CheckError(message, hint)


def changed_input(function, argument):
    """The CheckError for a call of `function` that left its input `argument` changed."""
    return CheckError(
        f"{function} changed its argument {argument} in place; it must leave its inputs as they "
        f"were, to the last bit.",
        hint=f"Compute a new value instead of writing into {argument} (for example `A = A - Y`, "
             f"not `A -= Y`; copy a dict or list before changing it). Where the exercise changes "
             f"an entry on purpose, save it first and put the saved value back.")


def passed(what):
    """Print the one line a student sees when a visible check succeeds."""
    print(f"{what}: all visible checks passed.")


def _compare(name, got, want, rtol, atol):
    """Return a message describing how `got` differs from `want`, or None if it matches."""
    if isinstance(want, np.ndarray):
        return _compare_array(name, got, want, rtol, atol)
    if isinstance(want, bool) or want is None or isinstance(want, str):
        if type(got) is type(want) and got == want:
            return None
        return f"{name} is {_describe(got)}, expected {want!r}."
    if isinstance(want, int):
        return _compare_int(name, got, want)
    if isinstance(want, float):
        return _compare_float(name, got, want, rtol, atol)
    if isinstance(want, dict):
        return _compare_dict(name, got, want, rtol, atol)
    if isinstance(want, (tuple, list)):
        return _compare_sequence(name, got, want, rtol, atol)
    raise TypeError(f"check() cannot compare expected values of type {type(want).__name__}")


def _describe(value):
    """A short description of a value's type, as a student would recognise it."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a numpy scalar of type numpy.{type(value).__name__} ({value!r})"
    if isinstance(value, (dict, list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    if value is None:
        return "None (did the function forget to `return`?)"
    kind = getattr(value, "kind", None)  # an error raised in a student's function (utils.raised)
    if isinstance(value, BaseException) and kind:
        text, name = f"{kind}({value.text!r})", kind
    else:
        text, name = repr(value), type(value).__name__
    if len(text) > 60:
        text = text[:57] + "..."
    return f"a {name} ({text})"


def _compare_int(name, got, want):
    if isinstance(got, np.integer):
        return (f"{name} is {_describe(got)}; expected a Python int. "
                f"Convert it with int(...) before returning.")
    if isinstance(got, bool) or type(got) is not int:
        return f"{name} is {_describe(got)}; expected the Python int {want}."
    if got != want:
        return f"{name} is {got}, expected {want} (off by {got - want:+d})."
    return None


def _compare_float(name, got, want, rtol, atol):
    if isinstance(got, np.ndarray):
        if got.ndim == 0:
            return (f"{name} is a 0-d numpy array ({got!r}); expected a Python float. "
                    f"Return float(...) of it.")
        return f"{name} is {_describe(got)}; expected a single Python float."
    if isinstance(got, np.floating):
        return (f"{name} is {_describe(got)}; expected a Python float. "
                f"Return float(...) of it so every scalar result has the same type.")
    if type(got) is int:
        shown = got if abs(got) < 10 ** 12 else "too large to show"
        return (f"{name} is the int {shown}; expected a Python float. An exact integer where a "
                f"real number belongs usually means integer arithmetic somewhere: return "
                f"float(...) of the result.")
    if type(got) is not float:
        return f"{name} is {_describe(got)}; expected a Python float."
    if (math.isnan(want) and math.isnan(got)) or got == want:
        return None
    if math.isnan(got) or math.isinf(got):
        return f"{name} is {got}, expected {want!r}. " + _nonfinite_advice(got)
    if math.isclose(got, want, rel_tol=rtol, abs_tol=atol):
        return None
    message = f"{name} is {got!r}, expected {want!r} (difference {got - want:.3g})."
    relation = _ADVISE[0] and _scalar_relation(got, want, rtol, atol)
    if relation:
        message += f"\n  {relation}"
    return message


def _compare_sequence(name, got, want, rtol, atol):
    kind = type(want).__name__
    if isinstance(got, np.ndarray):
        return f"{name} is {_describe(got)}; expected a {kind} of length {len(want)}."
    if type(got) is not type(want):
        if isinstance(got, (tuple, list)) and len(got) == len(want):
            return (f"{name} is a {type(got).__name__}; expected a {kind}. "
                    f"Return {kind}(...) of it.")
        return f"{name} is {_describe(got)}; expected a {kind} of length {len(want)}."
    if _is_shape(want):
        return _compare_shape_tuple(name, got, want)
    if len(got) != len(want):
        return f"{name} has length {len(got)}, expected {len(want)}."
    labels = _entry_labels(name, len(want))
    for i, (g, w) in enumerate(zip(got, want)):
        problem = _compare(labels[i], g, w, rtol, atol)
        if problem is not None:
            return problem
    return None


def _entry_labels(name, count):
    """How each entry of a sequence called `name` is shown.

    A label that names the entries, "(dA_prev, dW, db) = linear_backward(...)", gives
    "dW = linear_backward(...)[1]", so a message speaks of dW; any other name gives "name[1]".
    """
    match = _NAMED_ENTRIES.fullmatch(name)
    if match:
        names = [part.strip() for part in match.group(1).split(",")]
        if len(names) == count:
            return [f"{entry} = {_entry(match.group(2), f'[{i}]')}" for i, entry in enumerate(names)]
    return [_entry(name, f"[{i}]") for i in range(count)]


def _entry(name, subscript):
    """The label of one entry of the value labelled `name`: the subscript follows the value, not
    the words that say which inputs it came from ("f(X)[0] for m = 19", never "m = 19[0]")."""
    subject, context = _split_context(name)
    return f"{subject}{subscript}{context}"


def _split_context(name):
    """(value, context) of a label, split before the first of _CONTEXT_WORDS that stands outside
    brackets and quotes right after a name, a call or a subscript; ("label", "") if none does.

    "f(X, Y) for n_x = 3, m = 19" -> ("f(X, Y)", " for n_x = 3, m = 19").
    """
    depth, quote = 0, None
    for i, char in enumerate(name):
        before = name[i - 1] if i else " "
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"" and not before.isalnum():
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == " " and depth == 0 and (before.isalnum() or before in "_)]"):
            if any(name.startswith(word, i) for word in _CONTEXT_WORDS):
                return name[:i], name[i:]
    return name, ""


def _is_shape(value):
    return isinstance(value, tuple) and all(type(v) is int for v in value)


def _compare_shape_tuple(name, got, want):
    """Tuples of ints are shapes here: compare them whole and explain the difference."""
    if any(isinstance(v, np.integer) for v in got):
        return (f"{name} is {got!r}, a tuple holding numpy integers; expected a tuple of Python "
                f"ints {want!r}. Convert each with int(...).")
    if not all(type(v) is int for v in got):
        return f"{name} is {got!r}; expected the tuple of ints {want!r}."
    if got == want:
        return None
    message = f"{name} is {got!r}, expected {want!r}."
    advice = _ADVISE[0] and _shape_advice(name, got, want)
    if advice:
        message += f"\n  {advice}"
    return message


def _compare_dict(name, got, want, rtol, atol):
    if not isinstance(got, dict):
        return f"{name} is {_describe(got)}; expected a dict with keys {_keys(want)}."
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    if missing or extra:
        parts = [f"{name} has the wrong keys."]
        if missing:
            parts.append(f"missing: {_keys(missing)}")
        if extra:
            parts.append(f"unexpected: {_keys(extra)}")
        advice = _ADVISE[0] and _key_advice(list(got), list(want))
        message = " ".join(parts[:1]) + " " + "; ".join(parts[1:]) + "."
        if advice:
            message += f"\n  {advice}"
        return message
    for key in want:
        problem = _compare(_entry(name, f"[{key!r}]"), got[key], want[key], rtol, atol)
        if problem is not None:
            return problem
    return None


def _keys(keys):
    return "[" + ", ".join(repr(k) for k in keys) + "]"


def _key_advice(got_keys, want_keys):
    """Explain a key set that is the expected one shifted by one layer, or stray spaces in keys."""
    def split(key):
        match = re.fullmatch(r"([A-Za-z_]+?)(\d+)", key) if isinstance(key, str) else None
        return (match.group(1), int(match.group(2))) if match else None

    got_parts, want_parts = [split(k) for k in got_keys], [split(k) for k in want_keys]
    if None not in got_parts + want_parts:
        for shift in (-1, 1):
            if sorted((p, n + shift) for p, n in got_parts) == sorted(want_parts):
                return ("The keys are the expected ones shifted by one layer: layers are "
                        "numbered from 1 (W1, b1 belong to the first layer after the input), and "
                        "layer 0 is the input, which has no parameters.")
    if any(isinstance(k, str) and k != k.strip() for k in got_keys):
        return "A key has leading or trailing spaces."
    return None


def _compare_array(name, got, want, rtol, atol):
    if isinstance(got, (list, tuple)):
        return (f"{name} is a Python {type(got).__name__}; expected a numpy array of shape "
                f"{want.shape}. Build it with numpy (np.array, np.zeros, ...) and return the array.")
    if isinstance(got, np.matrix):
        return f"{name} is a numpy.matrix; expected a plain numpy array (np.ndarray)."
    if not isinstance(got, np.ndarray):
        return f"{name} is {_describe(got)}; expected a numpy array of shape {want.shape}."
    if got.shape != want.shape:
        message = f"{name} has shape {got.shape}, expected {want.shape}."
        advice = _ADVISE[0] and _shape_advice(name, got.shape, want.shape)
        if advice:
            message += f"\n  {advice}"
        return message
    if got.dtype != want.dtype:
        message = f"{name} has dtype {got.dtype}, expected {want.dtype}."
        if want.dtype.kind == "f" and got.dtype.kind in "iub":
            message += (" All arrays in this course are float64: integer arrays silently "
                        "truncate later arithmetic. Convert with .astype(np.float64) or build "
                        "the array from floats.")
        elif want.dtype.kind in "iu" and got.dtype.kind == "f":
            message += " Expected integers: convert with .astype(int) after deciding each value."
        elif want.dtype.kind in "iu" and got.dtype.kind == "b":
            message += " Expected integers 0/1, not True/False: convert with .astype(int)."
        return message
    if want.dtype.kind not in "fc":
        wrong = got != want
        if not wrong.any():
            return None
        return _value_message(name, got, want, wrong, rtol, atol)
    got_bad, want_bad = ~np.isfinite(got), ~np.isfinite(want)
    if (got_bad & ~want_bad).any():
        where = np.argwhere(got_bad & ~want_bad)
        kinds = sorted({"NaN" if np.isnan(got[tuple(i)]) else "inf" for i in where})
        message = (f"{name} contains {' and '.join(kinds)} in {len(where)} of {got.size} entries "
                   f"(first at index {_index(where[0])}); expected finite values there.")
        return message + "\n  " + _nonfinite_advice(got[tuple(where[0])])
    wrong = ~np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if not wrong.any():
        return None
    return _value_message(name, got, want, wrong, rtol, atol)


def _value_message(name, got, want, wrong, rtol, atol):
    count = int(wrong.sum())
    lines = [f"{name} has the right shape {want.shape} and dtype {want.dtype}, but {count} of "
             f"{want.size} entries differ (rtol={rtol:g}, atol={atol:g})."]
    for index in np.argwhere(wrong)[:MAX_LISTED]:
        i = tuple(index)
        lines.append(f"    at {_index(index)}: got {got[i].item()!r}, expected {want[i].item()!r}")
    if count > MAX_LISTED:
        lines.append(f"    ... and {count - MAX_LISTED} more")
    relation = _ADVISE[0] and _array_relation(got, want, rtol, atol)
    if relation:
        lines.append(f"  {relation}")
    return "\n".join(lines)


def _index(index):
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def _nonfinite_advice(value):
    if np.isnan(value):
        return ("NaN comes from 0/0, inf - inf, 0 * inf or log of a negative number; "
                "look for such an operation on the values that lead here.")
    return ("inf usually comes from exp of a large number, division by zero or log(0); "
            "look for such an operation on the values that lead here.")


def _scalar_relation(got, want, rtol, atol):
    """Name a simple relation between two differing scalars, or return None."""
    if want != 0 and math.isclose(got, -want, rel_tol=rtol, abs_tol=atol):
        return "It has the expected size but the opposite sign: look for a sign error."
    if want != 0 and got != 0:
        ratio = got / want
        nice = _nice_ratio(ratio)
        if nice:
            return f"It is {nice} times the expected value: look for a missing or extra factor."
    return None


def _nice_ratio(ratio):
    """Describe ratio if it is close to a small integer or its inverse (a likely missing factor)."""
    for k in range(2, 1001):
        if math.isclose(ratio, k, rel_tol=1e-6):
            return str(k)
        if math.isclose(ratio, 1 / k, rel_tol=1e-6):
            return f"1/{k}"
    return None


def _array_relation(got, want, rtol, atol):
    """Name a recognisable relation between two differing arrays of one shape, or return None."""
    if not np.isfinite(got).all():
        return None
    if np.allclose(got, -want, rtol=rtol, atol=atol) and np.abs(want).max() > atol:
        return "Every entry has the opposite sign of the expected one: look for a sign error."
    if not got.any() and want.any():
        return "Every entry is zero."
    nonzero = np.abs(want) > atol
    if nonzero.any():
        ratios = got[nonzero] / want[nonzero]
        if np.allclose(ratios, ratios[0], rtol=1e-6) and np.allclose(got, ratios[0] * want,
                                                                     rtol=rtol, atol=atol):
            nice = _nice_ratio(float(ratios[0]))
            if not nice and ratios.size < 2:
                return None  # any two single numbers have some ratio: not worth naming
            factor = nice if nice else f"{float(ratios[0]):.6g}"
            return (f"Every entry is {factor} times the expected one: look for a missing or "
                    f"extra factor.")
    if want.ndim == 2 and want.shape[0] == want.shape[1] and np.allclose(got, want.T, rtol=rtol,
                                                                         atol=atol):
        return ("It equals the transpose of the expected matrix: the shapes agree only because "
                "the matrix is square. Check which index is the row.")
    if np.allclose(np.sort(got, axis=None), np.sort(want, axis=None), rtol=rtol, atol=atol):
        return ("It holds the expected numbers in a different order: check which axis is which, "
                "and the order in which the values are produced (a transpose, a reshape, or "
                "random draws made in another order).")
    return None


def _shape_advice(name, got, want):
    """Explain a shape mismatch using what the name says the value is."""
    symbol = _symbol(name)
    if len(got) == len(want) == 2 and tuple(reversed(got)) == tuple(want):
        base = "The shape is transposed."
        return base + " " + _shape_meaning(symbol, want) if _shape_meaning(symbol, want) else base
    if len(want) == 2 and want[1] == 1 and got == (want[0],):
        return (f"It is 1-D; expected a column of shape {want}. A 1-D array of shape (n,) "
                f"broadcasts along the wrong axis when added to an (n, m) array; keep the "
                f"second axis (reshape(-1, 1) or keepdims=True).")
    if len(want) == 2 and len(got) == 2 and got[0] == got[1] == want[0] and want[1] == 1:
        return ("It is square where a column was expected: a 1-D array of shape (n,) was "
                "probably added to an (n, 1) column, and broadcasting made an (n, n) table.")
    if len(got) == 3 and len(want) == 2:
        return ("It has an extra axis: the pieces it was built from were probably columns of "
                "shape (n, 1); flatten each one (reshape(-1)) before stacking.")
    return _shape_meaning(symbol, want)


def _symbol(name):
    """('W', '1') for names like 'params["W1"]' or 'W1'; None when the name is not a symbol."""
    named, _, value = name.partition(" = ")
    for part in (named, _split_context(value)[0]) if value else (_split_context(name)[0],):
        last = _LAST_PART.search(part.strip())
        match = _SYMBOL.fullmatch(last.group(1) or last.group(2)) if last else None
        if match:
            return match.group(1) + match.group(2), match.group(3)
    return None


def _shape_meaning(symbol, want):
    """Say what the rows and columns of a named quantity are, in the course's notation.

    A gradient has the shape of what it belongs to: dW1 is explained as W1 is, under its own name.
    """
    if symbol is None:
        return None
    full, layer = symbol
    gradient = full.startswith("d")
    base = full[1:] if gradient else full
    shown = f"{full}{layer}"
    like = f" (the shape of {base}{layer})" if gradient else ""
    l = layer or "l"
    prev = str(int(layer) - 1) if layer else "l-1"
    if base == "W":
        return (f"{shown} has shape (n[{l}], n[{prev}]) = {tuple(want)}{like}: rows are the units "
                f"of layer {l}, columns the units of layer {prev}.")
    if base == "b":
        return (f"{shown} has shape (n[{l}], 1) = {tuple(want)}{like}: one entry per unit of layer "
                f"{l}, as a column so it broadcasts over the m examples.")
    if base in ("Z", "A", "AL"):
        return (f"{shown} has shape (n[{l}], m) = {tuple(want)}{like}: one row per unit, one "
                f"column per example.")
    if base == "A_prev":
        return (f"{shown} has shape (n[l-1], m) = {tuple(want)}{like}: one row per unit of the "
                f"previous layer, one column per example.")
    if base == "X":
        return (f"X has shape (n[0], m) = {tuple(want)}: examples are columns, so each column "
                f"is one example and each row one input feature.")
    return None
