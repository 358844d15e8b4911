"""Numbers as the app shows them, with the chosen language's separators (1,234.5 in English,
1.234,5 in Portuguese); None shows as a dash."""

import math

from keras_resnets_app.language import portuguese


def localize(text):
    """A formatted number with the decimal point and thousands separators of the language."""
    if not portuguese():
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def num(x, digits=2):
    """A float with ``digits`` decimals (None: as short as exact), a decimal comma in
    Portuguese."""
    if x is None:
        return "—"
    return localize(f"{x:g}" if digits is None else f"{x:,.{digits}f}")


def pct(x, digits=1):
    """0.1234 -> '12.3%' ('12,3%' in Portuguese)."""
    if x is None:
        return "—"
    return localize(f"{x:.{digits}%}")


def integer(n):
    """1234567 -> '1,234,567' ('1.234.567' in Portuguese)."""
    return localize(f"{int(n):,}")


def human(n):
    """1234567 -> '1.23 M'."""
    if n is None:
        return "—"
    n = float(n)
    for unit, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= scale:
            return localize(f"{n / scale:.3g} {unit}")
    return localize(f"{n:.3g}")


def power_of_ten(x):
    """3.2e17 -> '3 × 10^17'."""
    exponent = math.floor(math.log10(x))
    mantissa = round(x / 10 ** exponent)
    if mantissa == 10:
        mantissa, exponent = 1, exponent + 1
    return f"10^{exponent}" if mantissa == 1 else f"{mantissa} × 10^{exponent}"


def big_int(n):
    """A path count that may be astronomically large: exact below 10^12, else
    '2^58 ≈ 3 × 10^17'."""
    if n is None:
        return "—"
    n = int(n)
    if n < 10 ** 12:
        return integer(n)
    bits = math.log2(n)
    power = f"2^{bits:.0f}" if abs(bits - round(bits)) < 1e-9 else f"2^{num(bits, 1)}"
    return f"{power} ≈ {power_of_ten(float(n))}"


def file_size(n):
    """1536 -> '1.50 kB'."""
    if n is None:
        return "—"
    for unit, scale in (("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= scale:
            return f"{num(n / scale)} {unit}"
    return f"{n} B"
