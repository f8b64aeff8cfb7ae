"""The feedback page exporter of grading workers: nbconvert's HTMLExporter, made cheaper per page.

nbgrader's generate_feedback makes a new HTMLExporter for every submission. These steps cost
most of a page, and none needs to be paid again for each page:

- Jinja compiles the feedback templates for each new exporter (about 0.2 s). A worker's exporters
  share one in-memory bytecode cache instead: a template is compiled once and loaded from the
  cache afterwards, as long as its source is unchanged (Jinja compares a checksum of it).
- HTMLExporter parses the whole rendered page with BeautifulSoup and writes it out again, only to
  add `tabindex="0"` to cell inputs and outputs inside `.jp-Notebook` and an `alt` text to images
  without one (0.1-0.4 s a page, growing with the page). `accessible` finds the same tags with the
  same tokenizer (the standard library's HTMLParser, which BeautifulSoup uses here) and rewrites
  only those; a page with neither (nbgrader's feedback template, figures off) is not parsed.
- Pygments highlights every code cell and the markdown renderer renders every text cell (about a
  tenth of a second a page). Most cells are the same in every submission of an assignment (the
  text, the provided code, the tests), so a worker keeps what they rendered, by their inputs.

`FeedbackExporter.from_notebook_node` is HTMLExporter.from_notebook_node of nbconvert 7.17 (the
version requirements.txt pins) with the BeautifulSoup pass replaced by `accessible`. With
`sanitize_html` and `offline_math` off, its page parsed by BeautifulSoup reads back as exactly the
stock page (tests/test_feedback_exporter.py).

Both are on by default, because a student wrote much of what a feedback page shows and anyone may
open it: markdown, HTML outputs and raw cells go through `safe_html.clean`, script and widget
outputs are dropped (nbconvert's `sanitize_html`), and LaTeX in markdown becomes MathML when the
page is written, so maths shows without MathJax, offline. The course's template (TEMPLATES,
`course_feedback`, chosen in autograder/course/nbgrader_config.py) adds the Content-Security-Policy.

So is `accessible_pages`, for pages everyone can read (WCAG 2.1 AA, checked with axe-core in
tests/test_accessibility.py): code and traceback colours with enough contrast (colours.py), and
display maths and tables in boxes of their own (`scroll_boxes`) that scroll sideways, reachable by
keyboard, where they are wider than a narrow screen, so that the page itself never does.
"""

import collections
import html as html_module
import html.parser
import pathlib

import re

import jinja2
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.ansi import ansi2html
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import Bool, default

from . import colours, safe_html

# The course's nbconvert templates: course_feedback/ extends nbgrader's feedback template.
TEMPLATES = pathlib.Path(__file__).parent / "templates"

# What nbconvert's HTMLExporter writes into an image that has no alt text.
MISSING_ALT = "No description has been provided for this image"
FOCUSABLE_CLASSES = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}
NOTEBOOK_CLASS = "jp-Notebook"
MAX_REMEMBERED_SOURCE = 32 * 1024  # characters; longer cells are rendered each time


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in this process, keyed by Jinja's template key."""

    def __init__(self):
        self._code = {}

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja if the source's checksum changed

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self):
        self._code.clear()


COMPILED_TEMPLATES = MemoryBytecodeCache()


class RenderedCells:
    """Rendered cell HTML by its inputs, kept in this process; the oldest go beyond `size`.

    Only sources up to MAX_REMEMBERED_SOURCE characters are kept: a long cell is most likely one
    student's own, and keeping it would cost memory without ever being reused.
    """

    def __init__(self, size=4096):
        self.size = size
        self._html = collections.OrderedDict()

    def get(self, options, source, render):
        """The HTML of `source` rendered with `options` (a hashable), render() on a miss."""
        if len(source) > MAX_REMEMBERED_SOURCE:
            return render()
        key = (options, source)
        if key in self._html:
            self._html.move_to_end(key)
            return self._html[key]
        rendered = self._html[key] = render()
        if len(self._html) > self.size:
            self._html.popitem(last=False)
        return rendered

    def __len__(self):
        return len(self._html)

    def clear(self):
        self._html.clear()


