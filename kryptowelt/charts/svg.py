"""SVG text building blocks: compact numbers, attributes with escaping, the accessible root
element, paths, and an estimate of how wide a text is.

Every chart is one `<svg role="img">` named by its `<title>` and described by its `<desc>`
(both referenced by id through `aria-labelledby`); everything inside is `aria-hidden`,
because the description and the data table next to a chart say what it shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

# Widths in em, generous for common sans-serif fonts (DejaVu Sans, the widest usual
# system-ui fallback, has 0.64 em digits): narrow punctuation and spaces, wide capitals.
_NARROW = set(".,:;'!|il \u00a0\u202f")
_WIDE = set("MWmw%@")
NARROW_EM, NORMAL_EM, WIDE_EM = 0.36, 0.7, 1.0
# Vertical extent of a line of text around its baseline, in em (ascent and descent).
ASCENT_EM, DESCENT_EM = 0.95, 0.25


def num(value: float) -> str:
    """One decimal place at most: 12.0 → "12", 12.34 → "12.3"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def data_number(value: float) -> str:
    """Compact, exact-enough number for data attributes (read by scripts)."""
    return f"{value:.10g}"


def text_width(text: str, font_size: float) -> float:
    """Estimated width of `text` in user units; errs on the wide side so labels placed by it
    stay inside the chart whatever sans-serif font the reader's system picks."""
    em = sum(NARROW_EM if c in _NARROW else WIDE_EM if c in _WIDE else NORMAL_EM for c in text)
    return em * font_size


def text_box(
    text: str, *, x: float, y: float, font_size: float, anchor: str = "start", dy_em: float = 0
) -> tuple[float, float, float, float]:
    """Estimated (left, top, right, bottom) of a `<text>` at (x, y) with `text-anchor`
    `anchor` and a baseline shift of `dy_em`."""
    width = text_width(text, font_size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    baseline = y + dy_em * font_size
    return left, baseline - ASCENT_EM * font_size, left + width, baseline + DESCENT_EM * font_size


def attributes(values: Mapping[str, object]) -> str:
    """` name="value"` pairs, escaped; None and "" are left out."""
    return "".join(
        f' {name}="{escape(str(value))}"'
        for name, value in values.items()
        if value not in (None, "")
    )


def element(tag: str, values: Mapping[str, object], content: str = "") -> str:
    """An element; `content` is markup (escape text with `html.escape` first)."""
    if content:
        return f"<{tag}{attributes(values)}>{content}</{tag}>"
    return f"<{tag}{attributes(values)}/>"


def path_data(coords: Iterable[tuple[float, float]]) -> str:
    """ "M x y L x y …" through the points."""
    return "M" + " L".join(f"{num(x)} {num(y)}" for x, y in coords)


def document(
    *,
    dom_id: str,
    classes: str,
    width: float,
    height: float,
    title: str,
    description: str,
    body: Iterable[str],
    extra: Mapping[str, object] | None = None,
) -> str:
    """The accessible root element around `body`: an image named by `<title>` and described
    by `<desc>` (ids `<dom_id>-title`, `<dom_id>-desc`)."""
    root = {
        "id": dom_id,
        "class": classes,
        "viewBox": f"0 0 {num(width)} {num(height)}",
        "role": "img",
        "aria-labelledby": f"{dom_id}-title {dom_id}-desc",
        **(extra or {}),
    }
    return (
        f"<svg{attributes(root)}>"
        f'<title id="{escape(dom_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(dom_id)}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )
