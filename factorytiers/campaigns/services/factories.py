"""A factory's built scenarios and its tier history (recognitions, revocations, downgrades)."""

from datetime import timedelta

from django.utils.translation import gettext as _

from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import after_commit, editing
from factorytiers.domain.tiers import TIERS, is_lower
from factorytiers.enterprises.models import TierRecognition

from .. import notify
from ..errors import ServiceError
from ..models import FactoryScenario


def new_recognition(*, application, level, unit, document_number, recognized_on, valid_until):
    """The tier history entry of an application's recognition (inside the caller's transaction)."""
    document_number = (document_number or "").strip()
    if not document_number:
        raise ServiceError(_("认定文号：请填写。"))
    return TierRecognition.objects.create(
        factory=application.factory,
        tier=application.tier,
        year=application.campaign.year,
        recognized_by=level,
        recognizing_unit=unit,
        document_number=document_number,
        recognized_on=recognized_on,
        valid_until=valid_until,
    )


def default_validity(campaign, recognized_on):
    years = campaign.settings.get("validity_years")
    if not years:
        return None
    return recognized_on.replace(year=recognized_on.year + int(years)) - timedelta(days=1)


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
):
    require(actor, "campaigns.revoke_recognition", recognition)
    reason = (reason or "").strip()
    document_number = (document_number or "").strip()
    if not reason:
        raise ServiceError(_("撤销或降级原因：请填写。"))
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
        if downgrade_to:
            if downgrade_to not in TIERS or not is_lower(downgrade_to, current.tier):
                raise ServiceError(_("降为：应低于原级别“%(tier)s”。") % {"tier": current.tier})
            if not document_number:
                raise ServiceError(_("认定文号：降级须填写文号。"))
            change.apply(
                {
                    "replaced_by": TierRecognition.objects.create(
                        factory=current.factory,
                        tier=downgrade_to,
                        year=current.year,
                        recognized_by=current.recognized_by,
                        recognizing_unit=current.recognizing_unit,
                        document_number=document_number,
                        recognized_on=revoked_on,
                    )
                }
            )
        change.apply({"revoked": True, "revoked_reason": reason, "revoked_on": revoked_on})
    after_commit(lambda: notify.recognition_revoked(change.current, reason))
    return change.current
