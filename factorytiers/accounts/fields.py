"""Form fields for numbers and dates as this product reads them.

Django's own fields take whatever Python's ``int``/``Decimal`` take: full-width (``３``) and
Arabic-Indic (``٣``) digits, ``1_000``, ``1e3``, and integers far beyond any column. Here a
number is ASCII digits (an optional ``-`` and, for decimals, one ``.``), an integer stays within
a database integer, and a date lies in the years the product accepts (``domain.dates``), never
after today where it records something that happened. Every error says what is wrong; the
form's error summary puts the field's label before it.

``formfield`` is the ``formfield_callback`` of model forms, so their number and date fields
follow the same rules.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from factorytiers.domain.dates import FIRST_YEAR, LAST_YEAR, in_accepted_years

# The largest integer every supported database stores in an integer column.
INTEGER_LIMIT = 2**31 - 1

_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _typed_text(value) -> str | None:
    """The typed text without surrounding blanks, or None when nothing was typed."""
    text = str(value).strip()
    return text or None


class IntegerField(forms.IntegerField):
    default_error_messages = {"invalid": _("应为整数，请只用阿拉伯数字0–9填写。")}

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(
            min_value=-INTEGER_LIMIT if min_value is None else min_value,
            max_value=INTEGER_LIMIT if max_value is None else max_value,
            **kwargs,
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _typed_text(value)
        if text is None:
            return None
        if len(text) > 20 or not _INTEGER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class DecimalField(forms.DecimalField):
    default_error_messages = {"invalid": _("应为数字，请只用阿拉伯数字0–9和小数点填写。")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            text = _typed_text(value)
            if text is None:
                return None
            if len(text) > 40 or not _DECIMAL.fullmatch(text):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = text
        return super().to_python(value)


class DateField(forms.DateField):
    """A date in the accepted years; ``not_after_today`` for a date something happened on."""

    default_error_messages = {
        "invalid": _("应为有效日期，格式如2026-05-06。"),
        "years": _("应在%(first)s年至%(last)s年之间。"),
        "future": _("不能晚于今天（%(today)s）。"),
    }

    def __init__(self, *, not_after_today: bool = False, **kwargs):
        self.not_after_today = not_after_today
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if not in_accepted_years(value):
            raise ValidationError(
                self.error_messages["years"],
                code="years",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        today = timezone.localdate()
        if self.not_after_today and value > today:
            raise ValidationError(
                self.error_messages["future"], code="future", params={"today": today.isoformat()}
            )


def formfield(model_field, **kwargs):
    """A model form's field for ``model_field``: numbers and dates by the rules above."""
    if isinstance(model_field, models.DateTimeField):
        return model_field.formfield(**kwargs)
    if isinstance(model_field, models.DateField):
        return model_field.formfield(form_class=DateField, **kwargs)
    if isinstance(model_field, models.DecimalField):
        return model_field.formfield(form_class=DecimalField, **kwargs)
    if isinstance(model_field, models.IntegerField):
        return model_field.formfield(form_class=IntegerField, **kwargs)
    return model_field.formfield(**kwargs)


def parse_id(value) -> int | None:
    """A number posted or put in a link by hand (an id, a year, a rank): ASCII digits within
    a database integer, else None."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if number <= INTEGER_LIMIT else None
