"""Rules for cells of exported spreadsheets (formula injection)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: object) -> bool:
    """True for text that Excel or WPS would run as a formula if typed into a cell."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def literal_csv_cell(value: object) -> object:
    """CSV has no cell types: text that starts like a formula gets a leading apostrophe."""
    return "'" + value if starts_like_formula(value) else value
