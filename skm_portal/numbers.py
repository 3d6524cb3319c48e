"""Numbers as Indonesians read them: 92,38 and 1.234 (half-up rounding, exact input)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Number = int | Fraction | Decimal


def round_half_up(value: Number, places: int) -> Decimal:
    """Round an exact value half away from zero to `places` decimals."""
    exact = Fraction(value)
    scaled = abs(exact) * 10**places
    whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    result = Decimal(whole).scaleb(-places)
    return -result if exact < 0 else result


def format_decimal(
    value: int | Fraction | Decimal | None, places: int = 2, *, sign: bool = False, empty: str = "-"
) -> str:
    if value is None:
        return empty
    rounded = round_half_up(value, places)
    text = f"{abs(rounded):,.{places}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if rounded < 0:
        return "\u2212" + text
    if sign and rounded > 0:
        return "+" + text
    return text


def format_int(value: int | None, empty: str = "-") -> str:
    if value is None:
        return empty
    return f"{value:,d}".replace(",", ".")


def format_percent(part: int, whole: int, places: int = 1) -> str:
    if not whole:
        return "-"
    return format_decimal(Fraction(part * 100, whole), places) + " %"
