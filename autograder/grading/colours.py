"""Text colours that stay readable on the feedback pages' light backgrounds (WCAG 2.1 contrast).

Highlighted code and coloured tracebacks sit on light grey (CODE_BACKGROUND). Pygments' default
style and IPython's traceback colours come close to, but not all reach, the contrast of 4.5:1
that WCAG 2.1 AA asks of normal text there. `readable` darkens such a colour, keeping its hue,
just enough; `highlight_css` and `readable_inline_colours` apply it to the pages' code colours.
"""

import re

from pygments.formatters import HtmlFormatter

AA_CONTRAST = 4.5  # WCAG 2.1 AA, text of normal size
# What `readable` aims at: a little above AA, so that rounding in a checker never tips it under.
TARGET_CONTRAST = 4.6
CODE_BACKGROUND = "#f5f5f5"  # of <pre> (Bootstrap 3), the darkest background code sits on


def rgb(colour):
    """(r, g, b) in 0..255 of '#rgb', '#rrggbb' or 'rgb(r, g, b)'."""
    colour = colour.strip().lower()
    found = re.fullmatch(r"rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)", colour)
    if found:
        return tuple(int(part) for part in found.groups())
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    if not re.fullmatch(r"[0-9a-f]{6}", digits):
        raise ValueError(f"not a colour: {colour!r} (expected #rgb, #rrggbb or rgb(r, g, b))")
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def luminance(colour):
    """WCAG 2.1 relative luminance of a colour, 0 (black) to 1 (white)."""
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground, background):
    """WCAG 2.1 contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour, background=CODE_BACKGROUND, minimum=TARGET_CONTRAST):
    """`colour` as '#rrggbb', darkened towards black (hue kept) until it has `minimum` contrast
    on `background`; unchanged if it has already."""
    r, g, b = rgb(colour)
    for step in range(101):
        scale = 1 - step / 100
        darker = "#{:02x}{:02x}{:02x}".format(*(round(c * scale) for c in (r, g, b)))
        if contrast(darker, background) >= minimum:
            return darker
    return "#000000"


def highlight_css(style="default", scope=".highlight"):
    """CSS rules that give each token colour of the Pygments `style` too faint on CODE_BACKGROUND
    a readable one (the rules of the other tokens are left out)."""
    rules = []
    for line in HtmlFormatter(style=style).get_style_defs(scope).splitlines():
        found = re.match(r"\s*([^{]+?)\s*\{[^}]*?(?<![-\w])color:\s*(#[0-9A-Fa-f]{3,6})", line)
        if found and contrast(found.group(2), CODE_BACKGROUND) < AA_CONTRAST:
            rules.append(f"{found.group(1)} {{ color: {readable(found.group(2))} }}")
    return "\n".join(rules)


_INLINE_COLOUR = re.compile(r'(style="[^"]*?(?<![-\w])color:\s*)(rgb\([\d\s,]+\)|#[0-9a-fA-F]{3,6})')


def readable_inline_colours(markup):
    """`markup` (nbconvert's ansi2html output: spans with style="color: rgb(...)") with each
    inline text colour made readable on CODE_BACKGROUND."""
    return _INLINE_COLOUR.sub(lambda m: m.group(1) + readable(m.group(2)), markup)
