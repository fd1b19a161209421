"""Account writes: self-registration and its review by the city officer."""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.enterprises.models import Enterprise
from factorytiers.reference.models import IndustryCode

from . import audit
from .models import Registration, Role, User
from .predicates import is_admin, require

PROFILE_FIELDS = [
    "name",
    "credit_code",
    "address",
    "nature",
    "industry",
    "sector",
    "employees",
    "revenue_wan",
    "main_business_revenue_wan",
    "contact_name",
    "contact_phone",
    "contact_email",
]


def submit_registration(*, data: dict) -> Registration:
    """Anyone may ask; the enterprise profile waits in the request until approved."""
    profile = {
        key: (str(value) if value is not None and key != "industry" else value)
        for key, value in data.items()
        if key in PROFILE_FIELDS
    }
    profile["industry"] = data["industry"].code
    with transaction.atomic():
        registration = Registration.objects.create(
            credit_code=data["credit_code"],
            enterprise_name=data["name"],
            unit=data["unit"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            username=data["username"],
            password_hash=make_password(data["password"]),
            profile=profile,
        )
        audit.record(actor=None, action="registration.submit", target=registration)
    return registration


def registrations_for(user):
    qs = Registration.objects.select_related("unit", "reviewed_by")
    if is_admin(user) or user.role == Role.PROVINCE:
        return qs
    if user.role == Role.CITY:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def _require_review(actor, registration: Registration) -> None:
    require(actor, "accounts.review_registration", registration)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(_("该申请已处理，不能重复审核。"))


def approve_registration(*, actor, registration: Registration) -> User:
    """Create (or bind to) the enterprise and the enterprise user, in one transaction."""

    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        _require_review(actor, registration)
        if User.objects.filter(username__iexact=registration.username).exists():
            raise ValidationError(
                _("登录名“%(name)s”已被占用，请驳回并请企业重新申请。")
                % {"name": registration.username}
            )
        enterprise = Enterprise.objects.filter(credit_code=registration.credit_code).first()
        if enterprise is not None and enterprise.unit_id != registration.unit_id:
            raise ValidationError(_("该信用代码的企业已登记，请驳回并请企业联系省级管理员核实。"))
        if enterprise is None:
            profile = dict(registration.profile)
            profile["industry"] = IndustryCode.objects.get(code=profile["industry"])
            profile = {k: (v if v not in ("", "None") else None) for k, v in profile.items()}
            for optional in ("address", "contact_email"):
                profile[optional] = profile.get(optional) or ""
            enterprise = Enterprise(unit=registration.unit, **profile)
            enterprise.full_clean(exclude=["unit"])
            enterprise.save()
            audit.record(actor=actor, action="enterprise.create", target=enterprise)
        user = User(
            username=registration.username,
            password=registration.password_hash,
            role=Role.ENTERPRISE,
            enterprise=enterprise,
            full_name=registration.contact_name,
            phone=registration.contact_phone,
        )
        user.save()
        registration.status = Registration.Status.APPROVED
        registration.reviewed_by = actor
        registration.reviewed_at = timezone.now()
        registration.user = user
        registration.save()
        audit.record(
            actor=actor,
            action="registration.approve",
            target=registration,
            changes={"user": user.username, "enterprise": enterprise.name},
        )
    return user


def reject_registration(*, actor, registration: Registration, reason: str) -> Registration:
    if not reason.strip():
        raise ValidationError(_("驳回时须填写审核意见。"))
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        _require_review(actor, registration)
        registration.status = Registration.Status.REJECTED
        registration.reviewed_by = actor
        registration.reviewed_at = timezone.now()
        registration.reason = reason.strip()
        registration.save()
        audit.record(
            actor=actor,
            action="registration.reject",
            target=registration,
            changes={"reason": reason.strip()},
        )
    return registration
