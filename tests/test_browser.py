"""Feedback pages and report.html as a person sees them: in headless Chromium (Debian's `chromium`).

A graded class (tests/submissions/markup.py) is opened page by page. Asserted: every message is
fully visible without scrolling sideways, the maths is laid out as MathML, no script a student
wrote ran, every request the page made stayed on file:// or data:, and the report's own sorting
script works under its Content-Security-Policy. Screenshots go to the test's tmp folder.
"""

import pathlib

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("markup_class")]

CHROMIUM = pathlib.Path("/usr/bin/chromium")
# Headless, as root, on a machine without network: no sandbox, and none of the background
# services that would keep trying to connect.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu"]
VIEWPORT = {"width": 1000, "height": 900}
ID = "01_notation"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package "
                    f"(apt-get install chromium), as .ci/run does")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (requirements.txt)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in a fresh browser context, with every request it made."""

    def __init__(self, browser, path):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.requests, self.blocked = [], {}  # every request, even one the policy then blocks
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed",
                     lambda request: self.blocked.update({request.url: request.failure}))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def remote_requests(self):
        return [url for url in self.requests if not url.startswith(("file://", "data:"))]

    def sideways(self, selector):
        """Elements matching `selector` whose content is wider than they are (would scroll)."""
        return self.page.eval_on_selector_all(
            selector, "els => els.filter(e => e.scrollWidth > e.clientWidth + 1)"
                      ".map(e => e.innerText.slice(0, 80))")

    def close(self):
        self.context.close()


def visible_text_with_dollars(visit):
    return visit.page.eval_on_selector_all(
        "div.text_cell_render", "els => els.map(e => e.innerText).filter(t => t.includes('$'))")


@pytest.mark.parametrize("student", ["partial", "markup", "@formula"])
def test_feedback_page_in_a_browser(browser, markup_class, tmp_path, student):
    workdir, _, _ = markup_class
    visit = Visit(browser, workdir / "feedback" / student / ID / f"{ID}.html")
    try:
        visit.page.screenshot(path=tmp_path / f"{student}.png")  # the top: the summary
        assert visit.page.evaluate("window.pwned") is None  # no student script ran
        assert visit.remote_requests() == []
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
        assert visit.sideways("div.output_area pre, div.input_area pre") == []
        errors = visit.page.locator("div.output_error pre")
        assert errors.count() >= (0 if student == "markup" else 1)
        if errors.count():
            errors.first.screenshot(path=tmp_path / f"{student}-first-error.png")
        for index in range(errors.count()):  # each message laid out whole, inside the page
            box = errors.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT["width"]
        maths = visit.page.locator("math")
        assert maths.count() > 20
        sizes = [maths.nth(i).bounding_box() for i in range(0, maths.count(), 7)]
        assert all(box["width"] > 2 and box["height"] > 2 for box in sizes)
        assert visible_text_with_dollars(visit) == []
    finally:
        visit.close()


def test_maths_written_by_a_student_is_laid_out(browser, markup_class):
    workdir, _, _ = markup_class
    visit = Visit(browser, workdir / "feedback" / "markup" / ID / f"{ID}.html")
    try:
        sigmoid = visit.page.locator("math", has_text="σ").first
        numerator, denominator = (sigmoid.locator("mfrac > *").nth(i).bounding_box()
                                  for i in (0, 1))
        # laid out as a fraction: the numerator stands above the denominator, not beside it
        assert numerator["y"] + numerator["height"] <= denominator["y"] + 1
        assert numerator["height"] > 0 and denominator["width"] > numerator["width"]
        block = visit.page.locator("math[display=block]", has_text="g").first.bounding_box()
        assert block["width"] > 50 and block["height"] > 10
    finally:
        visit.close()


def test_report_in_a_browser(browser, markup_class, tmp_path):
    workdir, expected, _ = markup_class
    visit = Visit(browser, workdir / "report.html")
    try:
        visit.page.screenshot(path=tmp_path / "report.png")
        assert visit.remote_requests() == []
        assert visit.page.evaluate("window.pwned") is None
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
        assert visit.sideways("pre.message") == []
        assert visit.page.evaluate(
            "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")

        def first_column():
            return visit.page.eval_on_selector_all("table#students tbody tr",
                                                   "rows => rows.map(r => r.cells[0].innerText)")

        assert first_column() == sorted(expected)
        total = visit.page.locator("table#students th", has_text="total")
        total.click()  # the report's own script runs: ascending by total
        ascending = first_column()
        assert [expected[s] for s in ascending] == sorted(expected.values())
        total.click()
        assert [expected[s] for s in first_column()] == sorted(expected.values(), reverse=True)
    finally:
        visit.close()


def test_the_security_policy_holds_where_the_sanitiser_would_fail(browser, markup_class, tmp_path):
    """The page's Content-Security-Policy on its own: script and a remote image slipped into the
    page (as if the sanitiser had missed them) neither run nor load; without the policy they do."""
    workdir, _, _ = markup_class
    page = (workdir / "feedback" / "partial" / ID / f"{ID}.html").read_text()
    slipped = ("<script>window.pwned = 1</script>"
               "<img src='https://attacker.invalid/slipped.png'>")
    policy_start = page.index('<meta http-equiv="Content-Security-Policy"')
    policy = page[policy_start:page.index(">", policy_start) + 1]
    for name, text, protected in [("with-policy.html", page, True),
                                  ("without-policy.html", page.replace(policy, ""), False)]:
        path = tmp_path / name
        path.write_text(text.replace("</body>", slipped + "</body>", 1))
        visit = Visit(browser, path)
        try:
            ran = visit.page.evaluate("window.pwned")
            remote = "https://attacker.invalid/slipped.png"
            if protected:
                assert ran is None and visit.blocked.get(remote) == "csp"
            else:  # the attack, where nothing but the sanitiser stood in its way
                assert ran == 1 and remote in visit.requests
        finally:
            visit.close()
