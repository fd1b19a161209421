"""Enterprise self-registration: anyone may ask for an account for an enterprise; the city
officer of its unit approves or rejects.

One enterprise, one account: the credit code is the account's log-in name, and at most one
registration per credit code is approved at a time (a database constraint). Approval creates the
enterprise, or binds the user to the enterprise the city entered itself (a claim: its data
stays). When the enterprise already has an account, or another registration of the same credit
code was approved, approval needs an explicit replacement with a written reason: the earlier
registration becomes superseded and its user is deactivated and loses the enterprise.

Nothing a registrant sees depends on whether the credit code is known: every submission is
accepted alike, and a second one is flagged to the city, beside the first."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit, people
from factorytiers.accounts.models import AuditAction, Registration, User
from factorytiers.accounts.predicates import require
from factorytiers.accounts.roles import Role
from factorytiers.accounts.writes import Refused
from factorytiers.domain.text import has_visible
from factorytiers.reference.models import IndustryCode

from .models import Enterprise

PROFILE_FIELDS = Enterprise.PROFILE_FIELDS


class RegistrationRefused(Refused):
    """An approval or rejection refused for a reason the city officer can act on."""


def submit_registration(*, data: dict) -> Registration:
    """Anyone may ask; the enterprise profile waits in the request until approved. A credit code
    already registered or asked for is accepted alike (the city sees the flag)."""
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
            password_hash=make_password(data["password"]),
            profile=profile,
        )
        audit.record(actor=None, action=AuditAction.REGISTRATION_SUBMIT, target=registration)
    return registration


# -- reads ---------------------------------------------------------------------------------------


def registrations_for(user) -> QuerySet[Registration]:
    """The registrations ``user`` sees, each with its flags: ``has_others`` (another pending or
    approved registration of the same credit code), ``is_held`` (the enterprise of that credit
    code has an active account), ``is_registered`` (the enterprise is in the registry)."""
    others = (
        Registration.objects.filter(credit_code=OuterRef("credit_code"))
        .exclude(pk=OuterRef("pk"))
        .exclude(status=Registration.Status.REJECTED)
    )
    held = people.enterprise_users_of_credit_code(OuterRef("credit_code"))
    registered = Enterprise.objects.filter(credit_code=OuterRef("credit_code"))
    return (
        Registration.objects.visible_to(user)
        .select_related("unit", "reviewed_by", "user", "replaces")
        .annotate(has_others=Exists(others), is_held=Exists(held), is_registered=Exists(registered))
    )


@dataclass(frozen=True)
class Review:
    """What the city sees beside a registration: the other registrations of its credit code,
    the enterprise of that code if registered, and the accounts acting for it now."""

    registration: Registration
    others: list[Registration]
    enterprise: Enterprise | None
    enterprise_elsewhere: bool  # registered in another unit: cannot be approved here
    holders: list[User]

    @property
    def needs_replacement(self) -> bool:
        return bool(self.holders) or any(
            other.status == Registration.Status.APPROVED for other in self.others
        )

    @property
    def is_claim(self) -> bool:
        return self.enterprise is not None and not self.needs_replacement

    @property
    def flagged(self) -> bool:
        return self.needs_replacement or any(
            other.status == Registration.Status.PENDING for other in self.others
        )


def review_of(user, registration: Registration) -> Review:
    others = list(
        registrations_for(user)
        .filter(credit_code=registration.credit_code)
        .exclude(pk=registration.pk)
        .order_by("submitted_at")
    )
    enterprise = Enterprise.objects.filter(credit_code=registration.credit_code).first()
    elsewhere = enterprise is not None and enterprise.unit_id != registration.unit_id
    holders = [] if enterprise is None else list(people.enterprise_users(enterprise.pk))
    return Review(
        registration=registration,
        others=others,
        enterprise=None if elsewhere else enterprise,
        enterprise_elsewhere=elsewhere,
        holders=[] if elsewhere else holders,
    )


# -- writes --------------------------------------------------------------------------------------


def _written(text: str | None) -> str:
    """A reason as written, or "" when nothing visible was written."""
    text = (text or "").strip()
    return text if has_visible(text) else ""


def _require_review(actor, registration: Registration) -> None:
    require(actor, "accounts.review_registration", registration)
    if registration.status != Registration.Status.PENDING:
        raise RegistrationRefused(_("该申请已处理，不能重复审核。"))


def _decide(registration: Registration, actor, status: str) -> None:
    registration.status = status
    registration.reviewed_by = actor
    registration.reviewed_at = timezone.now()
    registration.save()


def _new_enterprise(actor, registration: Registration) -> Enterprise:
    profile = dict(registration.profile)
    profile["industry"] = IndustryCode.objects.get(code=profile["industry"])
    profile = {k: (v if v not in ("", "None") else None) for k, v in profile.items()}
    for optional in ("address", "contact_email"):
        profile[optional] = profile.get(optional) or ""
    enterprise = Enterprise(unit=registration.unit, **profile)
    enterprise.full_clean(exclude=["unit"])
    enterprise.save()
    audit.record(actor=actor, action=AuditAction.ENTERPRISE_CREATE, target=enterprise)
    return enterprise


def _replace(actor, registration, enterprise, holders, previous, reason: str) -> None:
    """Take the enterprise from its current accounts and supersede the approved registration."""
    taken = []
    for holder in holders:
        taken.append(holder.username)
        holder.is_active = False
        holder.enterprise = None
        if holder.username.upper() == registration.credit_code:
            # The credit code is the new account's log-in name; the old one keeps its own.
            holder.username = f"{holder.username}-{holder.pk}"
        holder.save(update_fields=["is_active", "enterprise", "username"])
    for old in previous:
        old.status = Registration.Status.SUPERSEDED
        old.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=AuditAction.REGISTRATION_SUPERSEDE,
        target=previous[0] if previous else registration,
        unit=registration.unit,
        facts={
            "reason": reason,
            "replaced_users": taken,
            "replaced_by": registration.contact_name,
            "enterprise": enterprise.name if enterprise else registration.enterprise_name,
        },
    )


def approve_registration(
    *, actor, registration: Registration, replace: bool = False, reason: str = ""
) -> User:
    """Create (or claim) the enterprise and its account, in one transaction. When the
    enterprise already has an account or an approved registration, only ``replace`` with a
    ``reason`` approves (see the module docstring)."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        _require_review(actor, registration)
        code = registration.credit_code
        enterprise = Enterprise.objects.select_for_update().filter(credit_code=code).first()
        if enterprise is not None and enterprise.unit_id != registration.unit_id:
            raise RegistrationRefused(
                _("该信用代码的企业已在其他地市登记，请驳回并请企业联系省级管理员核实。")
            )
        holders = (
            list(people.enterprise_users(enterprise.pk).select_for_update())
            if enterprise is not None
            else []
        )
        previous = list(
            Registration.objects.select_for_update()
            .filter(credit_code=code, status=Registration.Status.APPROVED)
            .exclude(pk=registration.pk)
        )
        reason = _written(reason)
        if holders or previous:
            if not replace:
                raise RegistrationRefused(
                    _(
                        "该企业已有账号，不能直接通过。如核实本申请人才是该企业的经办人，"
                        "请选择“替换原账号”并填写替换理由；否则请驳回。"
                    )
                )
            if not reason:
                raise RegistrationRefused(_("替换原账号：须填写替换理由。"))
        replacing = bool(holders or previous)
        if replacing:
            _replace(actor, registration, enterprise, holders, previous, reason)
        claimed = enterprise is not None and not replacing
        if User.objects.filter(username__iexact=code).exists():
            raise RegistrationRefused(
                _("登录名“%(name)s”已被其他账号占用，请联系系统管理员核实。") % {"name": code}
            )
        if enterprise is None:
            enterprise = _new_enterprise(actor, registration)
        user = User(
            username=code,
            password=registration.password_hash,
            role=Role.ENTERPRISE,
            enterprise=enterprise,
            full_name=registration.contact_name,
            phone=registration.contact_phone,
            email=registration.profile.get("contact_email") or "",
        )
        user.save()
        registration.user = user
        registration.reason = reason
        registration.replaces = previous[0] if previous else None
        _decide(registration, actor, Registration.Status.APPROVED)
        facts = {"user": user.username, "enterprise": enterprise.name}
        if claimed:
            facts["claimed"] = True
        if replacing:
            facts["reason"] = reason
        audit.record(
            actor=actor, action=AuditAction.REGISTRATION_APPROVE, target=registration, facts=facts
        )
    return user


def reject_registration(*, actor, registration: Registration, reason: str) -> Registration:
    reason = _written(reason)
    if not reason:
        raise RegistrationRefused(_("审核意见：驳回时须填写审核意见。"))
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
