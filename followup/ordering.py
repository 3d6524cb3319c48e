"""Letters for ordered lists as the report writes them: a., b., ..., z., aa., ab., ..."""

from __future__ import annotations

from string import ascii_lowercase


def letter(position: int) -> str:
    """The letter of the 1-based `position`: 1 -> "a", 26 -> "z", 27 -> "aa"."""
    if position < 1:
        raise ValueError("Urutan dimulai dari 1.")
    text = ""
    while position:
        position, rest = divmod(position - 1, 26)
        text = ascii_lowercase[rest] + text
    return text
