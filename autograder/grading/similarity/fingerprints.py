"""Fingerprints of code: normalised tokens, k-grams, winnowing (as MOSS and Dolos do).

A cell's code becomes a list of normalised tokens (Python's own `tokenize`):

- a name that a student chose (variables, functions, parameters, modules) becomes `N`, so
  renaming changes nothing; keywords, builtins (`len`, `range`) and attribute names after a dot
  (`.shape`, `.T`, `np.exp`'s `exp`) stay as written, since renaming a variable never changes them;
- every literal (number, string, f-string, docstring) becomes `L`;
- comments, blank lines, indentation, line breaks inside brackets and round brackets are
  dropped (a syntax tree has no brackets either: `return (a, b)` is `return a, b`); the end of a
  statement (a newline or `;`) is one token `;`, so reformatting changes nothing.

Each run of K consecutive tokens (a k-gram) is hashed (a stable 64-bit hash: the same in every
process), and winnowing keeps the smallest hash of every WINDOW consecutive k-grams: any fragment
of K + WINDOW - 1 tokens shared by two texts yields at least one shared fingerprint, and a text of
n tokens keeps about 2n / (WINDOW + 1) of them. A fingerprint remembers where its k-gram starts,
so matches map back to lines.
"""

import builtins
import dataclasses
import hashlib
import io
import keyword
import token as token_kinds
import tokenize

K = 5         # tokens per k-gram (`m = X . shape [` is one)
WINDOW = 2    # k-grams per winnowing window: any fragment of 6 tokens or more is always seen

NAME, LITERAL, END = "N", "L", ";"
_KEPT_NAMES = set(keyword.kwlist) | set(dir(builtins))
_DROPPED = {token_kinds.COMMENT, token_kinds.NL, token_kinds.INDENT, token_kinds.DEDENT,
            token_kinds.ENCODING, token_kinds.ENDMARKER}


@dataclasses.dataclass
class CellPrint:
    """One cell's normalised tokens and fingerprints.

    lines: [(first line, last line)] of each token, 1-based within the cell's source;
    prints: [(hash, index of the k-gram's first token)], the winnowed fingerprints.
    """
    cell: str
    source: str
    lines: list
    prints: list


def normalised_tokens(code, given_lines=frozenset()):
    """[(token text, first line, last line)] of `code`, normalised (see the module's docstring).

    given_lines: stripped lines of the release's code; a token all of whose lines are given is
    left out (the release's def line, docstring and `raise NotImplementedError()`).
    """
    lines = code.splitlines()
    given = {n + 1 for n, line in enumerate(lines)
             if not line.strip() or line.strip() in given_lines}   # blank lines carry nothing
    out, previous = [], None
    for kind, text, (first, _), (last, _) in _tokens(code):
        if kind in _DROPPED:
            continue
        if kind == token_kinds.NEWLINE or (kind == token_kinds.OP and text == ";"):
            text = END
        elif kind == token_kinds.NAME:
            if previous != "." and text not in _KEPT_NAMES:
                text = NAME
        elif kind in (token_kinds.NUMBER, token_kinds.STRING):
            text = LITERAL
        elif kind == token_kinds.ERRORTOKEN and not text.strip():
            continue
        elif text in "()":
            previous = text
            continue  # grouping is the syntax tree's, not a token: `(a + b)` and `a + b` alike
        previous = text
        if all(n in given for n in range(first, last + 1)):
            continue
        if text == END and (not out or out[-1][0] == END):
            continue  # the end of a given statement, or an empty one
        out.append((text, first, last))
    return out


def _tokens(code):
    """Python's tokens of `code`; a cell that does not tokenize as a whole (a syntax error, an
    IPython magic) is tokenized line by line, keeping what each line gives."""
    try:
        return [(kind, text, start, end)
                for kind, text, start, end, _ in tokenize.generate_tokens(io.StringIO(code).readline)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    found = []
    for number, line in enumerate(code.splitlines(), start=1):
        if line.lstrip().startswith(("%", "!")):
            continue
        try:
            for kind, text, (_, start), (_, end), _ in tokenize.generate_tokens(
                    io.StringIO(line.strip() + "\n").readline):
                found.append((kind, text, (number, start), (number, end)))
        except (tokenize.TokenError, IndentationError, SyntaxError):
            continue
    return found


def kgram_hashes(texts, k=K):
    """The stable 64-bit hash of every run of k consecutive token texts."""
    joined = ["\x1f".join(texts[i:i + k]).encode() for i in range(len(texts) - k + 1)]
    return [int.from_bytes(hashlib.blake2b(g, digest_size=8).digest(), "big") for g in joined]


def winnow(hashes, window=WINDOW):
    """[(hash, position)]: the minimum of every window of `window` hashes (the rightmost on a
    tie), each position once. Fewer hashes than a window: their minimum."""
    if not hashes:
        return []
    if len(hashes) <= window:
        position = min(range(len(hashes)), key=lambda i: (hashes[i], -i))
        return [(hashes[position], position)]
    chosen, last = [], -1
    for start in range(len(hashes) - window + 1):
        position = min(range(start, start + window), key=lambda i: (hashes[i], -i))
        if position != last:
            chosen.append((hashes[position], position))
            last = position
    return chosen


def cell_print(cell, code, given_lines=frozenset(), given_hashes=frozenset(), k=K,
               window=WINDOW):
    """The CellPrint of one cell: its fingerprints less those of the release's code."""
    found = normalised_tokens(code, given_lines)
    texts = [text for text, _, _ in found]
    prints = [(h, i) for h, i in winnow(kgram_hashes(texts, k), window) if h not in given_hashes]
    return CellPrint(cell, code, [(first, last) for _, first, last in found], prints)


def release_hashes(codes, k=K):
    """Every k-gram hash of the release's code (not only the winnowed ones): what was given."""
    found = set()
    for code in codes:
        found.update(kgram_hashes([text for text, _, _ in normalised_tokens(code)], k))
    return found
