"""Drawn signatures for the demo's check-ins: a different scribble for every name.

The strokes follow the grammar of `signature.clean_path` (400 x 150 box, one decimal), as
if drawn on the check-in page, so the demo's attendance lists and berita acara show
signatures where the seed's paper lists have them. Deterministic: the same name gives the
same drawing, so loading the demo twice gives the same documents.
"""

from __future__ import annotations

import hashlib
import math

from .signature import HEIGHT, WIDTH, clean_path


def demo_signature(name: str) -> str:
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    loops = 3 + digest[0] % 4
    slant = (digest[1] % 20 - 10) / 40
    height = 28 + digest[2] % 22
    start, end = 30 + digest[3] % 40, WIDTH - 30 - digest[4] % 80
    points = []
    steps = 48
    for i in range(steps + 1):
        t = i / steps
        x = start + (end - start) * t
        y = HEIGHT / 2 + height * math.sin(2 * math.pi * loops * t + digest[5] / 40) * (1 - 0.5 * t)
        y += slant * (x - WIDTH / 2) * 0.3
        x += 14 * math.cos(2 * math.pi * loops * t)  # the loops of a handwritten line
        points.append((min(max(x, 1), WIDTH - 1), min(max(y, 1), HEIGHT - 1)))
    stroke = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(points))
    flourish_y = min(HEIGHT - 8, HEIGHT / 2 + height + 12)
    underline = f"M{start + 10:.1f} {flourish_y:.1f} L{(start + end) / 2:.1f} {flourish_y + 4:.1f} L{end:.1f} {flourish_y - 3:.1f}"
    return clean_path(f"{stroke} {underline}")
