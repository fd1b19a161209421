"""Names people type (an enterprise, a contact person, a project, a factory): one rule.

A name is kept with its outer invisible characters stripped, every run of spaces (ASCII,
ideographic U+3000, no-break…) collapsed to one ASCII space, and the invisible characters inside
it removed (zero-width spaces, joiners, direction marks, BOM, control characters). Text with
nothing visible left — only spaces, zero-width or format characters, control characters, Hangul
fillers, the blank braille pattern, combining marks with no letter to sit on — is no name at all.

Private-use characters are kept: Chinese registries use them for rare characters in names.
"""

from __future__ import annotations

import unicodedata

# Characters that draw nothing although Unicode files them as letters or symbols.
BLANK_LOOKING = frozenset(
    {
        "\u115f",  # HANGUL CHOSEONG FILLER
        "\u1160",  # HANGUL JUNGSEONG FILLER
        "\u3164",  # HANGUL FILLER
        "\uffa0",  # HALFWIDTH HANGUL FILLER
        "\u2800",  # BRAILLE PATTERN BLANK
        "\u180e",  # MONGOLIAN VOWEL SEPARATOR (a format character in recent Unicode)
        "\u034f",  # COMBINING GRAPHEME JOINER
    }
)
# Categories that are never visible by themselves: format, control, surrogates, separators.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Zs", "Zl", "Zp"})
SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})


def is_space(char: str) -> bool:
    """A character that separates words: ASCII and ideographic spaces, line breaks, tabs."""
    return unicodedata.category(char) in SPACE_CATEGORIES or char in "\t\n\r\x0b\x0c"


def is_invisible(char: str) -> bool:
    """A character that shows nothing by itself."""
    return char in BLANK_LOOKING or unicodedata.category(char) in INVISIBLE_CATEGORIES


def is_mark(char: str) -> bool:
    """A combining mark: visible only on a letter before it."""
    return unicodedata.category(char) in MARK_CATEGORIES and char not in BLANK_LOOKING


def has_visible(text: str) -> bool:
    """Whether anything in ``text`` would show on the page (a mark alone does not)."""
    return any(not is_invisible(char) and not is_mark(char) for char in text)


def clean_name(text: str) -> str | None:
    """The name as stored, or None when nothing visible is left (see the module docstring)."""
    words: list[str] = []
    word: list[str] = []
    for char in text:
        if is_space(char):
            if word:
                words.append("".join(word))
                word = []
        elif not is_invisible(char):
            word.append(char)
    if word:
        words.append("".join(word))
    # A combining mark at the start of a word has no letter to sit on (it was a space or an
    # invisible character): it goes, and a word of nothing else goes with it.
    kept = [stripped for w in words if (stripped := _without_leading_marks(w))]
    return " ".join(kept) if kept else None


def _without_leading_marks(word: str) -> str:
    start = 0
    while start < len(word) and is_mark(word[start]):
        start += 1
    return word[start:]
