"""联系电话: Chinese mobile, landline and 400/800 service numbers, checked and normalised."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

PhoneKind = Literal["mobile", "landline", "service", ""]


@dataclass(frozen=True)
class PhoneResult:
    """Outcome of :func:`check_phone`; ``normalized`` and ``kind`` are empty unless ``ok``."""

    ok: bool
    normalized: str
    kind: PhoneKind
    message: str


# Dash look-alikes that NFKC leaves alone but people paste from documents.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")

_SERVICE = re.compile(r"(?P<prefix>[48]00)-?(?P<rest>[0-9](?:-?[0-9]){6})")

_MOBILE = re.compile(
    r"(?:(?:\((?:\+|00)?86\)|(?:\+|00)?86)-?)?"
    r"(?P<a>1[3-9][0-9])-?(?P<b>[0-9]{4})-?(?P<c>[0-9]{4})"
)

# Only 010 and 02X are three-digit area codes; every other one has four digits. Knowing
# that splits an unseparated 03513183088 without guessing. Local numbers never start with
# 0 (trunk prefix) or 1 (service prefix).
_AREA = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_LANDLINE = re.compile(
    rf"(?:\((?P<area_paren>{_AREA})\)|(?P<area>{_AREA}))-?"
    r"(?P<local>[2-9][0-9]{6,7})"
    r"(?:(?:-|转|分机|ext\.?|x)(?P<extension>[0-9]{1,6}))?"
)

_MOBILE_START = re.compile(r"1[3-9][0-9]*")

_EXAMPLES = "（如 13912345678 或 0351-3183088）"


def check_phone(value: str) -> PhoneResult:
    """Accept a mobile, landline (with area code, optional extension) or 400/800 number."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return PhoneResult(False, "", "", f"联系电话不能为空{_EXAMPLES}")

    # Spaces only ever separate groups, so they can go; dashes stay as the grammar uses them.
    compact = _DASHES.sub("-", re.sub(r"\s+", "", text)).lower()

    if match := _SERVICE.fullmatch(compact):
        digits = match["rest"].replace("-", "")
        return _ok(f"{match['prefix']}-{digits[:3]}-{digits[3:]}", "service")
    if match := _MOBILE.fullmatch(compact):
        return _ok(match["a"] + match["b"] + match["c"], "mobile")
    if match := _LANDLINE.fullmatch(compact):
        area = match["area_paren"] or match["area"]
        number = f"{area}-{match['local']}"
        if match["extension"]:
            number += f"-{match['extension']}"
        return _ok(number, "landline")

    digits = compact.replace("-", "")
    # Digits that start like a mobile but have the wrong count are almost always a
    # dropped or doubled digit; saying so is more useful than the generic message.
    if _MOBILE_START.fullmatch(digits) and len(digits) != 11 and 8 <= len(digits) <= 14:
        message = f"手机号“{text}”应为11位数字，当前为{len(digits)}位"
    else:
        message = f"联系电话“{text}”不是有效的手机号或固定电话{_EXAMPLES}"
    return PhoneResult(False, "", "", message)


def _ok(normalized: str, kind: PhoneKind) -> PhoneResult:
    return PhoneResult(True, normalized, kind, "")
