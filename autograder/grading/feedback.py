"""The feedback page exporter of grading workers: nbconvert's HTMLExporter, made cheaper per page.

nbgrader's generate_feedback makes a new HTMLExporter for every submission. Two of its steps cost
more than the rest of the page together, and neither needs to be paid again for each page:

- Jinja compiles the feedback templates for each new exporter (about 0.2 s). A worker's exporters
  share one in-memory bytecode cache instead: a template is compiled once and loaded from the
  cache afterwards, as long as its source is unchanged (Jinja compares a checksum of it).
- HTMLExporter parses the whole rendered page with BeautifulSoup's pure-Python parser and writes
  it out again, only to add `tabindex="0"` to cell inputs and outputs and an `alt` text to images
  without one (0.1-0.4 s a page, growing with the page). `accessible` adds the same attributes to
  the rendered text directly.

The page means the same as stock nbconvert's: parsed by BeautifulSoup, it reads back as exactly
the stock page (tests/test_feedback_exporter.py).
"""

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

    def from_notebook_node(self, nb, resources=None, **kw):
        """Render like HTMLExporter.from_notebook_node; add its attributes with `accessible`."""
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return accessible(html), resources
