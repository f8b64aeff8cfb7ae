"""The feedback page exporter of grading workers: nbconvert's HTMLExporter, made cheaper per page.

nbgrader's generate_feedback makes a new HTMLExporter for every submission. These steps cost
most of a page, and none needs to be paid again for each page:

- Jinja compiles the feedback templates for each new exporter (about 0.2 s). A worker's exporters
  share one in-memory bytecode cache instead: a template is compiled once and loaded from the
  cache afterwards, as long as its source is unchanged (Jinja compares a checksum of it).
- HTMLExporter parses the whole rendered page with BeautifulSoup's pure-Python parser and writes
  it out again, only to add `tabindex="0"` to cell inputs and outputs and an `alt` text to images
  without one (0.1-0.4 s a page, growing with the page). `accessible` adds the same attributes to
  the rendered text directly.
- Pygments highlights every code cell and the markdown renderer renders every text cell (about a
  tenth of a second a page). Most cells are the same in every submission of an assignment (the
  text, the provided code, the tests), so a worker keeps what they rendered, by their inputs.

The page means the same as stock nbconvert's: parsed by BeautifulSoup, it reads back as exactly
the stock page (tests/test_feedback_exporter.py).
"""

import collections
import re

import jinja2
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

# What nbconvert's HTMLExporter writes into an image that has no alt text.
MISSING_ALT = "No description has been provided for this image"
FOCUSABLE_CLASSES = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}
_OPENING_TAG = re.compile(r"<(div|img)\b[^>]*>", re.IGNORECASE)
_TABINDEX = re.compile(r"""\stabindex\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


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
    """Rendered cell HTML by its inputs, kept in this process; the oldest go beyond `size`."""

    def __init__(self, size=4096):
        self.size = size
        self._html = collections.OrderedDict()

    def get(self, key, render):
        """The HTML for `key`, calling render() the first time it is asked for."""
        if key in self._html:
            self._html.move_to_end(key)
            return self._html[key]
        html = self._html[key] = render()
        if len(self._html) > self.size:
            self._html.popitem(last=False)
        return html

    def clear(self):
        self._html.clear()


RENDERED_CELLS = RenderedCells()


class _RememberedHighlight:
    """A Highlight2HTML filter whose results are kept in RENDERED_CELLS."""

    def __init__(self, highlight):
        self.highlight = highlight

    def __call__(self, source, language=None, metadata=None):
        options = tuple(sorted(self.highlight.extra_formatter_options.items()))
        key = ("highlight", self.highlight.pygments_lexer, language,
               (metadata or {}).get("magics_language"), options, source)
        return RENDERED_CELLS.get(key, lambda: self.highlight(source, language, metadata))


def accessible(html):
    """`html` with tabindex="0" on cell input wrappers and outputs, and alt text on bare images.

    The attributes nbconvert's HTMLExporter sets with BeautifulSoup, set in the opening tags
    the templates write, as it does: an existing tabindex becomes "0", an existing alt is kept.
    """
    def add(match):
        tag = match.group(0)
        attributes = tag[:-2] if tag.endswith("/>") else tag[:-1]
        closing = tag[len(attributes):]
        if match.group(1).lower() == "img":
            if re.search(r"\salt\s*=", attributes, re.IGNORECASE):
                return tag
            return f'{attributes} alt="{MISSING_ALT}"{closing}'
        found = _CLASS.search(attributes)
        classes = set((found.group(1) or found.group(2) or "").split()) if found else set()
        if not classes & FOCUSABLE_CLASSES:
            return tag
        if _TABINDEX.search(attributes):
            return _TABINDEX.sub(' tabindex="0"', attributes, count=1) + closing
        return f'{attributes} tabindex="0"{closing}'

    return _OPENING_TAG.sub(add, html)


class FeedbackExporter(HTMLExporter):
    """HTMLExporter sharing compiled templates within the process, without the BeautifulSoup pass."""

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED_TEMPLATES
        return environment

    @jinja2.pass_context
    def markdown2html(self, context, source):
        """HTMLExporter's markdown filter; a cell without attachments is rendered once."""
        if context.get("cell", {}).get("attachments") or self.embed_images:
            return super().markdown2html(context, source)
        key = ("markdown", self.anchor_link_text, self.exclude_anchor_links,
               repr(sorted(self.lexer_options.items())), source)
        return RENDERED_CELLS.get(key, lambda: super(FeedbackExporter, self).markdown2html(
            context, source))

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
