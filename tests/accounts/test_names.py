"""Every field where a name is typed is the one name field: invisible-only text is refused."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from factorytiers.accounts.models import User
from factorytiers.accounts.names import NameField
from factorytiers.campaigns.forms import ApplicationForm, CampaignForm, OverseasForm
from factorytiers.enterprises.forms import EnterpriseForm, FactoryForm, RegistrationForm


def _admin_user_form():
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True)
    return site._registry[User].get_form(request, obj=User(pk=1))


NAME_FIELDS = [
    (EnterpriseForm, "name"),
    (EnterpriseForm, "contact_name"),
    (RegistrationForm, "name"),
    (RegistrationForm, "contact_name"),
    (FactoryForm, "name"),
    (ApplicationForm, "project_name"),
    (CampaignForm, "title"),
    (CampaignForm, "issuer"),
    (CampaignForm, "contact_name"),
    (CampaignForm, "contact_department"),
    (OverseasForm, "contact"),
    (_admin_user_form, "full_name"),
]
INVISIBLE = ["\u200b\u200b", "\u2060", "\ufeff", "\u3000\u3000", "\u3164", "\u2800", " \u0301"]


@pytest.mark.parametrize(
    ("form", "field"),
    NAME_FIELDS,
    ids=[f"{getattr(f, '__name__', 'admin')}-{n}" for f, n in NAME_FIELDS],
)
@pytest.mark.parametrize("text", INVISIBLE, ids=repr)
def test_every_name_field_refuses_invisible_only_text(db, form, field, text):
    form_class = form() if form is _admin_user_form else form
    name_field = form_class.base_fields[field]
    assert isinstance(name_field, NameField)
    with pytest.raises(ValidationError) as refused:
        name_field.clean(text)
    assert refused.value.code == "invisible"


def test_a_name_is_stored_without_invisible_characters():
    assert NameField(max_length=64).clean("\u200b 晋华\ufeff重工\u3000 ") == "晋华重工"
    assert NameField(max_length=64, required=False).clean("") == ""
