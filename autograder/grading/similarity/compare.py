"""Which students' code is alike: an index of fingerprints, rarity weights, pairs and clusters.

Per assignment, every student's fingerprints (fingerprints.py) go into one index, fingerprint ->
the students who have it. Only fingerprints that several but not many students share are
evidence, and the rarer the more:

    df(h)  = number of students whose code has fingerprint h (n students in all)
    w(h)   = ln((n + 1) / df(h)): inverse document frequency, near 0 for what nearly all write
    cap    = max(COMMON_FLOOR, COMMON_FRACTION * n): a fingerprint that more students share is
             common code (what half the class writes alike), and is left out altogether
    W(s)   = sum of w(h) over s's fingerprints, df(h) <= cap
    score(a, b) = sum of w(h) over the fingerprints a and b share, df(h) <= cap
                  / min(W(a), W(b))

so a score is the weighted share of the smaller text found in the other (1: all of it, none of
it common). Pairs come from the index's postings, never from comparing every pair of texts: a
pair that shares no fingerprint under the cap costs nothing. A pair is reported when its score
reaches the threshold and it shares at least MIN_SHARED fingerprints under the cap.

The reference solution is matched twice, and the higher score counts: as one more student in a
pair score (disguised copies of the reference), and without the cap, as the weighted share of
all of s's fingerprints found in the reference (if many students handed in the reference's code,
its fragments are common, and that is the finding).

Clusters: the students linked by reported pairs, taken together (connected components), when
three or more.
"""

import collections
import dataclasses
import math

import numpy
import scipy.sparse

from .fingerprints import K

THRESHOLD = 0.75
REFERENCE_THRESHOLD = 0.75
COMMON_FRACTION = 0.5
COMMON_FLOOR = 3
MIN_SHARED = 3


@dataclasses.dataclass
class Options:
    threshold: float = THRESHOLD
    reference_threshold: float = REFERENCE_THRESHOLD
    common_fraction: float = COMMON_FRACTION
    common_floor: int = COMMON_FLOOR
    min_shared: int = MIN_SHARED


@dataclasses.dataclass
class Match:
    """Two texts alike: b is None for a match with the reference solution.

    lines_a, lines_b: [(cell grade id, first line, last line)] of the matched fragments.
    """
    assignment: str
    a: str
    b: str
    score: float
    shared: int
    lines_a: list
    lines_b: list
    cluster: str = ""
    cells_a: list = None   # [(grade id, code)] of a, then of b (the reference's): for the pages
    cells_b: list = None


@dataclasses.dataclass
class Outcome:
    """One assignment's findings: how many students had code of their own; the pairs at or
    above the threshold, best first (Match); the students whose code is the reference's (Match);
    the clusters [(name, [students])]; and, for measuring, every pair's score [(score, a, b)] and
    every student's reference score [(score, student)], best first."""
    assignment: str
    students: int
    pairs: list
    reference: list
    clusters: list
    scores: list
    reference_scores: list


class _Doc:
    """A student's cells and {hash: [(cell index, token position)]}."""

    def __init__(self, cells):
        self.cells = cells
        self.where = collections.defaultdict(list)
        for index, cell in enumerate(cells):
            for h, position in cell.prints:
                self.where[h].append((index, position))


def compare(assignment, documents, reference_cells, options=Options(), k=K):
    """The Outcome of one assignment.

    documents: {student: [CellPrint]}; reference_cells: [CellPrint] of the reference solution.
    """
    docs = {s: _Doc(cells) for s, cells in documents.items()}
    docs = {s: d for s, d in docs.items() if d.where}
    n = len(docs)
    index = collections.defaultdict(list)        # fingerprint -> students, in student order
    for student in sorted(docs):
        for h in docs[student].where:
            index[h].append(student)
    cap = max(options.common_floor, int(options.common_fraction * n))
    weight = {h: math.log((n + 1) / len(owners)) for h, owners in index.items()}
    kept = {h for h, owners in index.items() if len(owners) <= cap}
    total = {s: sum(weight[h] for h in d.where if h in kept) for s, d in docs.items()}

    pairs = _shared(sorted(docs), index, kept, weight, total, options.min_shared)
    reported = []
    for score, a, b in pairs:
        if score < options.threshold:
            break
        hashes = [h for h in docs[a].where if h in kept and h in docs[b].where]
        reported.append(Match(assignment, a, b, score, len(hashes),
                              _lines(docs[a], hashes, k), _lines(docs[b], hashes, k), "",
                              _texts(docs[a]), _texts(docs[b])))

    reference = _Doc(reference_cells)
    own = sum(math.log((n + 2) / (len(index.get(h, ())) + 1)) for h in reference.where
              if len(index.get(h, ())) + 1 <= cap)
    scored = []
    for student, doc in sorted(docs.items()):
        hashes = [h for h in doc.where if h in reference.where]
        everything = sum(weight[h] for h in doc.where)
        if len(hashes) < options.min_shared or everything <= 0:
            continue
        whole = sum(weight[h] for h in hashes) / everything
        # as a pair with the reference as one more student (df + 1), under the cap
        rare = [math.log((n + 2) / (len(index[h]) + 1)) for h in hashes if len(index[h]) + 1 <= cap]
        mine = sum(math.log((n + 2) / (len(index[h]) + 1)) for h in doc.where
                   if len(index[h]) + 1 <= cap)
        smaller = min(mine, own)
        as_pair = sum(rare) / smaller if smaller > 0 and len(rare) >= options.min_shared else 0
        scored.append((round(max(whole, as_pair), 4), student, hashes))
    scored.sort(key=lambda m: (-m[0], m[1]))
    found = [Match(assignment, student, None, score, len(hashes), _lines(docs[student], hashes, k),
                   _lines(reference, hashes, k), "", _texts(docs[student]), _texts(reference))
             for score, student, hashes in scored if score >= options.reference_threshold]

    clusters = _clusters(assignment, reported)
    return Outcome(assignment, n, reported, found, clusters, pairs,
                   [(score, student) for score, student, _ in scored])


