"""Feedback pages and report.html readable by everyone: WCAG 2.1 A and AA, checked in headless
Chromium (Debian's `chromium`, through playwright) with axe-core.

The class graded once for the page tests (tests/conftest.py `markup_class`: full, partial and
blank work of 01_notation and 04_chain_rule, and two submissions whose text attacks the reader)
is opened page by page at 1280 and 320 CSS px. Asserted: axe-core finds no violation of a rule
tagged wcag2a, wcag2aa, wcag21a or wcag21aa; at 320 px no page scrolls sideways, and what scrolls
inside a box of its own is reachable by keyboard and named; every <math> carries its TeX; each
page has lang, one <main> and scoped, captioned tables; the report's sort buttons work from the
keyboard; links are underlined; printed, every text is dark on light and a PDF comes out.

axe-core is vendored (tests/vendor/axe-core, MPL-2.0) so that the tests run offline; it is run by
evaluating its source in the page, which the pages' Content-Security-Policy does not govern.
"""

import pathlib

import pytest
from bs4 import BeautifulSoup

from test_browser import browser  # noqa: F401 (the fixture: headless Chromium, or a skip)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("markup_class")]

AXE = pathlib.Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [1280, 320]
NARROW = 320
# (student, assignment) of every feedback page the class gets.
PAGES = [(student, "01_notation") for student in ("complete", "partial", "empty", "markup",
                                                  "@formula")] + \
        [(student, "04_chain_rule") for student in ("complete", "partial", "empty")]

RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                      resultTypes: ["violations"]}).then(result =>
    result.violations.map(v => ({rule: v.id, impact: v.impact, count: v.nodes.length,
                                 first: v.nodes[0].target.join(" "),
                                 why: v.nodes[0].failureSummary})))"""

# Elements whose content scrolls sideways inside them, with what a keyboard user needs to reach it.
SCROLLING_BOXES = """() => Array.from(document.querySelectorAll("body *")).filter(e => {
    const style = getComputedStyle(e);
    return ["auto", "scroll"].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
  }).map(e => ({tag: e.tagName.toLowerCase(), tabindex: e.tabIndex, role: e.getAttribute("role"),
                name: e.getAttribute("aria-label"), text: e.innerText.slice(0, 60)}))"""

# Text shown on a background: [text, colour, background], the background the nearest painted one.
TEXT_ON_BACKGROUND = """() => {
  const painted = e => { for (; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour; }
    return "rgb(255, 255, 255)"; };
  return Array.from(document.querySelectorAll("body *")).filter(e =>
      Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) &&
      e.getClientRects().length).map(e =>
      [e.textContent.trim().slice(0, 40), getComputedStyle(e).color, painted(e)]);
}"""


def luminance(css_rgb):
    """WCAG relative luminance of a computed colour 'rgb(r, g, b)' or 'rgba(r, g, b, a)'."""
    channels = [float(c) for c in css_rgb[css_rgb.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
              for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def all_pages(workdir):
    return [workdir / "report.html"] + [workdir / "feedback" / student / assignment /
                                        f"{assignment}.html" for student, assignment in PAGES]


def open_page(browser, path, width):  # noqa: F811 (browser: the fixture)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page


def test_the_class_has_every_page(markup_class):
    workdir, _, _ = markup_class
    assert sorted(workdir.glob("feedback/*/*/*.html")) == sorted(all_pages(workdir)[1:])


@pytest.fixture(scope="module")
def visits(browser, markup_class):  # noqa: F811
    """{width: {page: what it shows at that width}}: every page of the class opened once at each
    width, axe-core run in it and its layout measured, for the two tests below."""
    workdir, _, _ = markup_class
    found = {}
    for width in WIDTHS:
        for path in all_pages(workdir):
            context, page = open_page(browser, path, width)
            try:
                page.evaluate(AXE.read_text() + "\n;0")
                found.setdefault(width, {})[path] = {
                    "axe": page.evaluate("axe.version"),
                    "violations": page.evaluate(RUN_AXE, WCAG_TAGS),
                    "page width": page.evaluate("document.documentElement.scrollWidth"),
                    "boxes": page.evaluate(SCROLLING_BOXES),
                    "images": page.evaluate("() => Array.from(document.images).map(i => "
                                            "[i.getBoundingClientRect().right, i.naturalWidth, "
                                            "i.width])")}
            finally:
                context.close()
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_no_wcag_violations(visits, markup_class, width):
    workdir, _, _ = markup_class
    assert {shown["axe"] for shown in visits[width].values()} == {AXE_VERSION}
    found = {str(path.relative_to(workdir)): shown["violations"]
             for path, shown in visits[width].items() if shown["violations"]}
    assert found == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_boxes_that_do_are_reachable(visits, markup_class, width):
    workdir, _, _ = markup_class
    boxes = {}
    for path, shown in visits[width].items():
        assert shown["page width"] <= width, path
        boxes[path] = shown["boxes"]
        for box in boxes[path]:  # scrolls from the keyboard, and says what it holds
            assert box["tabindex"] == 0 and box["role"] == "group" and box["name"], (path, box)
        images = shown["images"]
        assert all(right <= width for right, _, _ in images), path
        if path.name == "report.html" and width == NARROW:  # the histograms are scaled down
            assert images and all(drawn < natural for _, natural, drawn in images)
    if width == NARROW:  # the widest maths and the report's tables do need their boxes there
        chain_rule = [b for p, found in boxes.items() if p.name == "04_chain_rule.html"
                      for b in found]
        assert {b["name"] for b in chain_rule} >= {"Equation"}
        assert any(b["tag"] == "div" and "Score of each student" in b["name"]
                   for b in boxes[workdir / "report.html"])


def test_every_formula_carries_its_tex(markup_class):
    workdir, _, _ = markup_class
    for path in all_pages(workdir)[1:]:
        formulas = BeautifulSoup(path.read_text(), "html.parser").find_all("math")
        assert len(formulas) > 100, path
        assert all(formula.get("alttext", "").strip() for formula in formulas), path
    markup = BeautifulSoup((workdir / "feedback" / "markup" / "01_notation" /
                            "01_notation.html").read_text(), "html.parser")
    alttexts = [formula["alttext"] for formula in markup.find_all("math")]
    # the student's own maths (tests/submissions/markup.py), as they wrote it
    assert r"\sigma(z) = \frac{1}{1 + e^{-z}}" in alttexts
    assert r"A^{[l]} = g\left(W^{[l]} A^{[l-1]} + b^{[l]}\right)" in alttexts


def test_language_landmark_tables_and_links(browser, markup_class):  # noqa: F811
    workdir, _, _ = markup_class
    for path in all_pages(workdir):
        soup = BeautifulSoup(path.read_text(), "html.parser")
        assert soup.html.get("lang") == "en", path
        mains = soup.find_all("main")
        assert len(mains) == 1, path
        assert all(th.get("scope") in ("col", "row") for th in soup.find_all("th")), path
        if path.name == "report.html":
            assert mains[0].h1.get_text() == "Class report"
            assert all(table.caption and table.caption.get_text().strip()
                       for table in soup.find_all("table"))
            # the students', one per assignment; the similarity section's tables come after
            assert len(soup.select("table#students")) == 1
            assert len(soup.select("table.exercises")) == 2
        else:  # the score summary is inside <main>, said in words
            summary = mains[0].find("h1")
            assert "(Score: " in summary.get_text(), path
            assert all("Score: " in item.get_text() for item in mains[0].select("#toc li"))
    context, page = open_page(browser, workdir / "feedback" / "partial" / "04_chain_rule" /
                              "04_chain_rule.html", 1280)
    try:
        not_underlined = page.evaluate("""() => Array.from(document.querySelectorAll("a[href]"))
            .filter(a => !getComputedStyle(a).textDecorationLine.includes("underline"))
            .map(a => a.outerHTML.slice(0, 80))""")
        assert not_underlined == []
    finally:
        context.close()


def test_report_sorts_from_the_keyboard(browser, markup_class):  # noqa: F811
    workdir, expected, _ = markup_class
    context, page = open_page(browser, workdir / "report.html", NARROW)
    try:
        headings = page.locator("table#students thead th")
        assert headings.count() == 4  # student, 01, 04, total
        for index in range(headings.count()):
            assert headings.nth(index).locator("button").count() == 1
        assert [headings.nth(i).get_attribute("aria-sort") for i in range(4)] == \
            ["ascending", "none", "none", "none"]
        for _ in range(12):  # Tab until the "total" button has the focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "total":
                break
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        page.keyboard.press("Enter")

        def first_column():
            return page.eval_on_selector_all("table#students tbody tr",
                                             "rows => rows.map(r => r.cells[0].innerText)")

        assert [expected[s] for s in first_column()] == sorted(expected.values())
        assert [headings.nth(i).get_attribute("aria-sort") for i in range(4)] == \
            ["none", "none", "none", "ascending"]
        page.keyboard.press("Enter")
        assert [expected[s] for s in first_column()] == sorted(expected.values(), reverse=True)
        assert headings.nth(3).get_attribute("aria-sort") == "descending"
    finally:
        context.close()


@pytest.mark.parametrize("name", ["report.html", "feedback/partial/04_chain_rule/04_chain_rule.html"])
def test_printed_dark_on_light(browser, markup_class, tmp_path, name):  # noqa: F811
    workdir, _, _ = markup_class
    context, page = open_page(browser, workdir / name, 1280)
    try:
        page.emulate_media(media="print")
        shown = page.evaluate(TEXT_ON_BACKGROUND)
        pdf = tmp_path / "printed.pdf"
        page.pdf(path=pdf, format="A4")
    finally:
        context.close()
    assert len(shown) > 50
    faint = [(text, colour, background) for text, colour, background in shown
             if luminance(background) < 0.8 or contrast(colour, background) < 4.5]
    assert faint == []
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 20_000


def test_a_late_page_with_wide_tables_and_coloured_tracebacks(browser, tmp_path):  # noqa: F811
    """What the class does not show: a late penalty in the summary, a markdown table and an HTML
    output table wider than 320 px, 256-colour tracebacks; rendered by the course's exporter."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from test_feedback_exporter import course_exporter, grades

    wide = "| " + " | ".join(f"column {i}" for i in range(12)) + " |\n" + "|---" * 12 + "|\n" + \
        "| " + " | ".join(f"$W^{{[{i}]}}_{{jk}} + b^{{[{i}]}}_j$" for i in range(12)) + " |\n"
    output_table = ("<table><thead><tr>" + "".join(f"<th>feature {i}</th>" for i in range(15)) +
                    "</tr></thead><tbody><tr>" + "".join(f"<td>{i}.5</td>" for i in range(15)) +
                    "</tr></tbody></table>")
    nb = new_notebook(cells=[
        new_markdown_cell("## Shapes\n\n" + wide),
        new_code_cell("table()", execution_count=1, outputs=[
            new_output("display_data", data={"text/html": output_table, "text/plain": "t"})]),
        new_code_cell("check()", execution_count=2, outputs=[new_output(
            "error", ename="CheckError", evalue="wrong",
            traceback=["\x1b[38;5;66mCell\x1b[0m \x1b[1;38;5;28mIn[2]\x1b[0m, line 1",
                       "\x1b[38;5;241m----> 1\x1b[0m check()",
                       "\x1b[38;5;208mCheckError\x1b[0m: wrong"])]),
    ], metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    resources = grades()
    resources["nbgrader"]["late_penalty"] = 1
    path = tmp_path / "late.html"
    path.write_text(course_exporter().from_notebook_node(nb, resources)[0])
    for width in WIDTHS:
        context, page = open_page(browser, path, width)
        try:
            page.evaluate(AXE.read_text() + "\n;0")
            assert page.evaluate(RUN_AXE, WCAG_TAGS) == [], width
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert page.locator("li.late-penalty").inner_text().startswith("Late submission")
            boxes = page.evaluate(SCROLLING_BOXES)
        finally:
            context.close()
        assert all(box["tabindex"] == 0 and box["name"] for box in boxes)
        if width == NARROW:  # both tables scroll in their boxes
            assert sorted(box["name"] for box in boxes) == ["Table", "Table"]
