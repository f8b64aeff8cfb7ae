"""A corpus for measuring the similarity report: honest classes and plagiarised copies.

Honest students: each graded function of notebooks 01-05 has four bodies written independently of
each other and of the reference solution, in different styles (loops or vectorised, other
helpers, other numpy calls, other order); 05's `model_backward` and `gradient_check`, the two
longest of its six, have six. Notebook 06 has only two graded functions: nine bodies
of `update_parameters`, and `train_model` joined from two parts written independently, eight
initialisations and eight training loops (variants_06.py). A student's notebook takes one body
(one of each part) per function, chosen so that no two honest students share more than half of
the notebook's bodies and parts (one more where no more such students can be found: notebook
04's five functions), and their own names for local variables and their own habits of writing
(habits.py: `W @ A` or `np.dot(W, A)`, `f"W{l}"` or `"W" + str(l)`, ...).

Plagiarised students copy an honest student's notebook (or the reference solution) and disguise
it with the transformations below, alone and combined: `rename` (local variables), `reformat`
(the code rewritten by ast.unparse, two-space indents, blank lines), `comments` (removed and
added), `reorder` (adjacent independent statements swapped), `dead` (unused statements and
helpers inserted).
"""

import ast
import functools
import io
import itertools
import random
import re
import tokenize

import nbformat

from notebook_parts import cells_by_id, filled, is_solution, release

from . import habits as writing

from .variants_01_02 import VARIANTS as _V1
from .variants_03_04 import VARIANTS as _V3
from .variants_05 import VARIANTS as _V5
from .variants_06 import VARIANTS as _V6

# {function: [(helpers, body)]}, or {function: ([(helpers, part)], ...)}: a body joined from parts
VARIANTS = {**_V1, **_V3, **_V5, **_V6}
HONEST = 30
STUB = re.compile(r"[ \t]*# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)\n?")

# Each plagiarised student's disguise, in order; the last ones copy the reference solution.
DISGUISES = [("rename",), ("reformat",), ("comments",), ("reorder",), ("dead",),
             ("rename", "comments"), ("reorder", "dead"), ("rename", "reformat"),
             ("rename", "reorder", "dead"), ("comments", "reformat", "dead"),
             ("rename", "dead"), ("rename", "reformat", "comments", "reorder", "dead")]
REFERENCE_DISGUISES = [("rename",), ("reformat", "comments"),
                       ("rename", "reformat", "comments", "reorder", "dead")]

NAME_POOL = ["tmp", "val", "res", "acc", "arr", "mat", "vec", "cur", "data", "item", "holder",
             "buf", "part", "piece", "store", "step_", "thing", "x_", "y_", "nxt", "prev_",
             "hold", "cnt", "tot", "layer_out", "grad_", "w_", "v_", "u_", "q_"]
COMMENTS = ["compute the result", "loop over the layers", "keep the shapes right",
            "this is the important part", "see the lecture notes", "vectorised version",
            "TODO: check edge cases", "the formula from the notebook", "update step",
            "store for later", "shape (n, m)", "as in the derivation"]
DEAD = ["unused_value = None", "if False:\n    print(\"debug\")", "_scratch = [0] * 3",
        "debug = False\nif debug:\n    print(\"checking shapes\")", "counter = 0\ncounter += 1"]
DEAD_HELPER = "def _unused_helper(value):\n    return value * 2\n\n\n"


@functools.lru_cache(maxsize=None)
def _release(assignment):
    return release(assignment)


def stub(assignment):
    """{solution grade id: the release's code} of an assignment's solution code cells."""
    nb = _release(assignment)
    return {gid: cell.source for gid, cell in cells_by_id(nb).items()
            if is_solution(cell)}


def answer(stub_code, helpers, body):
    """A filled solution cell: helpers before the def line, the body in place of the stub."""
    assert STUB.search(stub_code), "the release's solution cell has changed its stub"
    return helpers + STUB.sub(lambda _: body, stub_code)


def parts(function):
    """([(helpers, code)], ...): the lists a body of `function` joins one item of each of."""
    variants = VARIANTS[function]
    return variants if isinstance(variants, tuple) else (variants,)


