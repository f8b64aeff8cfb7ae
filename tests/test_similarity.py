"""The class similarity report (autograder/grading/similarity/), measured on tests/similarity_corpus.

The corpus's notebooks are compared as handed in (no grading: the similarity step reads only the
submitted notebooks); one class of notebook 01 goes through `python -m autograder grade` and
`similarity` as an instructor runs them, and its pages are opened in Chromium.
"""

import csv
import json
import os
import pathlib
import random
import subprocess
import sys

import nbformat
import pytest

import similarity_corpus as corpus
from autograder.course import REPO, assignment_ids
from autograder.grading.similarity import report_section, run
from autograder.grading.similarity.compare import REFERENCE_THRESHOLD, THRESHOLD
from autograder.grading.similarity.fingerprints import normalised_tokens
from autograder.grading.similarity.output import side_by_side
from grading import grade_cli, read_csv
from notebook_parts import release

ID = "01_notation"
HOSTILE = "</pre><script>window.pwned = 1</script>"
QUIET = open(os.devnull, "w")


def texts(code, given=frozenset()):
    return [t for t, _, _ in normalised_tokens(code, given)]


def test_tokens_ignore_names_literals_comments_layout_and_brackets():
    plain = "total = np.sum(dZ, axis=1) / m\nreturn total\n"
    disguised = ("# the mean over examples\nacc  =  (np.sum(grad_,\n    axis = 2)) / count  # done\n"
                 "\n\nreturn acc;")
    assert texts(plain) == texts(disguised)
    assert texts(plain) == ["N", "=", "N", ".", "sum", "N", ",", "N", "=", "L", "/", "N", ";",
                            "return", "N", ";"]
    # attribute names and builtins are kept: another numpy call is other code
    assert texts("t = np.mean(x)") != texts("t = np.sum(x)")
    assert texts("for i in range(n): pass") == ["for", "N", "in", "range", "N", ":", "pass", ";"]


def test_the_release_code_is_subtracted():
    stub = 'def f(x):\n    """Doc\n\n    more."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n'
    given = {line.strip() for line in stub.splitlines() if line.strip()}
    assert texts(stub, given) == []
    answer = 'def f(x):\n    """Doc\n\n    more."""\n    return x @ x.T\n'
    assert texts(answer, given) == ["return", "N", "@", "N", ".", "T", ";"]


def test_a_cell_that_does_not_parse_still_gives_its_tokens():
    # an unclosed bracket: Python's tokenizer gives up on the whole cell; its other lines count
    assert texts("x = [1,\nz = y.T\n")[-6:] == ["N", "=", "N", ".", "T", ";"]


@pytest.fixture(scope="module")
def corpus_outcomes(tmp_path_factory):
    """{assignment: (Outcome, plagiarised pairs, reference copiers, the work folder written)} of
    the whole corpus."""
    found = {}
    for assignment in assignment_ids():
        students, pairs, copiers = corpus.build(assignment)
        folder = tmp_path_factory.mktemp(assignment)
        corpus.hand_in(folder / "submissions", assignment, students)
        outcomes, problems = run(folder / "submissions", folder / "work", QUIET)
        assert problems == [] and [o.assignment for o in outcomes] == [assignment]
        found[assignment] = outcomes[0], pairs, copiers, folder / "work"
    return found


def test_the_corpus_is_what_it_claims(assignment_id):
    students, pairs, copiers = corpus.build(assignment_id)
    honest = [s for s in students if s.startswith("honest")]
    assert len(honest) == 30 and len(pairs) == len(corpus.DISGUISES) + 3
    assert len({repr(students[s]) for s in students}) == len(students)  # no two texts alike
    for a, b in pairs:  # every copy is disguised: its text differs from its source's
        assert students[a] != students[b]


