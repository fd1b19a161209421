"""Control characters in typed text: removed, never stored.

Text pasted from other programs can carry characters nobody sees — vertical tab (U+000B) from
Word, form feed, NUL, C1 controls from a mis-decoded file, a lone surrogate half, the
non-characters U+FFFE/U+FFFF. XML 1.0 forbids most of them, so a DOCX holding one cannot be
written, and none means anything in a form. Tab, line feed and carriage return stay.
"""

from __future__ import annotations

import re

# C0 except \t \n \r; DEL and C1 (U+007F–U+009F); surrogates; U+FFFE and U+FFFF.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def is_control_character(char: str) -> bool:
    """Whether the one character ``char`` is removed from typed text."""
    return CONTROL_CHARACTERS.fullmatch(char) is not None


def strip_control_characters(text: str) -> str:
    """``text`` without control characters (tab, line feed and carriage return kept)."""
    return CONTROL_CHARACTERS.sub("", text)
