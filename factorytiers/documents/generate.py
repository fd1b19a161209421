"""From scoped rows to finished documents: the forms, the report, the package contents.

Views and the package task call these; they read through ``selectors`` (so the scope of the
user decides what goes in) and render with ``forms`` / ``report`` (which never see a model).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from factorytiers.accounts.writes import Refused
from factorytiers.campaigns.models import Campaign, Publicity, Task
from factorytiers.domain.document_names import document_file_name
from factorytiers.domain.naming import safe_file_name
from factorytiers.domain.statistics import compute, compute_by
from factorytiers.reference.models import Region

from . import selectors
from .forms import (
    SPECS,
    FormSpec,
    form_context,
    form_file_name,
    form_pdf,
    form_xlsx,
    publicity_file_name,
    publicity_period,
    publicity_spec,
)
from .forms import build_table as build_form_table
from .packages import ApplicationFolder, PackageFile
from .report import ReportData, report_docx, report_pdf, report_title
from .rows import FormRowError

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
PROVINCE_ROLLUP = "rollup"


class DocumentDataError(Refused, ValueError):
    """The data cannot make the document (a row the notice does not allow); says which row.
    A refusal: a background job that meets it ends as 失败 with this message."""


@dataclass(frozen=True)
class Scope:
    """One unit, or the province roll-up over ``units``."""

    units: Sequence[Region]
    rollup: bool
    name: str  # the unit's name, or the province's for the roll-up

    @classmethod
    def of_unit(cls, unit: Region) -> Scope:
        return cls([unit], False, selectors.unit_label(unit))


def form_table(user, spec: FormSpec, campaign: Campaign, scope: Scope):
    try:
        groups = selectors.rows_for_form(user, spec.key, campaign, scope.units)
        if scope.rollup:
            return build_form_table(spec, groups, unit_name=scope.name, rollup=True), groups
        return build_form_table(spec, groups[0][1], unit_name=scope.name), groups
    except FormRowError as error:
        message = _("%(form)s：%(error)s") % {"form": spec.title, "error": error}
        raise DocumentDataError(message) from error


def form_document(user, key: str, extension: str, campaign: Campaign, scope: Scope) -> bytes:
    spec = SPECS[key]
    _table, groups = form_table(user, spec, campaign, scope)
    rows = groups if scope.rollup else groups[0][1]
    render = form_xlsx if extension == "xlsx" else form_pdf
    return render(spec, rows, unit_name=scope.name, rollup=scope.rollup)


def form_preview_context(user, key: str, campaign: Campaign, scope: Scope) -> dict:
    table, _groups = form_table(user, SPECS[key], campaign, scope)
    return form_context(table)


def form_name(key: str, extension: str, scope: Scope) -> str:
    return form_file_name(SPECS[key], scope.name, extension, rollup=scope.rollup)


# -- 公示 lists ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicityList:
    spec: FormSpec
    rows: list
    period: str
    province: str

    def document(self, extension: str) -> bytes:
        render = form_xlsx if extension == "xlsx" else form_pdf
        return render(self.spec, self.rows, unit_name=self.period)

    def preview_context(self) -> dict:
        return form_context(build_form_table(self.spec, self.rows, unit_name=self.period))

    def file_name(self, extension: str) -> str:
        return publicity_file_name(self.spec, self.province, extension)


def publicity_list(user, publicity: Publicity) -> PublicityList:
    """One 公示 batch's list for publication: title, period and the applications on it."""
    task = publicity.task
    province = task.campaign.province.name
    spec = publicity_spec(task.campaign.year, province, task.kind, publicity.number)
    try:
        rows = selectors.publicity_rows(user, publicity)
    except FormRowError as error:
        message = _("%(form)s：%(error)s") % {"form": spec.title, "error": error}
        raise DocumentDataError(message) from error
    period = publicity_period(publicity.starts_on, publicity.ends_on)
    return PublicityList(spec, rows, period, province)


# -- report -----------------------------------------------------------------------------------


