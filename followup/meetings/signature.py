"""Signatures drawn on the check-in page: SVG path data, checked before it is stored.

The browser script (static/js/signature-pad.js) sends the strokes as "M x y L x y ..."
in a 400 x 150 box with whole or one-decimal numbers. Only that grammar is accepted, so
the stored text can be put inside <path d="..."> without escaping surprises; anything
else (markup, scripts, other commands, huge input) is refused. Pure Python.
"""

from __future__ import annotations

import re

WIDTH, HEIGHT = 400, 150
MAX_LENGTH = 30_000
MIN_POINTS = 2
_NUMBER = r"-?\d{1,4}(?:\.\d{1,2})?"
_TOKEN = re.compile(rf"([ML])\s*({_NUMBER})[\s,]+({_NUMBER})\s*")


class BadSignature(ValueError):
    """The data is not a drawn signature; the message is for the person signing."""


def clean_path(data: str) -> str:
    """Normalised path data ("M10 20 L11 21 ..."), or BadSignature."""
    data = (data or "").strip()
    if not data:
        raise BadSignature("Tanda tangan masih kosong.")
    if len(data) > MAX_LENGTH:
        raise BadSignature("Tanda tangan terlalu panjang. Hapus lalu tanda tangani ulang dengan lebih sederhana.")
    position, parts, points = 0, [], 0
    for match in _TOKEN.finditer(data):
        if match.start() != position:
            break
        command, x, y = match.group(1), float(match.group(2)), float(match.group(3))
        if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
            raise BadSignature("Data tanda tangan tidak sah (di luar bidang tanda tangan).")
        if not parts and command != "M":
            break
        parts.append(f"{command}{_fmt(x)} {_fmt(y)}")
        points += 1
        position = match.end()
    if position != len(data) or not parts:
        raise BadSignature("Data tanda tangan tidak sah. Silakan tanda tangani ulang.")
    if points < MIN_POINTS:
        raise BadSignature("Tanda tangan terlalu pendek. Silakan tanda tangani ulang.")
    return " ".join(parts)


def _fmt(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def svg(path: str, css_class: str = "signature-drawing") -> str:
    """Inline SVG markup of a cleaned path (re-checked here, so callers cannot slip raw text in)."""
    path = clean_path(path)
    return (
        f'<svg class="{css_class}" viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
        f'role="img" aria-label="tanda tangan"><path d="{path}" fill="none" stroke="#000" stroke-width="2.5" '
        f'stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )
