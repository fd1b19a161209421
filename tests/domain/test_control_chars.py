import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from factorytiers.domain.control_chars import is_control_character, strip_control_characters

REMOVED = [
    *(chr(code) for code in range(0x00, 0x20) if chr(code) not in "\t\n\r"),
    *(chr(code) for code in range(0x7F, 0xA0)),
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "\ufffe",
    "\uffff",
]
KEPT = ["\t", "\n", "\r", " ", "a", "中", "\u00a0", "\u200b", "\u202e", "\ufffd", "𠀀", "𪚥", "😀"]


@pytest.mark.parametrize("char", REMOVED, ids=[f"U+{ord(c):04X}" for c in REMOVED])
def test_control_characters_are_removed(char):
    assert is_control_character(char)
    assert strip_control_characters(f"甲{char}乙{char}") == "甲乙"


@pytest.mark.parametrize("char", KEPT, ids=[f"U+{ord(c):04X}" for c in KEPT])
def test_ordinary_characters_and_line_breaks_stay(char):
    assert not is_control_character(char)
    assert strip_control_characters(f"甲{char}乙") == f"甲{char}乙"


def test_a_pasted_word_paragraph_loses_only_its_vertical_tabs():
    assert (
        strip_control_characters("一、总体情况\x0b二、下一步\r\n") == "一、总体情况二、下一步\r\n"
    )


@given(st.text())
def test_stripping_is_idempotent_and_only_removes(text):
    stripped = strip_control_characters(text)
    assert strip_control_characters(stripped) == stripped
    assert not any(is_control_character(c) for c in stripped)
    assert len(stripped) == len(text) - sum(is_control_character(c) for c in text)


@given(st.text(alphabet=st.characters(codec=None)))
def test_what_is_left_can_be_written_into_a_word_document(text):
    # python-docx writes through lxml, which refuses any string that is not XML text.
    element = etree.Element("t")
    element.text = strip_control_characters(text)
    assert etree.tostring(element)


def test_lxml_refuses_what_is_removed():
    for char in REMOVED:
        if "\x7f" <= char <= "\x9f":
            continue  # DEL and C1 are XML text, removed because they mean nothing in a form
        with pytest.raises(ValueError):
            etree.Element("t").text = f"甲{char}"
