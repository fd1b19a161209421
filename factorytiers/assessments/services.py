"""Writes of the maturity self-assessment. Each function checks the permission, writes in one
transaction (with optimistic locking where a record is edited) and records the audit entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from factorytiers.accounts import audit, bulk
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import EditConflict, Refused, is_current
from factorytiers.domain.maturity import (
    AnswerError,
    AssessmentScore,
    MaturityModel,
    display_score,
    level_name,
    score_assessment,
    unanswered_items,
)
from factorytiers.domain.maturity_bank import BankResult, bank_to_data
from factorytiers.domain.platform_results import BadRow, ResultError, RowCheck, check_result
from factorytiers.domain.platform_results import check_rows as check_result_rows
from factorytiers.enterprises.models import Enterprise

from .models import (
    Assessment,
    MaturityModelEdition,
    PlatformImport,
    PlatformResult,
)

MAX_EVIDENCE = 2000
MAX_REASON = 500
FIELD_KINDS = ("answer", "evidence", "left_out", "left_out_reason", "manufacturing_type")


class AssessmentClosed(Refused):
    """The assessment was submitted: it is read-only."""

    def __init__(self):
        super().__init__(_("该自评估已提交，不能再修改。如需重新评估，请新建一次自评估。"))
        self.messages = [str(self)]


# --------------------------------------------------------------------------------------------
# Assessments
# --------------------------------------------------------------------------------------------


def start_assessment(
    *, actor, enterprise: Enterprise, year: int, manufacturing_type: str = ""
) -> tuple[Assessment, bool]:
    """Open this year's draft of the enterprise, or create it from a copy of the last submitted
    assessment (answers, evidence and left-out sub-domains that exist in the active model).

    Returns (assessment, created).
    """
    require(actor, "assessments.assess_enterprise", enterprise)
    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)  # one start at a time
        draft = Assessment.objects.filter(
            enterprise=enterprise, year=year, status=Assessment.Status.DRAFT
        ).first()
        if draft is not None:
            return draft, False
        edition = MaturityModelEdition.objects.active()
        model = edition.model
        previous = (
            Assessment.objects.filter(enterprise=enterprise, status=Assessment.Status.SUBMITTED)
            .order_by("-submitted_at", "-pk")
            .first()
        )
        answers, evidence, left_out = {}, {}, {}
        kind = _valid_type(model, manufacturing_type)
        if previous is not None:
            items = {item.code for item in model.items}
            grades = {grade.key for grade in model.grades}
            subs = {sub.code for sub in model.sub_domains}
            answers = {k: v for k, v in previous.answers.items() if k in items and v in grades}
            evidence = {k: v for k, v in previous.evidence.items() if k in items}
            left_out = {k: v for k, v in previous.left_out.items() if k in subs}
            kind = kind or _valid_type(model, previous.manufacturing_type)
        assessment = Assessment(
            enterprise=enterprise,
            year=year,
            edition=edition,
            manufacturing_type=kind or model.manufacturing_types[0].code,
            answers=answers,
            evidence=evidence,
            left_out=left_out,
            copied_from=previous,
            created_by=actor,
        )
        assessment._history_user = actor
        assessment.save()
        audit.record(
            actor=actor,
            action=AuditAction.ASSESSMENT_CREATE,
            target=assessment,
            unit=enterprise.unit,
            facts={"copied_from": str(previous) if previous else None, "year": year},
        )
    return assessment, True


def _valid_type(model: MaturityModel, code: str) -> str:
    return code if any(kind.code == code for kind in model.manufacturing_types) else ""


@dataclass(frozen=True)
class FieldChange:
    """One autosaved field: ``kind`` (one of ``FIELD_KINDS``), ``key`` (item or sub-domain
    code), the new ``value`` (empty clears it) and the value the page last saw (``previous``,
    None when unknown)."""

    kind: str
    key: str
    value: str
    previous: str | None = None


def save_fields(
    *, actor, assessment: Assessment, changes: list[FieldChange], version: int | None
) -> Assessment:
    """Save answers, evidence notes, leave-out choices or reasons as they are given (autosave).

    Optimistic locking per field: when ``version`` is stale (the assessment was saved since the
    page read it) the save is refused with ``EditConflict`` unless, for every change, the value
    the page last saw (``previous``) is still the stored one, i.e. only other fields changed
    meanwhile (typically the same user's previous screen, still being saved); a field that
    already holds the new value is no conflict either. Bad input raises ``ValidationError``
    naming the item. All changes are saved, or none.
    """
    require(actor, "assessments.change_assessment", assessment)
    with transaction.atomic():
        current = _locked(assessment)
        stale = not is_current(current, version)
        for change in changes:  # in order: a later change of a field follows the earlier one
            if stale:
                stored = _stored(current, change.kind, change.key)
                seen = change.previous
                # A field already holding the value (a request resent by a closing page) is
                # no conflict; one that changed since the page saw it is.
                if change.value.strip() != stored and (seen is None or seen.strip() != stored):
                    raise EditConflict(current)
            _apply(current, change.kind, change.key, change.value)
        current.version += 1
        current.save_without_historical_record()
    return current


def save_page(
    *,
    actor,
    assessment: Assessment,
    answers: dict[str, str],
    evidence: dict[str, str],
    left_out: dict[str, str | None],
    version: int | None,
) -> Assessment:
    """Save one questionnaire screen at once (the form's own submit, with or without script).

    ``answers`` and ``evidence`` map item codes of the screen to values (an empty note clears
    it); ``left_out`` maps each sub-domain of the screen to its reason, or None when it applies.
    """
    require(actor, "assessments.change_assessment", assessment)
    with transaction.atomic():
        current = _locked(assessment, version)
        for code, grade in answers.items():
            if grade:
                _apply(current, "answer", code, grade)
        for code, text in evidence.items():
            _apply(current, "evidence", code, text)
        for code, reason in left_out.items():
            _apply(current, "left_out", code, "" if reason is None else "1")
            if reason is not None:
                _apply(current, "left_out_reason", code, reason)
        current.version += 1
        current.save_without_historical_record()
    return current


_ANY_VERSION = object()


def _locked(assessment: Assessment, version=_ANY_VERSION) -> Assessment:
    """The draft locked for update; its version is compared unless the caller compares per
    field (autosave)."""
    current = Assessment.objects.select_for_update().select_related("edition").get(pk=assessment.pk)
    if current.status != Assessment.Status.DRAFT:
        raise AssessmentClosed()
    if version is not _ANY_VERSION and not is_current(current, version):
        raise EditConflict(current)
    return current


def _stored(assessment: Assessment, kind: str, key: str) -> str:
    """The stored value of one field, as the questionnaire page shows it."""
    if kind == "answer":
        return assessment.answers.get(key, "")
    if kind == "evidence":
        return assessment.evidence.get(key, "")
    if kind == "left_out":
        return "1" if key in assessment.left_out else ""
    if kind == "left_out_reason":
        return assessment.left_out.get(key, "")
    if kind == "manufacturing_type":
        return assessment.manufacturing_type
    return ""


def _apply(assessment: Assessment, kind: str, key: str, value: str) -> None:
    model = assessment.model
    value = (value or "").strip()
    if kind in ("answer", "evidence"):
        try:
            item = model.item(key)
        except AnswerError:
            raise ValidationError(_("条目“%(code)s”不在本问卷中。") % {"code": key}) from None
        if kind == "answer":
            if not value:
                assessment.answers.pop(item.code, None)
                return
            if value not in model.grade_values:
                raise ValidationError(
                    _("条目“%(code)s”的答案“%(value)s”无效，应为%(grades)s之一。")
                    % {
                        "code": item.code,
                        "value": value,
                        "grades": "、".join(grade.name for grade in model.grades),
                    }
                )
            assessment.answers[item.code] = value
        else:
            if len(value) > MAX_EVIDENCE:
                raise ValidationError(
                    _("条目“%(code)s”的证据说明有%(n)d字，最多%(max)d字。")
                    % {"code": item.code, "n": len(value), "max": MAX_EVIDENCE}
                )
            if value:
                assessment.evidence[item.code] = value
            else:
                assessment.evidence.pop(item.code, None)
        return
    if kind in ("left_out", "left_out_reason"):
        try:
            sub = model.sub_domain(key)
        except AnswerError:
            raise ValidationError(_("能力子域“%(code)s”不在本问卷中。") % {"code": key}) from None
        if kind == "left_out":
            if value:
                assessment.left_out.setdefault(sub.code, "")
            else:
                assessment.left_out.pop(sub.code, None)
            return
        if sub.code not in assessment.left_out:
            raise ValidationError(_("请先勾选“%(name)s”不适用，再填写原因。") % {"name": sub.name})
        if len(value) > MAX_REASON:
            raise ValidationError(
                _("“%(name)s”不适用的原因最多%(max)d字。") % {"name": sub.name, "max": MAX_REASON}
            )
        assessment.left_out[sub.code] = value
        return
    if kind == "manufacturing_type":
        code = _valid_type(model, value)
        if not code:
            raise ValidationError(_("制造类型“%(value)s”无效。") % {"value": value})
        assessment.manufacturing_type = code
        return
    raise ValidationError(_("无法保存“%(kind)s”。") % {"kind": kind})


def submission_problems(assessment: Assessment) -> list[str]:
    """What keeps a draft from being submitted (empty when it can be)."""
    model = assessment.model
    problems = []
    for code, reason in assessment.left_out.items():
        if not reason.strip():
            problems.append(
                _("能力子域“%(name)s”选择了不适用，请填写原因。")
                % {"name": model.sub_domain(code).name}
            )
    missing = unanswered_items(model, assessment.answers, left_out=assessment.left_out.keys())
    if missing:
        problems.append(
            _("还有 %(n)d 个条目未作答（第一个：%(code)s）。")
            % {"n": len(missing), "code": missing[0]}
        )
    try:
        score_assessment(
            model,
            assessment.answers,
            manufacturing_type=assessment.manufacturing_type,
            left_out=assessment.left_out.keys(),
        )
    except AnswerError as exc:
        problems.append(str(exc))
    return problems


def submit_assessment(*, actor, assessment: Assessment, version: int | None) -> Assessment:
    """Score and submit a draft; from then on it is read-only. Raises ``ValidationError`` with
    every problem (unanswered items, leave-outs without a reason), writing nothing."""
    require(actor, "assessments.change_assessment", assessment)
    with transaction.atomic():
        current = _locked(assessment, version)
        problems = submission_problems(current)
        if problems:
            raise ValidationError(problems)
        result = score_assessment(
            current.model,
            current.answers,
            manufacturing_type=current.manufacturing_type,
            left_out=current.left_out.keys(),
        )
        now = timezone.now()
        current.status = Assessment.Status.SUBMITTED
        for name, value in scored_fields(result).items():
            setattr(current, name, value)
        current.submitted_at = now
        current.submitted_on = timezone.localdate(now)
        current.submitted_by = actor
        current.version += 1
        current._history_user = actor
        current.save()
        audit.record(
            actor=actor,
            action=AuditAction.ASSESSMENT_SUBMIT,
            target=current,
            unit=current.enterprise.unit,
            facts={"score": str(current.score), "level": level_name(current.level)},
        )
    return current


def scored_fields(result: AssessmentScore) -> dict:
    """The fields a submission stores from its score (the demo's bulk rows store the same)."""
    return {
        "score": display_score(result.total),
        "score_exact": str(result.total),
        "level": result.level,
        "band_level": result.band_level,
        "met_levels": result.met_levels,
        "borderline": result.borderline,
        "rounding_changes_band": result.rounding_changes_band,
        "level_scores": {str(k): str(v) for k, v in result.level_scores.items()},
        "domain_scores": _by_level(result.domain_scores),
        "sub_domain_scores": _by_level(result.sub_domain_scores),
    }


def _by_level(scores) -> dict[str, dict[str, str]]:
    return {str(level): {code: str(v) for code, v in row.items()} for level, row in scores.items()}


# --------------------------------------------------------------------------------------------
# National-platform results
# --------------------------------------------------------------------------------------------


def enter_platform_result(
    *, actor, enterprise: Enterprise, data: dict, report=None, today: date | None = None
) -> PlatformResult:
    """An enterprise enters the result it got on the national platform. The same enterprise,
    year and date replaces the earlier entry. Raises ``ValidationError`` on bad values."""
    require(actor, "assessments.assess_enterprise", enterprise)
    edition = MaturityModelEdition.objects.active()
    try:
        score, level, year, assessed_on = check_result(
            score=data.get("score"),
            level=data.get("level"),
            year=data.get("year"),
            assessed_on=data.get("assessed_on"),
            model=edition.model,
            today=today or timezone.localdate(),
        )
    except ResultError as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        result = (
            PlatformResult.objects.select_for_update()
            .filter(enterprise=enterprise, year=year, assessed_on=assessed_on)
            .first()
        )
        created = result is None
        if created:
            result = PlatformResult(enterprise=enterprise, year=year, assessed_on=assessed_on)
        else:
            result.version += 1
        result.score, result.level = score, level
        result.source = PlatformResult.Source.ENTERPRISE
        result.edition = edition
        result.entered_by = actor
        result.import_batch = None
        if report is not None:
            result.report.save("report.pdf", report, save=False)
        result._history_user = actor
        result.save()
        audit.record(
            actor=actor,
            action=(
                AuditAction.PLATFORM_RESULT_CREATE
                if created
                else AuditAction.PLATFORM_RESULT_UPDATE
            ),
            target=result,
            unit=enterprise.unit,
            facts={"score": str(score), "level": level_name(level), "date": str(assessed_on)},
        )
    return result


@dataclass
class ImportOutcome:
    check: RowCheck
    saved: bool = False
    created: int = 0
    updated: int = 0
    batch: PlatformImport | None = None
    bad: tuple[BadRow, ...] = field(default_factory=tuple)

    @property
    def file_errors(self) -> tuple[str, ...]:
        return self.check.file_errors


def import_platform_results(
    *,
    actor,
    rows,
    file_name: str,
    keep_good_rows: bool = False,
    today: date | None = None,
    dry_run: bool = False,
) -> ImportOutcome:
    """Check every row; store them all in one transaction, or nothing when any row is bad —
    unless ``keep_good_rows``, when the good rows are stored and the bad ones returned.

    Only enterprises in the importer's scope can be named (``Enterprise.visible_to``). With
    ``dry_run`` nothing is written: ``created`` / ``updated`` count what the import would
    create and replace (``saved`` stays False).
    """
    require(actor, "assessments.import_results")
    edition = MaturityModelEdition.objects.active()
    known = dict(Enterprise.objects.visible_to(actor).values_list("credit_code", "pk"))
    check = check_result_rows(
        rows, enterprises=known, model=edition.model, today=today or timezone.localdate()
    )
    outcome = ImportOutcome(check=check, bad=check.bad)
    if check.file_errors or not check.good or (check.bad and not keep_good_rows):
        return outcome
    if dry_run:
        stored = set(
            PlatformResult.objects.filter(
                enterprise_id__in={row.enterprise_id for row in check.good},
                year__in={row.year for row in check.good},
            ).values_list("enterprise_id", "year", "assessed_on")
        )
        outcome.updated = sum(
            (row.enterprise_id, row.year, row.assessed_on) in stored for row in check.good
        )
        outcome.created = len(check.good) - outcome.updated
        return outcome
    with transaction.atomic():
        batch = PlatformImport.objects.create(
            imported_by=actor,
            unit=actor.unit,
            file_name=file_name[:200],
            row_count=len(check.good),
            rejected_count=len(check.bad),
        )
        existing = {
            (r.enterprise_id, r.year, r.assessed_on): r
            for r in PlatformResult.objects.select_for_update().filter(
                enterprise_id__in={row.enterprise_id for row in check.good},
                year__in={row.year for row in check.good},
            )
        }
        new, changed = [], []
        now = timezone.now()
        for row in check.good:
            result = existing.get((row.enterprise_id, row.year, row.assessed_on))
            if result is None:
                new.append(
                    {
                        "enterprise_id": row.enterprise_id,
                        "year": row.year,
                        "assessed_on": row.assessed_on,
                        "score": row.score,
                        "level": row.level,
                        "source": PlatformResult.Source.IMPORT.value,
                        "edition_id": edition.pk,
                        "entered_by_id": actor.pk,
                        "import_batch_id": batch.pk,
                    }
                )
                continue
            result.version += 1
            result.score, result.level = row.score, row.level
            result.source = PlatformResult.Source.IMPORT
            result.edition = edition
            result.entered_by = actor
            result.import_batch = batch
            result.entered_at = now
            changed.append(result)
        # New rows as plain multi-row inserts (COPY on PostgreSQL; their counted results
        # refreshed by the queryset) and their creation history copied from them: the batch's
        # rows are only these until the changed ones below join it.
        for start in range(0, len(new), 5000):
            PlatformResult.objects.insert_rows(new[start : start + 5000], now=now)
        if new:
            bulk.copy_history_of(
                PlatformResult,
                "import_batch_id",
                [batch.pk],
                history_type="+",
                user_id=actor.pk,
                when=now,
            )
        if changed:
            bulk_update_with_history(
                changed,
                PlatformResult,
                [
                    "score",
                    "level",
                    "source",
                    "edition",
                    "entered_by",
                    "import_batch",
                    "entered_at",
                    "version",
                ],
                batch_size=1000,
                default_user=actor,
            )
        audit.record(
            actor=actor,
            action=AuditAction.PLATFORM_RESULT_IMPORT,
            target=batch,
            unit=actor.unit,
            facts={
                "file": file_name,
                "created": len(new),
                "updated": len(changed),
                "rejected": len(check.bad),
            },
        )
    outcome.saved, outcome.created, outcome.updated, outcome.batch = (
        True,
        len(new),
        len(changed),
        batch,
    )
    return outcome


# --------------------------------------------------------------------------------------------
# Model editions
# --------------------------------------------------------------------------------------------


def import_item_bank(
    *,
    actor,
    rows,
    weights,
    edition: str,
    version: str,
    level_rule: str | None,
    activate: bool,
    file_name: str,
) -> tuple[MaturityModelEdition | None, BankResult]:
    """A new model version from an item-bank spreadsheet, based on the active edition.

    Returns (edition, result); the edition is None, and nothing is stored, when the result has
    errors (every bad row named).
    """
    require(actor, "assessments.manage_model")
    base = MaturityModelEdition.objects.active()
    result = bank_to_data(
        rows,
        base=base.model,
        edition=edition,
        version=version,
        level_rule=level_rule,
        weights=weights,
    )
    if result.ok and MaturityModelEdition.objects.filter(edition=edition, version=version).exists():
        result = BankResult(
            None,
            (
                _("版本“%(edition)s v%(version)s”已存在，请换一个版本号。")
                % {"edition": edition, "version": version},
            ),
        )
    if not result.ok:
        return None, result
    with transaction.atomic():
        if activate:
            MaturityModelEdition.objects.filter(is_active=True).update(is_active=False)
        row = MaturityModelEdition.objects.create(
            edition=result.data["edition"],
            version=result.data["version"],
            title=result.data.get("title", ""),
            definition=result.data,
            source=_("XLSX导入：%(name)s") % {"name": file_name[:150]},
            is_active=activate,
            imported_by=actor,
        )
        audit.record(
            actor=actor,
            action=AuditAction.MATURITY_MODEL_IMPORT,
            target=row,
            facts={"items": result.item_count, "active": activate, "based_on": str(base)},
        )
    return row, result


def activate_edition(*, actor, edition: MaturityModelEdition) -> MaturityModelEdition:
    require(actor, "assessments.manage_model")
    with transaction.atomic():
        previous = MaturityModelEdition.objects.select_for_update().filter(is_active=True).first()
        if previous is not None and previous.pk == edition.pk:
            return edition
        MaturityModelEdition.objects.filter(is_active=True).update(is_active=False)
        MaturityModelEdition.objects.filter(pk=edition.pk).update(is_active=True)
        edition.is_active = True
        audit.record(
            actor=actor,
            action=AuditAction.MATURITY_MODEL_ACTIVATE,
            target=edition,
            facts={"previous": str(previous) if previous else None},
        )
    return edition