def test_the_bodies_of_06_give_the_reference_outputs_and_draws():
    """Every body of notebook 06's corpus, in the release's cell, computes what the reference does:
    the same values, the same keys in order, the same draws from rng, the inputs kept."""
    import importlib.util
    import itertools

    import numpy as np

    assignment = "06_training"
    spec = importlib.util.spec_from_file_location(
        "course_functions_06", REPO / "solutions" / assignment / "course_functions.py")
    given = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(given)

    def define(code, function, update=None):
        space = {"np": np, "compute_cost": given.compute_cost, "model_forward": given.model_forward,
                 "model_backward": given.model_backward, "update_parameters": update}
        exec(code, space)
        return space[function]

    reference = corpus.reference_answers(assignment)
    stubs = corpus.stub(assignment)
    update = define(reference["update_parameters"], "update_parameters")
    train = define(reference["train_model"], "train_model", update)
    rng = np.random.default_rng(5)
    params = {k: rng.standard_normal(s) for k, s in
              (("W1", (3, 4)), ("b1", (3, 1)), ("W2", (1, 3)), ("b2", (1, 1)))}
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    grads["dA1"] = rng.standard_normal((3, 5))
    want = update(params, grads, 0.3)
    kept = {k: v.copy() for k, v in params.items()}
    (updates,) = corpus.parts("update_parameters")
    for helpers, body in updates:
        got = define(corpus.answer(stubs["update_parameters"], helpers, body),
                     "update_parameters")(params, grads, 0.3)
        assert list(got) == list(want), body
        assert all(np.allclose(got[k], want[k], rtol=1e-12, atol=0) for k in want), body
        assert all(np.array_equal(kept[k], params[k]) for k in params), body
    X, Y = rng.standard_normal((4, 7)), (rng.random((1, 7)) > 0.5).astype(float)
    for dims, steps in (([4, 3, 2, 1], 6), ([4, 1], 3)):
        drawn = np.random.default_rng(11)
        want_params, want_costs = train(X, Y, dims, 0.1, steps, drawn)
        next_draw = drawn.random()
        for (hi, init), (hl, loop) in itertools.product(*corpus.parts("train_model")):
            drawn = np.random.default_rng(11)
            got_params, got_costs = define(corpus.answer(stubs["train_model"], hi + hl, init + loop),
                                           "train_model", update)(X, Y, dims, 0.1, steps, drawn)
            assert drawn.random() == next_draw, init  # W1..WL drawn in order, nothing else
            assert list(got_params) == list(want_params), init
            assert all(np.allclose(got_params[k], want_params[k], rtol=1e-12)
                       for k in want_params), (init, loop)
            assert [type(c) for c in got_costs] == [float] * steps, loop
            assert np.allclose(got_costs, want_costs, rtol=1e-12), loop


def test_every_plagiarised_pair_ranks_above_every_honest_pair(corpus_outcomes, assignment_id):
    outcome, pairs, _, _ = corpus_outcomes[assignment_id]
    scores = {(a, b): score for score, a, b in outcome.scores}
    copied = [scores.get(p, 0) for p in pairs]
    honest = [score for p, score in scores.items() if p not in pairs]
    assert min(copied) > max(honest), (min(copied), max(honest))
    assert min(copied) >= THRESHOLD  # recall 1 at the default threshold


def test_precision_and_recall_at_the_default_threshold(corpus_outcomes):
    found = copied = right = 0
    for outcome, pairs, _, _ in corpus_outcomes.values():
        flagged = {(m.a, m.b) for m in outcome.pairs}
        found, copied, right = found + len(flagged), copied + len(pairs), right + len(flagged & pairs)
    assert right == copied                # recall 1.0
    assert right / found >= 0.98          # precision (docs/grading.md gives the figures)