def report_data(user, campaign: Campaign, unit: Region) -> ReportData:
    draft = selectors.report_draft(user, unit, campaign)
    # Section 一 and the attached table are read as of one day, by the same rules.
    as_of = selectors.report_dates(user, campaign, [unit])[unit.pk]
    groupings = ("sector", "division")
    counted = selectors.statistics_counted(
        user, campaign.year, [unit], as_of=as_of, groupings=groupings
    )
    # The groups as the statistics page computes them (same function, same order).
    by = {key: compute_by(counted, campaign.year, key) for key in groupings}
    try:
        attached = selectors.form2_rows(user, campaign, [unit], as_of=as_of)[0][1]
    except FormRowError as error:
        message = _("%(form)s：%(error)s") % {"form": SPECS["form2"].title, "error": error}
        raise DocumentDataError(message) from error
    return ReportData(
        year=campaign.year,
        unit_name=selectors.unit_label(unit),
        statistics=compute(counted, campaign.year),
        by_sector=by["sector"],
        by_division=by["division"],
        as_of=as_of,
        progress=draft.progress if draft else "",
        measures=draft.measures if draft else "",
        next_steps=draft.next_steps if draft else "",
        attached_rows=attached,
    )


def report_document(
    data: ReportData, extension: str, *, on_page: Callable[[int], None] | None = None
) -> bytes:
    """The report as DOCX or PDF; ``on_page(n)``: the PDF's page n is being laid out."""
    return report_docx(data) if extension == "docx" else report_pdf(data, on_page=on_page)


def report_name(campaign: Campaign, unit: Region, extension: str) -> str:
    return document_file_name(
        selectors.unit_label(unit), "附件2", report_title(campaign.year), extension
    )


# -- packages ---------------------------------------------------------------------------------


# The slots of an application's 申报书 (验收申请材料 for a 揭榜 acceptance), as the campaign
# settings' ``material_slots`` name them for every kind.
WORD_SLOT = "form_docx"
PDF_SLOT = "form_pdf"


def package_folder_name(task: Task, unit: Region) -> str:
    """The one folder the unit's package holds, e.g. `太原市-先进级智能工厂推荐申报材料`."""
    return package_file_name(task, unit).removesuffix(".zip")


def package_file_name(task: Task, unit: Region) -> str:
    return document_file_name(selectors.unit_label(unit), "", f"{task.title}申报材料", "zip")


def _material_name(material, taken: set[str]) -> str:
    """The name a material has in the package: the uploader's name made safe, ending in the
    extension of its detected content (the stored file's), as its download is named."""
    extension = PurePosixPath(material.file.name).suffix.lower()
    name = safe_file_name(material.original_name, extension, fallback=material.slot)
    if name.casefold() in taken:
        name = f"{material.slot}-{name}"
    taken.add(name.casefold())
    return name


def _opener(field):
    return lambda: field.open("rb")


def _package_file(material, taken: set[str]) -> PackageFile:
    return PackageFile(_material_name(material, taken), _opener(material.file))


def package_contents(
    user, task: Task, unit: Region
) -> tuple[list[ApplicationFolder], list[PackageFile]]:
    """Per ranked application its 申报书 (the latest WORD and PDF) and its other materials
    (the latest file of every other slot), and the unit's forms."""
    folders = []
    for application in selectors.package_applications(user, task, unit):
        by_slot = {material.slot: material for material in application.latest_materials}
        word, pdf = by_slot.pop(WORD_SLOT, None), by_slot.pop(PDF_SLOT, None)
        taken: set[str] = set()
        folders.append(
            ApplicationFolder(
                unit=selectors.unit_label(unit),
                rank=application.city_rank,
                enterprise=application.enterprise.name,
                project=application.project_name,
                word=_package_file(word, set()) if word else None,
                pdf=_package_file(pdf, set()) if pdf else None,
                files=[_package_file(material, taken) for material in by_slot.values()],
            )
        )
    scope = Scope.of_unit(unit)
    unit_files = [
        PackageFile(
            form_name(key, extension, scope),
            form_document(user, key, extension, task.campaign, scope),
        )
        for key in selectors.TASK_FORMS.get(task.kind, ())
        for extension in ("xlsx", "pdf")
    ]
    return folders, unit_files