@functools.lru_cache(maxsize=None)
def honest_class(assignment, count=HONEST, seed=0, spread=True):
    """{student: {grade id: code}} of `count` honest students of `assignment`.

    spread=False: bodies chosen at random, with no bound on what two students share (for
    classes larger than the bodies can spread over: benchmarks/similarity_class.py).
    """
    rng = random.Random(f"{assignment}-{seed}")
    stubs = stub(assignment)
    missing = [f for f in stubs if f not in VARIANTS]
    assert not missing, f"no corpus variants for {missing}"
    functions = list(stubs)
    units = [(f, part) for f in functions for part in parts(f)]
    most = len(units) // 2
    chosen, tries = [], 0
    while len(chosen) < count:
        tries += 1
        if tries % 20000 == 0:
            most += 1   # no more such students to be found: allow one more body in common
        combo = tuple(rng.randrange(len(part)) for _, part in units)
        if not spread or all(sum(x == y for x, y in zip(combo, other)) <= most
                             for other in chosen):
            chosen.append(combo)
    students = {}
    for number, combo in enumerate(chosen, start=1):
        own = writing.choose(rng)
        picked = {f: [] for f in functions}
        for (f, part), v in zip(units, combo):
            picked[f].append(part[v])
        answers = {f: writing.apply(answer(stubs[f], "".join(h for h, _ in pieces),
                                           "".join(b for _, b in pieces)), own)
                   for f, pieces in picked.items()}
        students[f"honest{number:02d}"] = disguise(answers, ("rename",), rng)
    return students


def reference_answers(assignment):
    from submissions import reference_answers as reference
    return {f: code for f, code in reference(assignment).items() if f in stub(assignment)}


@functools.lru_cache(maxsize=None)
def build(assignment, seed=0):
    """(students {name: answers}, plagiarised pairs {(a, b)}, reference copiers [names]).

    Plagiarised pairs are (source, copy); the reference copiers are also plagiarised pairs among
    themselves (they share a source). Made once per process: do not change what it returns.
    """
    rng = random.Random(f"{assignment}-copies-{seed}")
    students = dict(honest_class(assignment, seed=seed))
    sources = rng.sample(sorted(students), len(DISGUISES))
    pairs = set()
    for number, (source, how) in enumerate(zip(sources, DISGUISES), start=1):
        name = f"copy{number:02d}"
        students[name] = disguise(students[source], how, rng)
        pairs.add(tuple(sorted((source, name))))
    copiers = []
    for number, how in enumerate(REFERENCE_DISGUISES, start=1):
        name = f"refcopy{number}"
        students[name] = disguise(reference_answers(assignment), how, rng)
        copiers.append(name)
    pairs.update(tuple(sorted(p)) for p in itertools.combinations(copiers, 2))
    return students, pairs, copiers


def notebook(assignment, answers):
    """The release notebook with `answers` in its solution cells, as a student hands it in."""
    return filled(_release(assignment), answers)


def hand_in(folder, assignment, students):
    for student, answers in students.items():
        target = folder / student / assignment
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook(assignment, answers), target / f"{assignment}.ipynb")


# ---- the transformations -------------------------------------------------------------------

def disguise(answers, how, rng):
    """`answers` transformed by each of `how` in turn, cell by cell."""
    out = {}
    for cell, code in answers.items():
        for step in how:
            code = TRANSFORMS[step](code, rng)
        out[cell] = code
    return out


def rename(code, rng):
    """Every local variable (a name assigned to) renamed consistently."""
    tree = ast.parse(code)
    stored = sorted({n.id for n in ast.walk(tree)
                     if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)})
    taken = {t.string for t in _tokens(code) if t.type == tokenize.NAME}
    fresh = [n for n in NAME_POOL if n not in taken]
    rng.shuffle(fresh)
    mapping = {}
    for name in stored:
        new = fresh.pop() if fresh else f"{name}_{rng.randrange(100)}"
        mapping[name] = new
    return _replace_names(code, mapping)


def _tokens(code):
    return list(tokenize.generate_tokens(io.StringIO(code).readline))