def test_reference_copies_are_found_and_honest_students_are_not(corpus_outcomes, assignment_id):
    outcome, pairs, copiers, _ = corpus_outcomes[assignment_id]
    flagged = [m.a for m in outcome.reference]
    assert all(score < REFERENCE_THRESHOLD for score, student in outcome.reference_scores
               if student not in copiers)
    assert {"refcopy1", "refcopy2"} <= set(flagged) <= set(copiers)
    # the copiers of the reference are one cluster of their own
    assert any(set(copiers) <= set(members) for _, members in outcome.clusters)


def test_the_corpus_of_04_flags_every_copy_in_similarity_csv(corpus_outcomes):
    """04's whole corpus (45 students) as `grade` writes it (its similarity step is run(), which
    corpus_outcomes ran; test_grade_and_the_similarity_command_write_the_report shows that `grade`
    calls it): the pairs that similarity.csv flags are the plagiarised ones and the reference
    copiers are found."""
    assignment = "04_chain_rule"
    _, pairs, copiers, work = corpus_outcomes[assignment]
    rows = read_csv(work / "similarity.csv")
    flagged = {tuple(sorted((r["student_a"], r["student_b"]))) for r in rows if r["kind"] == "pair"}
    plagiarised = {tuple(sorted(p)) for p in pairs}
    assert plagiarised <= flagged
    assert len(flagged - plagiarised) <= 1, flagged - plagiarised  # docs/grading.md: 1 of 91
    assert set(copiers) <= {r["student_a"] for r in rows if r["kind"] == "reference"} | {
        r["student_b"] for r in rows if r["kind"] == "reference"}


def small_class():
    """Five students of notebook 01: two pairs copied, one from the reference; {student: answers}."""
    students, _, _ = corpus.build(ID)
    rng = random.Random(1)
    cls = {"ada": students["honest01"], "cy": students["honest02"]}
    cls["ben"] = corpus.disguise(cls["ada"], ("rename", "comments"), rng)
    eve = dict(cls["cy"])
    eve["layer_shapes"] = eve["layer_shapes"].replace('"""\n', f'"""\n    note = "{HOSTILE}"\n', 1)
    cls["eve"] = corpus.disguise(eve, ("reorder",), rng)
    cls["dee"] = corpus.disguise(corpus.reference_answers(ID), ("reformat",), rng)
    return cls


RANKING = [("1", "pair", "ada", "ben"), ("2", "pair", "cy", "eve"),
           ("1", "reference", "dee", "reference solution")]


def ranking(workdir):
    return [(r["rank"], r["kind"], r["student_a"], r["student_b"])
            for r in read_csv(workdir / "similarity.csv")]


def test_a_small_class_ranks_exactly(tmp_path):
    corpus.hand_in(tmp_path / "submissions", ID, small_class())
    run(tmp_path / "submissions", tmp_path / "work", QUIET)
    assert ranking(tmp_path / "work") == RANKING
    pages = sorted(p.name for p in (tmp_path / "work" / "similarity" / ID).iterdir())
    assert pages == ["pair-1.html", "pair-2.html", "reference-1.html"]


def test_a_large_class_is_read_by_a_process_per_core_alike(tmp_path, monkeypatch):
    import autograder.grading.similarity as similarity

    corpus.hand_in(tmp_path / "submissions", ID, small_class())
    monkeypatch.setattr(similarity, "POOL_FROM", 1)
    outcomes, _ = run(tmp_path / "submissions", tmp_path / "work", QUIET)
    assert ranking(tmp_path / "work") == RANKING


def test_student_code_is_escaped_on_the_side_by_side_page(tmp_path):
    corpus.hand_in(tmp_path / "submissions", ID, small_class())
    run(tmp_path / "submissions", tmp_path / "work", QUIET)
    page = (tmp_path / "work" / "similarity" / ID / "pair-2.html").read_text()
    assert HOSTILE not in page and "<script" not in page
    assert "&lt;/pre&gt;&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert 'http-equiv="Content-Security-Policy"' in page and "script-src" not in page


