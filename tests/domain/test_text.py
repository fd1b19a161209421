from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.text import clean_name, has_visible, is_invisible, is_mark

INVISIBLE = [
    " ",
    "\u3000",
    "\u00a0",
    "\t",
    "\n",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\u2061",
    "\u2062",
    "\u2063",
    "\u2064",
    "\ufeff",
    "\u180e",
    "\u3164",
    "\u115f",
    "\u1160",
    "\uffa0",
    "\u2800",
    "\u2028",
    "\u2029",
    "\x00",
    "\x7f",
    "\u202e",
]

invisible_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(INVISIBLE),
        st.characters(categories=["Cf", "Cc", "Zs", "Zl", "Zp"]),
        st.characters(categories=["Mn", "Me"]),
    ),
    min_size=0,
    max_size=30,
)
visible_char = st.characters(categories=["Lo", "Lu", "Ll", "Nd"]).filter(
    lambda c: c not in INVISIBLE
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\u200b\u200b",
        "\u2060",
        "\ufeff",
        "\u3000\u3000",
        " \u3000 \u200b ",
        "\u3164",
        "\u2800\u2800",
        "\u0301",
        " \u0301\u0308",
        "\u200b\u0301",
    ],
    ids=repr,
)
def test_text_of_nothing_visible_is_no_name(text: str) -> None:
    assert clean_name(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("太原晋华重工有限公司", "太原晋华重工有限公司"),
        ("\u3000太原晋华重工\u3000", "太原晋华重工"),
        ("\u200b晋华\u200b重工\ufeff", "晋华重工"),
        ("晋华  \u3000 重工", "晋华 重工"),
        ("Cafe\u0301 One", "Cafe\u0301 One"),
        ("A \u0301B", "A B"),
        ("\ue000晋", "\ue000晋"),  # a private-use rare character stays
    ],
)
def test_names_keep_what_shows(text: str, name: str) -> None:
    assert clean_name(text) == name


@given(invisible_text)
def test_any_text_of_invisible_characters_is_refused(text: str) -> None:
    assert clean_name(text) is None


@given(invisible_text, visible_char, invisible_text)
def test_a_visible_character_survives_any_invisible_surrounding(
    before: str, char: str, after: str
) -> None:
    name = clean_name(before + char + after)
    assert name is not None
    assert char in name


@given(st.text(max_size=40))
def test_a_clean_name_is_stable_and_has_no_invisible_edges(text: str) -> None:
    name = clean_name(text)
    if name is None:
        return
    assert clean_name(name) == name
    assert has_visible(name)
    assert not is_invisible(name[0]) and not is_invisible(name[-1])
    assert not is_mark(name[0])
    assert all(char == " " or unicodedata.category(char) not in {"Cf", "Cc", "Zs"} for char in name)
    assert "  " not in name