RENDERED_CELLS = RenderedCells()


class _RememberedHighlight:
    """A Highlight2HTML filter whose results are kept in RENDERED_CELLS."""

    def __init__(self, highlight):
        self.highlight = highlight

    def __call__(self, source, language=None, metadata=None):
        options = ("highlight", self.highlight.pygments_lexer, language,
                   (metadata or {}).get("magics_language"),
                   repr(sorted(self.highlight.extra_formatter_options.items())))
        return RENDERED_CELLS.get(options, source,
                                  lambda: self.highlight(source, language, metadata))


def accessible(page):
    """`page` with tabindex="0" on cell input wrappers and outputs, and alt text on bare images.

    The attributes nbconvert's HTMLExporter sets with BeautifulSoup: every <img> without an alt
    gets MISSING_ALT, and every <div> of a FOCUSABLE_CLASSES class inside an element of class
    jp-Notebook gets tabindex="0" (replacing any other value). Other tags keep their text.
    """
    lowered = page.lower()
    if "<img" not in lowered and NOTEBOOK_CLASS.lower() not in lowered:
        return page
    finder = _TagsToChange()
    finder.feed(page)
    finder.close()
    line_starts = [0]
    for line in page.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    pieces, done = [], 0
    for (line, column), text, tag in finder.changes:
        begin = line_starts[line - 1] + column
        pieces += [page[done:begin], tag]
        done = begin + len(text)
    return "".join(pieces + [page[done:]])


class _TagsToChange(html.parser.HTMLParser):
    """Collects ((line, column), original text, new text) of the start tags `accessible` changes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.changes = []
        self._notebook = None  # [tag name, depth] of the open jp-Notebook element

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        if self._notebook and tag == self._notebook[0]:
            self._notebook[1] -= 1
            if self._notebook[1] == 0:
                self._notebook = None

    def _start(self, tag, attrs, closed):
        values = dict(attrs)  # a repeated attribute: the last one counts, as in BeautifulSoup
        classes = set((values.get("class") or "").split())
        if self._notebook and tag == self._notebook[0] and not closed:
            self._notebook[1] += 1
        elif self._notebook is None and NOTEBOOK_CLASS in classes and not closed:
            self._notebook = [tag, 1]
        if tag == "img" and "alt" not in values:
            values["alt"] = MISSING_ALT
        elif tag == "div" and self._notebook and classes & FOCUSABLE_CLASSES:
            if values.get("tabindex") == "0":
                return
            values["tabindex"] = "0"
        else:
            return
        written = "".join(f' {name}="{html_module.escape(value, quote=True)}"' if value is not None
                          else f" {name}" for name, value in values.items())
        self.changes.append((self.getpos(), self.get_starttag_text(),
                             f"<{tag}{written}{' />' if closed else '>'}"))


# A box that scrolls sideways on its own when what it holds is wider than the page; focusable, so
# that it scrolls from the keyboard too, and named for what it holds.
_SCROLL_BOX = '<{tag} class="scroll-box" tabindex="0" role="group" aria-label="{name}">'
# An inline formula with this many characters of maths (x, =, 2, ...) or more may be wider than
# a line of text at 320 px (up to 10 px a character): it gets a box of its own. Shorter ones
# cannot be, and stay unboxed, so the keyboard does not stop at each symbol in the text.
LONG_INLINE_FORMULA = 20
_FORMULA = re.compile(r"<math\b[^>]*>.*?</math>", re.S)
_TABLE_START, _TABLE_END = re.compile(r"<table\b"), re.compile(r"</table\s*>")
_TABLE_PART = re.compile(r"<(thead|tbody)\b.*?</\1\s*>", re.S)
_HEADER_CELL_WITHOUT_SCOPE = re.compile(r"<th(?=[\s>])(?![^>]*\bscope=)")


def _boxed_formula(found):
    formula = found.group(0)
    if re.match(r'<math\b[^>]*\bdisplay="block"', formula):
        return _SCROLL_BOX.format(tag="div", name="Equation") + formula + "</div>"
    characters = html_module.unescape(re.sub(r"<[^>]*>", "", formula))
    if len("".join(characters.split())) >= LONG_INLINE_FORMULA:
        return _SCROLL_BOX.format(tag="span", name="Equation") + formula + "</span>"
    return formula


def scroll_boxes(markup):
    """`markup` (sanitised HTML) with each display formula, each long inline one and each table
    in a scroll box, and a scope on each header cell without one: "col" in a table's head, "row"
    in its body."""
    markup = _FORMULA.sub(_boxed_formula, markup)
    markup = _TABLE_START.sub(_SCROLL_BOX.format(tag="div", name="Table") + "<table", markup)
    markup = _TABLE_END.sub("</table></div>", markup)
    return _TABLE_PART.sub(
        lambda m: _HEADER_CELL_WITHOUT_SCOPE.sub(
            f'<th scope="{"col" if m.group(1) == "thead" else "row"}"', m.group(0)), markup)


def readable_ansi2html(text):
    """nbconvert's ansi2html, its inline colours made readable on the pages' code background."""
    return colours.readable_inline_colours(ansi2html(text))


# The pages' code colours, those of Pygments' default style too faint made readable (CSS rules).
HIGHLIGHT_CSS = colours.highlight_css()


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer with LaTeX written out as MathML instead of left for MathJax."""

    def block_math(self, body):
        return safe_html.mathml(body, display=True)

    def inline_math(self, body):
        return safe_html.mathml(body)

    def latex_environment(self, name, body):
        return safe_html.mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


