"""A semester end to end, with nbgrader's own commands, a real exchange and a real Jupyter server.

An instructor makes a course folder (`setup-course`) and releases 04_chain_rule through the
exchange; two students, each in a home folder of their own (as separate Unix users where the
machine allows it: root with `useradd`), fetch it, check that it runs as fetched, validate and
submit; the instructor collects, grades with `python -m autograder grade`, grades the written
derivation in nbgrader's formgrader through the HTTP calls its pages make (and a screenshot of the
page in headless Chromium), regrades with --force, exports, and returns feedback through the
exchange, which each student fetches. Every step's files and scores are asserted.
"""

import contextlib
import json
import os
import pathlib
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.course import REPO, CourseError
from autograder.course.folder import setup_course
from autograder.course.gradebook_url import gradebook_url
from grading import read_csv
from submissions.s04_chain_rule import ID, POINTS, WRITTEN, submissions

BIN = pathlib.Path(sys.executable).parent
CHROMIUM = pathlib.Path("/usr/bin/chromium")
COURSE_ID = "bp101"
STUDENTS = {"complete": "bpc-alice", "partial": "bpc-bob"}  # fixture name: student id
AUTOGRADED = sum(POINTS.values())  # 11 points of tests; the derivation is 3 more, by hand
MANUAL_SCORE, COMMENT = 2.5, "Right sum over examples; say why the 1/m appears."


class Student:
    """A student with a home folder; runs commands as their own Unix user where possible."""

    def __init__(self, name, home, separate_user, config):
        self.name, self.home, self.separate_user, self.config = name, home, separate_user, config
        self.uid = pwd.getpwnam(name).pw_uid if separate_user else os.getuid()

    def run(self, *command, cwd=None, check=True):
        # What a hub gives every student's server: the configuration `hub-config` wrote.
        env = {"HOME": str(self.home), "USER": self.name, "LOGNAME": self.name,
               "PATH": f"{BIN}:/usr/bin:/bin", "LANG": "C.UTF-8",
               "JUPYTER_CONFIG_PATH": str(self.config)}
        run = subprocess.run(command, cwd=cwd or self.home, env=env, capture_output=True,
                             text=True, timeout=300,
                             user=self.uid if self.separate_user else None,
                             group=self.uid if self.separate_user else None)
        if check:
            assert run.returncode == 0, f"{command} as {self.name}:\n{run.stdout}\n{run.stderr}"
        return run

    def nbgrader(self, *arguments, **options):
        # Without a separate Unix user nbgrader would submit as this process's user: name it.
        extra = [f"--student={self.name}"] if arguments[0] == "submit" and not self.separate_user else []
        return self.run(str(BIN / "nbgrader"), *arguments, *extra, **options)

    def write(self, path, text):
        path.write_text(text)
        os.chown(path, self.uid, self.uid)


def interpreter_reachable_by_others():
    """Can another user run this Python? (Not when it lives in a private home such as /root.)"""
    path = pathlib.Path(sys.executable).resolve()
    return all(os.stat(folder).st_mode & 0o001 for folder in path.parents) and \
        bool(os.stat(path).st_mode & 0o001)


@contextlib.contextmanager
def student_accounts(base):
    """{fixture name: Student}: Unix users made for the test when running as root with useradd
    and an interpreter other users may run; otherwise this user with separate home folders."""
    separate = (os.geteuid() == 0 and shutil.which("useradd") is not None
                and interpreter_reachable_by_others())
    if not separate:
        print("students act as this user, from separate home folders: "
              + ("Python lies in a folder other users cannot enter"
                 if os.geteuid() == 0 else "not root, so no users can be made"))
    made = []
    try:
        students = {}
        for fixture, name in STUDENTS.items():
            home = base / "home" / name
            home.mkdir(parents=True)
            if separate:
                with contextlib.suppress(KeyError):
                    pwd.getpwnam(name)
                    subprocess.run(["userdel", name], check=True)  # left by an aborted run
                subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home),
                                "--shell", "/bin/sh", "--user-group", name], check=True)
                made.append(name)
                os.chown(home, pwd.getpwnam(name).pw_uid, pwd.getpwnam(name).pw_gid)
            students[fixture] = Student(name, home, separate, base / "hub-student")
        yield students
    finally:
        for name in made:
            subprocess.run(["userdel", name], check=False)


def instructor(course, *command, check=True):
    """A command of the instructor's, run in the course folder."""
    run = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=900)
    if check:
        assert run.returncode == 0, f"{command}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run


def autograder(course, *arguments):
    return instructor(course, sys.executable, "-m", "autograder", *arguments)


