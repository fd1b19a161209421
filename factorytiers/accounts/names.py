"""The one form field for a name people type (enterprise, contact person, project, factory,
expert): ``factorytiers.domain.text.clean_name`` decides what is stored and what is no name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from factorytiers.domain.text import clean_name


class NameField(forms.CharField):
    """A name with its invisible characters stripped; text of nothing visible is refused,
    whether the field is required or not."""

    default_error_messages = {
        "invisible": _("只有空格或不可见字符，请填写实际内容。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)  # clean_name strips, every kind of space included
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return text
        name = clean_name(text)
        if name is None:
            raise forms.ValidationError(self.error_messages["invisible"], code="invisible")
        return name


def name_fields(*names: str) -> dict:
    """``Meta.field_classes`` of a model form whose ``names`` are names."""
    return dict.fromkeys(names, NameField)