def test_student_ids_are_escaped_too(tmp_path):
    from autograder.grading.similarity.compare import Match

    m = Match(ID, "<b>a</b>", "x' onmouseover='1", 1.0, 5, [("layer_shapes", 1, 1)],
              [("layer_shapes", 1, 1)], "", [("layer_shapes", "<i>code</i>")],
              [("layer_shapes", "y")])
    page = side_by_side(m, 1)
    assert "<b>a</b>" not in page and "<i>code</i>" not in page
    assert "x&#39; onmouseover=&#39;1" in page


def test_the_side_by_side_template_escapes_what_students_wrote(tmp_path):
    """output.write renders the page with autoescape: a student id and code holding a <script>
    and a character reference arrive as the very text the student wrote, in the title, the
    headings, the table, the code box's label and the marked code; no tag of theirs is made."""
    from bs4 import BeautifulSoup

    from autograder.grading.similarity import output
    from autograder.grading.similarity.compare import Match, Options, Outcome

    who = "<script>window.pwned = 1</script>&amp;"
    code = "x = '<script>alert(1)</script>' & y  # &lt;"
    m = Match(ID, who, "ben & co", 0.9, 7, [("layer_shapes", 1, 1)], [("layer_shapes", 1, 1)],
              "", [("layer_shapes", code)], [("layer_shapes", "y = 1")])
    output.write(tmp_path, [Outcome(ID, 2, [m], [], [], [], [])], Options())
    soup = BeautifulSoup((tmp_path / "similarity" / ID / "pair-1.html").read_text(), "html.parser")
    assert soup.find("script") is None and soup.find("mark").find_all() == []
    assert soup.title.string == soup.h1.string == f"{ID}, pair 1: {who} and ben & co"
    assert [th.string for th in soup.find_all("th")] == [who, "ben & co"]
    assert [h2.string for h2 in soup.find_all("h2")] == [who, "ben & co"]
    box = soup.find("div", class_="code")
    assert box["aria-label"] == f"{who}: layer_shapes"
    assert box.pre.get_text() == f"1\u00bb {code}" and soup.find("mark").string == code


@pytest.mark.parametrize("case", ["one student", "all blank"])
def test_an_empty_report_is_not_an_error(tmp_path, case):
    blank = nbformat.from_dict(release(ID))
    students = ["solo"] if case == "one student" else ["a", "b", "c"]
    for student in students:
        folder = tmp_path / "submissions" / student / ID
        folder.mkdir(parents=True)
        nb = (corpus.notebook(ID, corpus.honest_class(ID)["honest01"]) if case == "one student"
              else blank)
        nbformat.write(nb, folder / f"{ID}.ipynb")
    outcomes, problems = run(tmp_path / "submissions", tmp_path / "work", QUIET)
    assert problems == [] and outcomes[0].pairs == [] and outcomes[0].reference == []
    assert outcomes[0].students == (1 if case == "one student" else 0)
    assert ranking(tmp_path / "work") == []
    section = report_section(tmp_path / "work")
    assert "No pair of students reaches the threshold" in section and "<table" not in section


def test_notebooks_are_read_as_the_grader_reads_them(tmp_path):
    cls = small_class()
    corpus.hand_in(tmp_path / "submissions", ID, {s: cls[s] for s in ("ada", "ben")})
    elsewhere = tmp_path / "elsewhere.ipynb"
    nbformat.write(corpus.notebook(ID, cls["ada"]), elsewhere)
    linked = tmp_path / "submissions" / "lin" / ID
    linked.mkdir(parents=True)
    (linked / f"{ID}.ipynb").symlink_to(elsewhere)
    huge = tmp_path / "submissions" / "huge" / ID
    huge.mkdir(parents=True)
    (huge / f"{ID}.ipynb").write_text('{"cells": [' + " " * (21 * 1024 * 1024) + "]}")
    outcomes, problems = run(tmp_path / "submissions", tmp_path / "work", QUIET)
    said = {p["student_id"]: p["problem"] for p in problems}
    assert "symbolic link" in said["lin"] and "limit" in said["huge"]
    assert [(m.a, m.b) for m in outcomes[0].pairs] == [("ada", "ben")]