def scores(course):
    return {row["student_id"]: row for row in read_csv(course / "grades.csv")}


class JupyterServer:
    """`python -m autograder formgrader` (docs/teaching.md) run in the course folder, headless."""

    def __init__(self, course):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.token = secrets.token_hex(16)
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autograder", "formgrader", "--no-browser",
             f"--ServerApp.port={self.port}", "--ServerApp.ip=127.0.0.1",
             f"--IdentityProvider.token={self.token}"],
            cwd=course, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 120
        while True:
            try:
                self.call("GET", "/api/status")
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.log.seek(0)
                    self.stop()
                    raise AssertionError(f"jupyter server did not start: {self.log.read()[-3000:]}")
                time.sleep(0.5)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def call(self, method, path, body=None):
        """A formgrader API call as its pages make it (token-authenticated); the decoded JSON."""
        request = urllib.request.Request(
            self.url(path), method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# Formula sources still shown as text in the page's markdown cells (code cells keep theirs).
UNRENDERED_TEX = r"""[...document.querySelectorAll('.text_cell_render')].flatMap(
    cell => cell.innerText.match(/\$[^$]*\\(frac|partial|sum|top)[^$]*\$/g) || [])"""


def screenshot_manual_grading(server, submission_id, target):
    """Open formgrader as an instructor's browser does, offline, and take a screenshot.

    The browser reaches only the server: every other request is refused and recorded, as on a
    machine without internet access. It follows a deep link with ?token= (no other credentials)
    to the assignment list, then opens the grading page of one notebook. Returns {"listed": the
    assignment ids the list shows, "score" and "comment": the derivation's boxes once the page's
    script loaded them, "maths": how many formulas MathJax rendered, "tex": formula sources left
    unrendered, "refused": the requests that tried to leave the server}, or None without Chromium.
    """
    if not CHROMIUM.exists():
        return None
    sync_api = pytest.importorskip("playwright.sync_api")
    from test_browser import CHROMIUM_ARGS

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 1000})
            refused = []

            def offline(route):
                if route.request.url.startswith(server.url("/")):
                    route.continue_()
                else:
                    refused.append(route.request.url)
                    route.abort()

            context.route("**/*", offline)
            page = context.new_page()
            page.goto(server.url(f"/formgrader/manage_assignments?token={server.token}"))
            page.wait_for_function("!document.body.innerText.includes('Loading, please wait')",
                                   timeout=120_000)
            listed = page.locator("#main-table tr td:first-child").all_inner_texts()
            page.goto(server.url(f"/formgrader/submissions/{submission_id}/"))
            page.wait_for_function("formgrader.grades && formgrader.grades.loaded && "
                                   "formgrader.comments && formgrader.comments.loaded && "
                                   "window.MathJax && MathJax.loaded", timeout=120_000)
            score = page.locator(f"input.score#{WRITTEN}")
            comment = page.locator(f"textarea#{WRITTEN}-comment")
            score.scroll_into_view_if_needed()
            page.screenshot(path=str(target), full_page=True)
            return {"listed": [t.strip() for t in listed], "score": score.input_value(),
                    "comment": comment.input_value(),
                    "maths": page.locator(".MathJax, .MathJax_CHTML, .MathJax_Display").count(),
                    "tex": page.evaluate(UNRENDERED_TEX),
                    "refused": refused}
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.xdist_group("semester")
def test_a_semester_from_release_to_returned_feedback(tmp_path):
    base = pathlib.Path(tempfile.mkdtemp(prefix="semester-"))  # readable by the students' users
    base.chmod(0o755)
    course, exchange = base / "course", base / "exchange"
    fixtures = {s.student: s for s in submissions() if s.student in STUDENTS}
    try:
        with student_accounts(base) as students:
            _run_semester(course, exchange, students, fixtures, tmp_path)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _run_semester(course, exchange, students, fixtures, artifacts):
    # 1. The instructor's course folder (which creates the exchange), the students' servers'
    # configuration (docs/teaching.md, step 3) and the release through the exchange.
    made = autograder(REPO, "setup-course", str(course), "--course-id", COURSE_ID,
                      "--exchange", str(exchange))
    assert f"created the exchange folder {exchange}, writable by every user" in made.stdout
    assert exchange.stat().st_mode & 0o777 == 0o777
    autograder(REPO, "hub-config", "--role", "student", "--config-dir",
               str(exchange.parent / "hub-student"), "--exchange", str(exchange),
               "--course-id", COURSE_ID)
    instructor(course, str(BIN / "nbgrader"), "db", "assignment", "add", ID,
               "--duedate=2020-01-01 00:00:00 UTC")  # every submission below is late
    instructor(course, str(BIN / "nbgrader"), "release_assignment", ID)
    outbound = exchange / COURSE_ID / "outbound" / ID
    released = {p.relative_to(outbound).as_posix() for p in outbound.rglob("*") if p.is_file()}
    assert {f"{ID}.ipynb", "expected.json", "utils/__init__.py", "utils/checks.py"} <= released
    text = "\n".join(p.read_text() for p in outbound.rglob("*") if p.is_file())
    assert "BEGIN SOLUTION" not in text and "hidden_checks" not in text

    # 2. Students fetch, run what they fetched as it is, work, validate and submit.
    for fixture, student in students.items():
        listed = student.nbgrader("list")
        listed = listed.stdout + listed.stderr
        assert f"{COURSE_ID} {ID}" in listed
        student.nbgrader("fetch_assignment", ID)
        folder = student.home / ID
        where = student.run(str(BIN / "python"), "-c", "import utils; print(utils.__file__)",
                            cwd=folder).stdout.strip()
        assert pathlib.Path(where) == folder / "utils" / "__init__.py"  # the fetched copy
        student.write(folder / f"{ID}.ipynb", nbformat.writes(fixtures[fixture].notebook))
        validated = student.nbgrader("validate", f"{ID}/{ID}.ipynb", check=False)
        if fixture == "complete":
            assert "Success! Your notebook passes all the tests." in validated.stdout, validated
        else:
            assert "VALIDATION FAILED" in validated.stdout, validated
            cut = [line for line in validated.stdout.splitlines() if line.endswith("...")]
            assert not cut, f"Validate cut a message: {cut}"
        student.nbgrader("submit", ID)
    inbound = list((exchange / COURSE_ID / "inbound").iterdir())
    assert sorted(p.name.split("+")[0] for p in inbound) == sorted(s.name for s in students.values())

    # 3. Collect, then grade what was collected, in the course folder.
    instructor(course, str(BIN / "nbgrader"), "collect", ID)
    alice, bob = students["complete"].name, students["partial"].name
    for name in (alice, bob):
        assert (course / "submitted" / name / ID / f"{ID}.ipynb").is_file()
        assert (course / "submitted" / name / ID / "timestamp.txt").is_file()
    autograder(course, "grade", "submitted", "--workdir", ".", "--workers", "2")
    expected_auto = {name: sum(v or 0 for v in fixtures[f].scores.values())
                     for f, name in STUDENTS.items()}
    graded = scores(course)
    assert {n: float(r["score"]) for n, r in graded.items()} == expected_auto
    assert expected_auto[alice] == AUTOGRADED
    assert {r["needs_manual_grade"] for r in graded.values()} == {WRITTEN}
    assert {r["max_score"] for r in graded.values()} == {f"{AUTOGRADED + 3:g}"}
    for name in (alice, bob):
        assert (course / "autograded" / name / ID / f"{ID}.ipynb").is_file()
        assert (course / "feedback" / name / ID / f"{ID}.html").is_file()
    with Gradebook(gradebook_url(course)) as gradebook:
        submission = gradebook.find_submission(ID, alice)
        stamp = (course / "submitted" / alice / ID / "timestamp.txt").read_text().strip()
        assert submission.timestamp is not None and stamp.startswith(
            submission.timestamp.strftime("%Y-%m-%d %H:%M:%S"))

    # 4. Manual grading in formgrader, through the calls its pages make, on a running server.
    server = JupyterServer(course)
    try:
        notebooks = server.call("GET", f"/formgrader/api/submitted_notebooks/{ID}/{ID}")
        by_student = {n["student"]: n for n in notebooks}
        assert set(by_student) == {alice, bob}
        assert by_student[alice]["needs_manual_grade"] is True
        submission_id = by_student[alice]["id"]
        grades = server.call("GET", f"/formgrader/api/grades?submission_id={submission_id}")
        written = next(g for g in grades if g["name"] == WRITTEN)
        assert written["auto_score"] is None and written["max_score"] == 3
        comments = server.call("GET", f"/formgrader/api/comments?submission_id={submission_id}")
        comment = next(c for c in comments if c["name"] == WRITTEN)
        saved = server.call("PUT", f"/formgrader/api/grade/{written['id']}",
                            {"manual_score": MANUAL_SCORE})
        assert saved["manual_score"] == MANUAL_SCORE and saved["needs_manual_grade"] is False
        server.call("PUT", f"/formgrader/api/comment/{comment['id']}", {"manual_comment": COMMENT})
        shown = screenshot_manual_grading(server, submission_id, artifacts / "formgrader.png")
        if shown is not None:
            assert (shown["score"], shown["comment"]) == (f"{MANUAL_SCORE:g}", COMMENT)
            assert ID in shown["listed"], shown
            assert shown["refused"] == [] and shown["tex"] == [], shown
            assert shown["maths"] >= 5, shown
            assert (artifacts / "formgrader.png").stat().st_size > 10_000
    finally:
        server.stop()

    # 5. One store of grades: export shows the manual score and comment; a forced regrade keeps them.
    autograder(course, "export", "--workdir", ".")
    after_manual = {n: float(r["score"]) for n, r in scores(course).items()}
    assert after_manual == {alice: AUTOGRADED + MANUAL_SCORE, bob: expected_auto[bob]}
    cells = {(r["student_id"], r["cell"]): r for r in read_csv(course / "cells.csv")}
    assert cells[(alice, WRITTEN)]["score"] == f"{MANUAL_SCORE:g}"
    assert cells[(alice, WRITTEN)]["comment"] == COMMENT
    assert COMMENT in (course / "feedback" / alice / ID / f"{ID}.html").read_text()
    autograder(course, "grade", "submitted", "--workdir", ".", "--workers", "2", "--force")
    assert {n: float(r["score"]) for n, r in scores(course).items()} == after_manual
    assert scores(course)[alice]["needs_manual_grade"] == ""  # same notebook: nothing to review
    assert {(r["student_id"], r["cell"]): r["comment"] for r in read_csv(course / "cells.csv")}[
        (alice, WRITTEN)] == COMMENT
    assert COMMENT in (course / "feedback" / alice / ID / f"{ID}.html").read_text()
    stock = instructor(course, str(BIN / "nbgrader"), "export", "--to", "nbgrader_grades.csv")
    exported = {r["student_id"]: r for r in read_csv(course / "nbgrader_grades.csv")}
    assert float(exported[alice]["score"]) == AUTOGRADED + MANUAL_SCORE, stock.stderr
    assert float(exported[alice]["max_score"]) == AUTOGRADED + 3
    assert exported[alice]["duedate"].startswith("2020-01-01")  # grading kept the due date
    assert exported[alice]["timestamp"][:19] == stamp[:19]  # and recorded when it was submitted

    # 6. Feedback returned through the exchange; each student fetches their own.
    instructor(course, str(BIN / "nbgrader"), "release_feedback", ID)
    for fixture, student in students.items():
        student.nbgrader("fetch_feedback", ID)
        pages = list((student.home / ID / "feedback").glob(f"*/{ID}.html"))
        assert len(pages) == 1, pages
        page = pages[0].read_text()
        assert "hidden_checks" not in page and "_reference" not in page
        assert (COMMENT in page) == (student.name == alice)
        assert f"{ID}" in page
    if shown is None:
        pytest.skip(f"every step passed but the screenshot of formgrader's page: no Chromium at "
                    f"{CHROMIUM} (apt-get install chromium, as .ci/run does)")


