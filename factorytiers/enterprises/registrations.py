"""Enterprise self-registration: anyone may ask for an account for an enterprise; the city
officer of its unit approves (the enterprise and its user are created) or rejects."""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.models import AuditAction, Registration, User
from factorytiers.accounts.predicates import require
from factorytiers.accounts.roles import Role
from factorytiers.reference.models import IndustryCode

from .models import Enterprise

PROFILE_FIELDS = Enterprise.PROFILE_FIELDS


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
        audit.record(actor=None, action=AuditAction.REGISTRATION_SUBMIT, target=registration)
    return registration


def registrations_for(user):
    return Registration.objects.visible_to(user).select_related("unit", "reviewed_by")


def _require_review(actor, registration: Registration) -> None:
    require(actor, "accounts.review_registration", registration)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(_("该申请已处理，不能重复审核。"))


def _decide(registration: Registration, actor, status: str) -> None:
    registration.status = status
    registration.reviewed_by = actor
    registration.reviewed_at = timezone.now()
    registration.save()


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
            audit.record(actor=actor, action=AuditAction.ENTERPRISE_CREATE, target=enterprise)
        user = User(
            username=registration.username,
            password=registration.password_hash,
            role=Role.ENTERPRISE,
            enterprise=enterprise,
            full_name=registration.contact_name,
            phone=registration.contact_phone,
        )
        user.save()
        registration.user = user
        _decide(registration, actor, Registration.Status.APPROVED)
        audit.record(
            actor=actor,
            action=AuditAction.REGISTRATION_APPROVE,
            target=registration,
            facts={"user": user.username, "enterprise": enterprise.name},
        )
    return user


def reject_registration(*, actor, registration: Registration, reason: str) -> Registration:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("驳回时须填写审核意见。"))
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        _require_review(actor, registration)
        registration.reason = reason
        _decide(registration, actor, Registration.Status.REJECTED)
        audit.record(
            actor=actor,
            action=AuditAction.REGISTRATION_REJECT,
            target=registration,
            facts={"reason": reason},
        )
    return registration
