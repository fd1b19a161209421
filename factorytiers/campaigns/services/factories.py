"""A factory's built scenarios and its tier history: recognitions (one tier in force at a
time: a higher tier ends a lower one's validity, kept in the history), revocations and
downgrades."""

from datetime import timedelta

from django.utils.translation import gettext as _

from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import after_commit, editing
from factorytiers.domain.dates import add_years
from factorytiers.domain.tiers import TIERS, is_lower
from factorytiers.enterprises.models import TierRecognition

from .. import notify
from ..errors import ServiceError
from ..models import FactoryScenario


def recognize(*, factory, tier, year, level, unit, document_number, recognized_on, valid_until):
    """A new entry of the factory's tier history (inside the caller's transaction). Every lower
    tier in force on ``recognized_on`` ends the day before, replaced by this one."""
    document_number = (document_number or "").strip()
    if not document_number:
        raise ServiceError(_("认定文号：请填写。"))
    recognition = TierRecognition.objects.create(
        factory=factory,
        tier=tier,
        year=year,
        recognized_by=level,
        recognizing_unit=unit,
        document_number=document_number,
        recognized_on=recognized_on,
        valid_until=valid_until,
    )
    if tier in TIERS:
        lower = [t for t in TIERS if is_lower(t, tier)]
        for ended in (
            TierRecognition.objects.select_for_update()
            .in_force(recognized_on)
            .filter(factory=factory, tier__in=lower)
            .exclude(pk=recognition.pk)
        ):
            ended.valid_until = recognized_on - timedelta(days=1)
            ended.replaced_by = recognition
            ended.version += 1
            ended.save(update_fields=["valid_until", "replaced_by", "version"])
    return recognition


def recognize_application(application, *, level, unit, document_number, recognized_on, valid_until):
    """The recognition of an application's factory for the application's tier (or its passed
    揭榜 acceptance)."""
    return recognize(
        factory=application.factory,
        tier=application.kind,
        year=application.campaign.year,
        level=level,
        unit=unit,
        document_number=document_number,
        recognized_on=recognized_on,
        valid_until=valid_until,
    )


def default_validity(campaign, recognized_on):
    years = campaign.settings.get("validity_years")
    if not years:
        return None
    return add_years(recognized_on, int(years)) - timedelta(days=1)


def save_factory_scenarios(*, actor, factory, scenarios: list, ai_scenarios: list, version) -> None:
    """Replace the factory's built scenarios. The enterprise and its city officer both edit
    them: a page older than the factory's last save is a conflict and writes nothing."""
    require(actor, "campaigns.change_factory_scenarios", factory)
    ai_ids = {s.pk for s in ai_scenarios}
    with editing(
        factory,
        actor=actor,
        version=version,
        action=AuditAction.FACTORY_SCENARIOS,
        unit=factory.enterprise.unit,
        save=False,
    ) as change:
        before = sorted(
            FactoryScenario.objects.filter(factory=factory).values_list(
                "scenario__number", flat=True
            )
        )
        FactoryScenario.objects.filter(factory=factory).exclude(scenario__in=scenarios).delete()
        for scenario in scenarios:
            FactoryScenario.objects.update_or_create(
                factory=factory, scenario=scenario, defaults={"uses_ai": scenario.pk in ai_ids}
            )
        change.note("scenarios", before, sorted(s.number for s in scenarios))


def revoke_recognition(
    *, actor, recognition, reason, revoked_on, downgrade_to="", document_number="", version
) -> str:
    """Revoke an entry of the tier history, or downgrade it (the lower tier is a new entry from
    the same day). Returns what was done, in words for the officer."""
    require(actor, "campaigns.revoke_recognition", recognition)
    reason = (reason or "").strip()
    document_number = (document_number or "").strip()
    if not reason:
        raise ServiceError(_("撤销或降级原因：请填写。"))
    if revoked_on < recognition.recognized_on:
        raise ServiceError(
            _("撤销日期：不能早于认定日期（%(day)s）。")
            % {"day": recognition.recognized_on.isoformat()}
        )
    with editing(
        recognition,
        actor=actor,
        version=version,
        action=AuditAction.RECOGNITION_REVOKE,
        unit=recognition.factory.enterprise.unit,
    ) as change:
        current = change.current
        if current.revoked:
            raise ServiceError(_("该认定已撤销。"))
        lower = None
        if downgrade_to:
            if downgrade_to not in TIERS or not is_lower(downgrade_to, current.tier):
                raise ServiceError(_("降为：应低于原级别“%(tier)s”。") % {"tier": current.tier})
            if not document_number:
                raise ServiceError(_("认定文号：降级须填写文号。"))
            lower = TierRecognition.objects.create(
                factory=current.factory,
                tier=downgrade_to,
                year=current.year,
                recognized_by=current.recognized_by,
                recognizing_unit=current.recognizing_unit,
                document_number=document_number,
                recognized_on=revoked_on,
                valid_until=current.valid_until,
            )
            change.apply({"replaced_by": lower})
        change.apply({"revoked": True, "revoked_reason": reason, "revoked_on": revoked_on})
    after_commit(lambda: notify.recognition_revoked(change.current, reason, lower))
    words = {
        "factory": current.factory.name,
        "tier": current.tier,
        "day": revoked_on.isoformat(),
    }
    if lower is not None:
        return _("已将%(factory)s的%(tier)s认定自%(day)s起降为%(lower)s（文号%(number)s）。") % {
            **words,
            "lower": lower.tier,
            "number": lower.document_number,
        }
    return _("已撤销%(factory)s的%(tier)s认定，自%(day)s起不再有效。") % words
