"""What the API answers, field by field (the OpenAPI schema is generated from these)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema

from factorytiers.domain.maturity import level_name


def _level_name(level: int | None) -> str | None:
    return level_name(level) if level is not None else None


class Detail(Schema):
    detail: str


class UnitOut(Schema):
    id: int
    code: str
    name: str


def unit_of(region) -> dict | None:
    return {"id": region.pk, "code": region.code, "name": region.name} if region else None


class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    unit: UnitOut
    sector: str
    nature: str
    industry_code: str
    size_class: str
    is_above_scale: bool
    employees: int
    revenue_wan: Decimal

    @staticmethod
    def resolve_unit(obj) -> dict | None:
        return unit_of(obj.unit)

    @staticmethod
    def resolve_industry_code(obj) -> str:
        return obj.industry.code


class EnterpriseDetailOut(EnterpriseOut):
    address: str
    main_business_revenue_wan: Decimal | None
    contact_name: str
    contact_phone: str
    contact_email: str
    is_pilot_winner: bool
    created_at: datetime
    updated_at: datetime


class FactoryOut(Schema):
    id: int
    enterprise_id: int
    name: str
    location: str
    is_overseas: bool
    country: str | None

    @staticmethod
    def resolve_country(obj) -> str | None:
        return obj.country.name if obj.country_id else None


class CountedResultOut(Schema):
    """An enterprise's counted result of the year (计入统计的结果)."""

    enterprise_id: int
    enterprise_name: str
    credit_code: str
    unit: UnitOut
    source: str  # "assessment" (系统内自评估) or "platform" (国家平台结果)
    score: Decimal | None
    level: int | None
    level_name: str | None
    counted_on: date | None
    assessment_id: int | None
    platform_result_id: int | None

    @staticmethod
    def resolve_enterprise_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.name

    @staticmethod
    def resolve_unit(obj) -> dict | None:
        return unit_of(obj.unit)

    @staticmethod
    def resolve_source(obj) -> str:
        return obj.counted_source

    @staticmethod
    def resolve_score(obj) -> Decimal | None:
        return obj.counted_score

    @staticmethod
    def resolve_level(obj) -> int | None:
        return obj.counted_level

    @staticmethod
    def resolve_level_name(obj) -> str | None:
        return _level_name(obj.counted_level)

    @staticmethod
    def resolve_assessment_id(obj) -> int | None:
        return obj.counted_assessment_id

    @staticmethod
    def resolve_platform_result_id(obj) -> int | None:
        return obj.counted_platform_result_id


class AssessmentOut(Schema):
    """A submitted in-product self-assessment and its scores."""

    id: int
    enterprise_id: int
    year: int
    edition: str
    manufacturing_type: str
    score: Decimal | None
    level: int | None
    level_name: str | None
    borderline: bool
    submitted_on: date | None
    submitted_at: datetime | None
    domain_scores: dict

    @staticmethod
    def resolve_edition(obj) -> str:
        return str(obj.edition)

    @staticmethod
    def resolve_level_name(obj) -> str | None:
        return _level_name(obj.level)


class PlatformResultOut(Schema):
    id: int
    enterprise_id: int
    year: int
    score: Decimal
    level: int
    level_name: str | None
    assessed_on: date
    source: str
    entered_at: datetime

    @staticmethod
    def resolve_level_name(obj) -> str | None:
        return _level_name(obj.level)


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    deadline: date | None
    is_closed: bool


class ApplicationOut(Schema):
    id: int
    campaign_year: int
    kind: str
    kind_label: str
    state: str
    state_label: str
    task: TaskOut
    enterprise_id: int
    enterprise_name: str
    unit: UnitOut
    factory_id: int | None
    project_name: str
    city_rank: int | None
    maturity_level: int | None
    submitted_at: datetime | None

    @staticmethod
    def resolve_campaign_year(obj) -> int:
        return obj.campaign.year

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_unit(obj) -> dict | None:
        return unit_of(obj.unit)


class FigureOut(Schema):
    key: str
    label: str
    value: str  # as the statistics page shows it (覆盖度 as a percentage, scores to 2 places)
    count: int  # rows of the list behind it


class GroupOut(Schema):
    name: str
    figures: list[FigureOut]


class GroupingOut(Schema):
    by: str  # unit, sector, division (大类)
    label: str
    rows: list[GroupOut]


class StatisticsOut(Schema):
    year: int
    unit: UnitOut | None  # None: the whole province
    figures: list[FigureOut]
    groupings: list[GroupingOut]


class BadRowOut(Schema):
    row: int
    errors: list[str]


class ImportOut(Schema):
    saved: bool
    dry_run: bool = False  # True: nothing written; created/updated are what the import would do
    created: int
    updated: int
    rejected: list[BadRowOut]


class RegistryCountsOut(Schema):
    new: int
    changed: int
    unchanged: int
    refused: int


class RegistryNewOut(Schema):
    row: int
    credit_code: str
    name: str
    unit: str


class RegistryChangeOut(Schema):
    field: str
    old: str
    new: str


class RegistryChangedOut(Schema):
    row: int
    credit_code: str
    changes: list[RegistryChangeOut]


class RegistryProblemOut(Schema):
    column: str
    reason: str


class RegistryRefusedOut(Schema):
    row: int
    problems: list[RegistryProblemOut]


class RegistryAppliedOut(Schema):
    created: int
    updated: int


class RegistryImportOut(Schema):
    """A registry import (规上企业名录): its dry run (预览) and, once confirmed, its apply step."""

    id: int
    file_name: str
    stage: str  # preview, apply, applied
    status: str  # pending, running, done, failed
    progress: int
    error: str
    counts: RegistryCountsOut | None  # the dry run's, once it is done
    new: list[RegistryNewOut]  # the first 200 of each list (the page's)
    changed: list[RegistryChangedOut]
    refused: list[RegistryRefusedOut]
    applied: RegistryAppliedOut | None

    @staticmethod
    def resolve_counts(obj):
        return obj.summary.get("counts")

    @staticmethod
    def resolve_new(obj):
        return obj.summary.get("new", [])

    @staticmethod
    def resolve_changed(obj):
        return obj.summary.get("changed", [])

    @staticmethod
    def resolve_refused(obj):
        return obj.summary.get("refused", [])

    @staticmethod
    def resolve_applied(obj):
        return obj.summary.get("applied")


class ImportRefusal(Schema):
    detail: str
    rows: list[BadRowOut]


def page_of(item):
    """The schema of one page of ``item`` rows."""
    return type(
        f"{item.__name__.removesuffix('Out')}Page",
        (Schema,),
        {"__annotations__": {"items": list[item], "next": str | None}},
    )