def _shared(students, index, kept, weight, total, min_shared):
    """[(score, a, b)] of every pair (a < b) sharing at least min_shared kept fingerprints, best
    first (then in student order).

    The index's postings of the kept fingerprints, as a sparse matrix P (students x
    fingerprints, 1 where a student has one): (P diag(w) P^T)[a, b] is the weight a and b share,
    (P P^T)[a, b] how many fingerprints; only pairs that share one are ever touched.
    """
    if not kept:
        return []
    row_of = {s: i for i, s in enumerate(students)}
    columns = sorted(kept)
    rows, cols = [], []
    for j, h in enumerate(columns):
        for student in index[h]:
            rows.append(row_of[student])
            cols.append(j)
    postings = scipy.sparse.csr_matrix((numpy.ones(len(rows)), (rows, cols)),
                                       shape=(len(students), len(columns)))
    weights = scipy.sparse.diags(numpy.array([weight[h] for h in columns]))
    shared = scipy.sparse.triu(postings @ weights @ postings.T, k=1).tocsr()
    counts = scipy.sparse.triu(postings @ postings.T, k=1).tocsr()
    shared.sort_indices()
    counts.sort_indices()
    # weights are > 0, so both have the same entries: the pairs that share a kept fingerprint
    assert (numpy.array_equal(shared.indptr, counts.indptr)
            and numpy.array_equal(shared.indices, counts.indices))
    rows = numpy.repeat(numpy.arange(len(students)), numpy.diff(shared.indptr))
    cols = shared.indices
    own = numpy.array([total[s] for s in students])
    smaller = numpy.minimum(own[rows], own[cols])
    keep = (counts.data >= min_shared) & (smaller > 0)
    scores = numpy.round(shared.data[keep] / smaller[keep], 4)
    rows, cols = rows[keep], cols[keep]
    order = numpy.lexsort((cols, rows, -scores))   # best first, then by student order
    found = [(float(scores[i]), students[rows[i]], students[cols[i]]) for i in order]
    return found


def _texts(doc):
    return [(cell.cell, cell.source) for cell in doc.cells]


def _lines(doc, hashes, k):
    """[(cell grade id, first, last)]: the lines that the k-grams of `hashes` cover, merged."""
    covered = collections.defaultdict(set)
    for h in hashes:
        for index, position in doc.where.get(h, ()):
            spans = doc.cells[index].lines[position:position + k]
            covered[index].update(range(spans[0][0], spans[-1][1] + 1))
    ranges = []
    for index in sorted(covered):
        lines = sorted(covered[index])
        start = previous = lines[0]
        for line in lines[1:] + [None]:
            if line is not None and line == previous + 1:
                previous = line
                continue
            ranges.append((doc.cells[index].cell, start, previous))
            if line is not None:
                start = previous = line
    return ranges


def _clusters(assignment, reported):
    """[(name, [students])] of the connected groups of three or more, strongest first."""
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in reported:
        parent[root(m.a)] = root(m.b)
    groups = collections.defaultdict(list)
    for student in parent:
        groups[root(student)].append(student)
    big = [sorted(g) for g in groups.values() if len(g) >= 3]
    best = collections.defaultdict(float)
    for m in reported:
        best[m.a], best[m.b] = max(best[m.a], m.score), max(best[m.b], m.score)
    big.sort(key=lambda g: (-max(best[s] for s in g), g))
    named = [(f"{assignment} cluster {i}", g) for i, g in enumerate(big, start=1)]
    member = {s: name for name, g in named for s in g}
    for m in reported:
        m.cluster = member.get(m.a, "")
    return named
