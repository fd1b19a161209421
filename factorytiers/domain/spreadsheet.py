"""Rules for cells of exported spreadsheets (formula injection)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: object) -> bool:
    """True for text that Excel or WPS would run as a formula if typed into a cell."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