def test_a_course_folder_lives_outside_the_repository(tmp_path):
    with pytest.raises(CourseError, match="inside the repository"):
        setup_course(REPO / "semester", COURSE_ID)
    with pytest.raises(CourseError, match="course id"):
        setup_course(tmp_path / "c", "my course")
    path, said = setup_course(tmp_path / "c", COURSE_ID, tmp_path / "exchange")
    assert said == [f"created the exchange folder {tmp_path / 'exchange'}, writable by every user "
                    f"(mode 777)"]
    text = path.read_text()
    assert f"c.CourseDirectory.course_id = {COURSE_ID!r}" in text
    assert f"c.Exchange.root = {str(tmp_path / 'exchange')!r}" in text
    assert setup_course(tmp_path / "c", COURSE_ID, tmp_path / "exchange") == (  # same: kept
        path, [f"the exchange folder {tmp_path / 'exchange'} exists and every user may write "
               f"into it"])
    with pytest.raises(CourseError, match="other settings"):
        setup_course(tmp_path / "c", "other")
    assert re.search(r"load_subconfig\('.*nbgrader_config\.py'\)", text)


def test_setup_course_says_what_is_wrong_with_the_exchange(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(CourseError, match="exists and is not a folder"):
        setup_course(tmp_path / "c", COURSE_ID, tmp_path / "file")
    assert not (tmp_path / "c").exists()  # nothing written
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    _, said = setup_course(tmp_path / "c", COURSE_ID, private)
    assert said == [f"the exchange folder {private} has mode 700: students can submit only if "
                    f"they may write into it (`chmod 777 {private}`, or a group of theirs)"]