def _replace_names(code, mapping):
    tokens = _tokens(code)
    lines = code.splitlines(keepends=True)
    edits, depth = [], 0
    for i, t in enumerate(tokens):
        if t.type == tokenize.OP and t.string in "([{":
            depth += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            depth -= 1
        if t.type == tokenize.STRING and re.match(r"[rRbB]?[fF]", t.string):
            inner = re.sub(r"\{[^{}]*\}", lambda m: re.sub(
                r"\b\w+\b", lambda w: mapping.get(w.group(), w.group()), m.group()), t.string)
            if inner != t.string and t.start[0] == t.end[0]:
                edits.append((t.start, t.end, inner))
            continue
        if t.type != tokenize.NAME or t.string not in mapping:
            continue
        before = tokens[i - 1].string if i else ""
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        if before == "." or (depth > 0 and after == "=" and before in ("(", ",")):
            continue  # an attribute, or a keyword argument
        edits.append((t.start, t.end, mapping[t.string]))
    for (row, col), (_, end), new in reversed(edits):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + new + line[end:]
    return "".join(lines)


def reformat(code, rng):
    """ast.unparse's layout, two-space indents, a blank line here and there (comments go)."""
    text = ast.unparse(ast.parse(code))
    out = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 4 * 2
        out.append(" " * indent + stripped)
        if stripped and rng.random() < 0.2:
            out.append("")
    return "\n".join(out) + "\n"


def _body_statements(code):
    """[(statement, its indent)] of every statement inside a function body, outermost first."""
    found = []
    for node in ast.walk(ast.parse(code)):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(node, ast.Module) or not isinstance(block, list):
                continue
            for statement in block:
                found.append((statement, statement.col_offset))
    return found


def comments(code, rng):
    """Whole-line comments removed; comments added before and after some statements."""
    lines = [line for line in code.splitlines() if not line.strip().startswith("#")]
    code = "\n".join(lines) + "\n"
    lines = code.splitlines()
    statements = [s for s, _ in _body_statements(code)
                  if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    picks = rng.sample(statements, min(len(statements), 3))
    for statement in sorted(picks, key=lambda s: -s.lineno):
        end = statement.end_lineno - 1
        if rng.random() < 0.5 and not isinstance(statement, (ast.For, ast.While, ast.If,
                                                             ast.With, ast.Try)):
            lines[end] += f"  # {rng.choice(COMMENTS)}"
        else:
            lines.insert(statement.lineno - 1,
                         " " * statement.col_offset + f"# {rng.choice(COMMENTS)}")
    return "\n".join(lines) + "\n"


SIMPLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)


def _names(node):
    """(names written, names read) by a simple statement; a method's object counts as written."""
    written, read = set(), set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            (written if isinstance(n.ctx, ast.Store) else read).add(n.id)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(
                n.func.value, ast.Name):
            written.add(n.func.value.id)
        if isinstance(n, (ast.Subscript, ast.Attribute)) and isinstance(n.ctx, ast.Store):
            base = n.value
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name):
                written.add(base.id)
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        read.add(node.target.id)
    return written, read


def reorder(code, rng):
    """Adjacent independent simple statements swapped (up to two swaps)."""
    tree = ast.parse(code)
    candidates = []
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(node, ast.Module) or not isinstance(block, list):
                continue
            for first, second in zip(block, block[1:]):
                if not (isinstance(first, SIMPLE) and isinstance(second, SIMPLE)):
                    continue
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    continue  # the docstring stays first
                w1, r1 = _names(first)
                w2, r2 = _names(second)
                if not (w1 & (w2 | r2) or w2 & r1):
                    candidates.append((first, second))
    rng.shuffle(candidates)
    lines = code.splitlines()
    used = set()
    swaps = []
    for first, second in candidates:
        span = set(range(first.lineno, second.end_lineno + 1))
        if span & used or len(swaps) == 2:
            continue
        used |= span
        swaps.append((first, second))
    for first, second in sorted(swaps, key=lambda s: -s[0].lineno):
        a = lines[first.lineno - 1:first.end_lineno]
        b = lines[second.lineno - 1:second.end_lineno]
        lines[first.lineno - 1:second.end_lineno] = b + a
    return "\n".join(lines) + "\n"


def dead(code, rng):
    """One to three unused statements inserted in function bodies; sometimes an unused helper."""
    lines = code.splitlines()
    places = [(s.lineno, s.col_offset) for s, _ in _body_statements(code)
              if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    for line, indent in sorted(rng.sample(places, min(len(places), rng.randint(1, 3))),
                               reverse=True):
        snippet = rng.choice(DEAD)
        lines[line - 1:line - 1] = [" " * indent + part for part in snippet.splitlines()]
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.4:
        text = DEAD_HELPER + text
    return text


TRANSFORMS = {"rename": rename, "reformat": reformat, "comments": comments, "reorder": reorder,
              "dead": dead}