class FeedbackExporter(HTMLExporter):
    """HTMLExporter sharing compiled templates within the process, without the BeautifulSoup pass,
    and by default safe to open: student HTML sanitised, maths as MathML."""

    offline_math = Bool(True, help="Render LaTeX in markdown as MathML when the page is written "
                                   "(no MathJax)").tag(config=True)

    accessible_pages = Bool(True, help="Code colours with enough contrast, display maths and "
                                       "tables in boxes that scroll sideways on their own, "
                                       "header cells with a scope (WCAG 2.1 AA)").tag(config=True)

    @default("sanitize_html")
    def _sanitize_html_default(self):
        return True

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED_TEMPLATES
        return environment

    def default_filters(self):
        yield from super().default_filters()
        if self.sanitize_html:
            yield ("clean_html", safe_html.clean)
        if self.accessible_pages:
            yield ("ansi2html", readable_ansi2html)
        yield ("scroll_boxes", scroll_boxes if self.accessible_pages else (lambda markup: markup))

    def _init_resources(self, resources):
        resources = super()._init_resources(resources)
        resources["content_security_policy"] = safe_html.CONTENT_SECURITY_POLICY
        resources["readable_code_css"] = HIGHLIGHT_CSS if self.accessible_pages else ""
        return resources

    @jinja2.pass_context
    def markdown2html(self, context, source):
        """HTMLExporter's markdown filter, sanitised and with MathML maths by default; a cell
        without attachments is rendered once."""
        if context.get("cell", {}).get("attachments") or self.embed_images:
            return self._markdown2html(context, source)
        options = ("markdown", self.anchor_link_text, self.exclude_anchor_links,
                   repr(sorted(self.lexer_options.items())), self.offline_math, self.sanitize_html,
                   self.accessible_pages)
        return RENDERED_CELLS.get(options, source, lambda: self._markdown2html(context, source))

    def _markdown2html(self, context, source):
        if not self.offline_math:
            rendered = super().markdown2html(context, source)
        else:
            cell = context.get("cell", {})
            renderer = MathMLRenderer(
                escape=False, attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
            rendered = MarkdownWithMath(renderer=renderer).render(source)
        rendered = safe_html.clean(rendered) if self.sanitize_html else rendered
        return scroll_boxes(rendered) if self.accessible_pages else rendered

    def from_notebook_node(self, nb, resources=None, **kw):
        """Render like HTMLExporter.from_notebook_node; add its attributes with `accessible`."""
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        highlight = self.filters.get("highlight_code",
                                     Highlight2HTML(pygments_lexer=lexer, parent=self))
        self.register_filter("highlight_code", _RememberedHighlight(highlight)
                             if isinstance(highlight, Highlight2HTML) else highlight)
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(html), resources
