"""Cursor pagination of the API's lists: rows in primary-key order, the cursor an opaque
base64 of the last row's key, so a client walks every row once whatever is added meanwhile."""

from __future__ import annotations

import base64
import binascii

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from factorytiers.accounts.fields import parse_id

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The key a cursor stands for; a cursor this API did not hand out is a 400."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    pk = parse_id(text)
    if pk is None:
        raise HttpError(400, _("游标无效：请使用上一页返回的 next 值。"))
    return pk


def page(qs: QuerySet, *, cursor: str | None, limit: int) -> dict:
    """``{"items": rows, "next": cursor or None}`` of at most ``limit`` rows after ``cursor``."""
    qs = qs.order_by("pk")
    if cursor:
        qs = qs.filter(pk__gt=decode_cursor(cursor))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next": encode_cursor(rows[-1].pk) if more else None}