# ---- through the CLI, and in the browser --------------------------------------------------

@pytest.fixture(scope="module")
def graded_small_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("similar")
    corpus.hand_in(root / "submissions", ID, small_class())
    run_ = grade_cli(root / "submissions", root / "work")
    assert run_.returncode == 0, run_.stderr[-3000:]
    return root


@pytest.mark.slow
def test_grade_and_the_similarity_command_write_the_report(graded_small_class):
    root = graded_small_class
    work = root / "work"
    assert ranking(work) == RANKING
    assert [r["score"] for r in read_csv(work / "grades.csv")]  # graded as well
    report = (work / "report.html").read_text()
    section = report[report.index('<section id="similarity"'):]
    assert section.index(">ada<") < section.index(">cy<")  # ranked as in the CSV
    assert 'href="similarity/01_notation/pair-1.html"' in section
    assert 'href="similarity/01_notation/reference-1.html"' in section
    assert "<caption>" in section and 'scope="col"' in section
    (work / "similarity.csv").unlink()
    again = subprocess.run([sys.executable, "-m", "autograder", "similarity",
                            str(root / "submissions"), "--workdir", str(work)],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "compared 5 submissions" in again.stdout
    assert ranking(work) == RANKING
    assert (work / "report.html").read_text().count('<section id="similarity"') == 1
    missing = subprocess.run([sys.executable, "-m", "autograder", "similarity",
                              str(root / "submissions"), "--workdir", str(root / "nothing")],
                             cwd=REPO, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "holds no graded class" in missing.stderr


@pytest.mark.slow
def test_side_by_side_page_in_a_browser(graded_small_class, tmp_path):
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_path = graded_small_class / "work" / "similarity" / ID / "pair-2.html"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width in (1000, 320):
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                requests = []
                page.on("request", lambda r: requests.append(r.url))
                page.goto(page_path.as_uri())
                page.wait_for_load_state("load")
                page.screenshot(path=tmp_path / f"pair-{width}.png", full_page=True)
                assert page.evaluate("window.pwned") is None  # the student's script never ran
                assert page.locator("pre", has_text=HOSTILE).count() == 1  # eve's, as text
                assert page.locator("mark").count() > 0
                assert all(u.startswith("file://") for u in requests)
                # no sideways scrolling of the page; only the code boxes scroll
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                boxes = page.eval_on_selector_all(
                    "[tabindex='0']", "els => els.map(e => [e.getAttribute('role'), "
                                      "e.getAttribute('aria-label')])")
                assert boxes and all(role == "group" and label for role, label in boxes)
                context.close()
        finally:
            browser.close()


def test_the_report_section_escapes_what_students_named(tmp_path):
    """Student ids reach the section through Jinja2's autoescape: a <script> in an id is text."""
    folder = tmp_path / "similarity"
    folder.mkdir()
    hostile = '<script>alert("x")</script>'
    pair = {"rank": 1, "assignment": ID, "a": hostile, "b": "ben", "score": 0.91234,
            "cluster": "", "lines_a": "3-9", "page": "similarity/01_notation/pair-1.html"}
    (folder / "summary.json").write_text(json.dumps({
        "options": {"threshold": 0.75, "reference_threshold": 0.8},
        "assignments": {ID: {"students": 2}}, "pairs": [pair],
        "clusters": [{"name": "A", "students": [hostile, "ben", "cy"]}],
        "reference": [dict(pair, page="similarity/01_notation/reference-1.html")]}))
    section = report_section(tmp_path)
    assert "<script>" not in section and section.count("&lt;script&gt;") == 4
    assert "0.912" in section and "&mdash;" in section and "score from 0.8)" in section
    assert 'href="similarity/01_notation/pair-1.html"' in section
