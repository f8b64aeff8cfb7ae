"""HTML that a student wrote, made inert; LaTeX made into MathML; the pages' security policy.

Feedback pages and report.html are opened by students and instructors in their browsers. What a
student wrote (markdown cells, HTML outputs, exception names) must run nothing and load nothing
there:

- `clean(html)` keeps an allowlist of tags and attributes (ammonia's, through nh3, plus MathML),
  drops `<script>`, `<style>`, event handlers and `javascript:` links, and keeps an image only
  when it is inline data (`data:image/...`), so no page fetches anything.
- `CONTENT_SECURITY_POLICY` goes into every page's <head>: no script runs, nothing is fetched
  except inline `data:` images and fonts, even if something slipped past `clean`.
- `mathml(latex, display)` renders maths at page-generation time, so it shows offline without
  MathJax (Chromium and Firefox lay MathML out natively); each `<math>` carries its TeX as
  `alttext`, the text a screen reader can speak when it cannot read the MathML itself.
"""

import html

import latex2mathml.converter
import nh3

# Page-wide policy, as a <meta> tag (the first element of <head>). `script_hashes`: sha256 hashes
# ('sha256-...') of the page's own inline scripts, the only scripts allowed to run.
_POLICY = ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
           "base-uri 'none'; form-action 'none'")


def content_security_policy(script_hashes=()):
    """The <meta> tag of the pages' Content-Security-Policy."""
    scripts = "".join(f" '{h}'" for h in script_hashes)
    allowed = f"{_POLICY}; script-src{scripts}" if scripts else _POLICY
    return f'<meta http-equiv="Content-Security-Policy" content="{allowed}">'


CONTENT_SECURITY_POLICY = content_security_policy()

MATHML_TAGS = {"math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext",
               "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder",
               "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose"}
MATHML_ATTRIBUTES = {"alttext", "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "form",
                     "lspace", "rspace", "accent", "accentunder", "movablelimits", "largeop",
                     "symmetric", "width", "height", "depth", "linethickness", "displaystyle",
                     "scriptlevel", "columnalign", "rowalign", "columnspacing", "rowspacing",
                     "notation", "encoding", "minsize", "maxsize"}

_TAGS = set(nh3.ALLOWED_TAGS) | MATHML_TAGS
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in MATHML_TAGS:
    _ATTRIBUTES.setdefault(_tag, set()).update(MATHML_ATTRIBUTES)
_ATTRIBUTES["img"] = _ATTRIBUTES.get("img", set()) | {"src", "alt", "width", "height", "title"}
# nbconvert's markup: highlighted code (<span class="k">), heading anchors (id, href="#...").
_ATTRIBUTES["*"] = {"class", "id", "title", "lang", "dir"}


def _keep_attribute(tag, name, value):
    """Drop any image source that is not inline data: an image must not be fetched."""
    if name == "src" and not value.strip().lower().startswith("data:image/"):
        return None
    if name == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


_CLEANER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, strip_comments=True,
                       url_schemes=set(nh3.ALLOWED_URL_SCHEMES) | {"data"},
                       attribute_filter=_keep_attribute,
                       clean_content_tags={"script", "style"}, link_rel="noopener noreferrer")


def clean(markup):
    """`markup` (HTML a student may have written) with nothing in it that runs or loads."""
    markup = markup.decode() if isinstance(markup, bytes) else str(markup)
    return _CLEANER.clean(markup) if markup else markup


def mathml(latex, display=False):
    """MathML for a LaTeX formula (no delimiters), its TeX in `alttext`; the LaTeX as plain text
    if it cannot convert.

    display: a block formula ($$...$$, \\begin{...}) rather than one inside a line of text.
    """
    tex = latex.strip()
    try:
        rendered = latex2mathml.converter.convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of errors on LaTeX it does not know
        delimiter = "$$" if display else "$"
        return f"<code>{html.escape(delimiter + latex + delimiter)}</code>"
    return rendered.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)
