"""Bulk import of the statistics bureau's registry (规上企业名录): upload → dry run → apply.

The rules (columns, cells, duplicates, the plan) are ``domain/registry_import.py``; this module
reads the stored file, hands the rules the reference rows and the registry as dicts, and writes.

- ``start_import``: the officer's upload is stored with its SHA-256 and the dry run queued as a
  background job (``accounts/jobs.py``; inline without a broker).
- the dry run (``_preview``) stores the counts, the first rows of each list, the plan's
  fingerprint and the refused rows as an XLSX error file; nothing of the registry is written.
- ``apply_import``: the officer confirms; the job re-reads the stored file (refused if its
  checksum changed), recomputes the plan against the registry as it is now, refuses when the
  fingerprint differs from the dry run's, and upserts by credit code in one transaction
  (``bulk_create`` / ``bulk_update`` in chunks, with history), with one audit entry holding
  the counts. Any failure rolls everything back.
"""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from factorytiers.accounts import audit, jobs, limits
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.workbooks import SheetError, read_workbook
from factorytiers.accounts.writes import Refused
from factorytiers.domain import registry_import as rules
from factorytiers.domain.spreadsheet import starts_like_formula
from factorytiers.reference.models import IndustryCode, Region

from .models import Enterprise, RegistryImport

SHOWN = 200  # rows of each list kept for the dry-run page; the error file has every refused one
CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The fields an import may set, as the plan names them (unit and industry are ids).
FIELDS = tuple(name for name in rules.FIELD_HEADERS if name != "credit_code")
_MODEL_FIELD = {"unit": "unit_id", "industry": "industry_id"}


class RegistryImportError(Refused):
    """The file cannot be imported (encoding, header, bounds); the message says why."""


# -- start and apply --------------------------------------------------------------------------


def start_import(*, actor, upload) -> RegistryImport:
    """Store the upload and queue its dry run. Refuses at once what is not an XLSX or CSV
    within the upload bounds."""
    require(actor, "enterprises.import_registry")
    name = (upload.name or "").strip()
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        check = limits.check_upload(upload, allowed_kinds={"xlsx"})
        if not check.ok:
            raise RegistryImportError(check.message)
        kind_name = "registry.xlsx"
    elif name.lower().endswith(".csv"):
        if upload.size <= 0:
            raise RegistryImportError(_("文件为空"))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise RegistryImportError(
                _("文件大小 %(size)s，超过 %(limit)s 的上限")
                % {
                    "size": limits.size_text(upload.size),
                    "limit": limits.size_text(settings.UPLOAD_MAX_BYTES),
                }
            )
        kind_name = "registry.csv"
    else:
        raise RegistryImportError(_("只接受Excel(.xlsx)或CSV(.csv)文件"))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        job = RegistryImport(
            requested_by=actor,
            unit=actor.unit if not actor.has_perm("enterprises.choose_unit") else None,
            file_name=name[:200] or kind_name,
            sha256=digest.hexdigest(),
            queued_at=timezone.now(),
        )
        job.file.save(kind_name, upload, save=False)
        job.save()
        audit.record(
            actor=actor,
            action=AuditAction.REGISTRY_UPLOAD,
            target=job,
            facts={"file": job.file_name},
        )
        jobs.enqueue_on_commit(job, _task())
    return job


def apply_import(*, actor, job: RegistryImport) -> RegistryImport:
    """The officer confirms a finished dry run: the apply step is queued (same row, next
    attempt). Refused while the dry run is not done or once applied."""
    require(actor, "enterprises.import_registry")
    with transaction.atomic():
        current = RegistryImport.objects.select_for_update().get(pk=job.pk)
        if current.stage != RegistryImport.Stage.PREVIEW or current.status != current.Status.DONE:
            raise Refused(_("只有预览完成、尚未导入的名录可以导入。"))
        if (
            current.summary.get("counts", {}).get("new", 0)
            + current.summary.get("counts", {}).get("changed", 0)
            == 0
        ):
            raise Refused(_("预览中没有新增或变更的企业，无需导入。"))
        current.stage = RegistryImport.Stage.APPLY
        current.applied_by = actor
        current.attempts += 1
        current.status = current.Status.PENDING
        current.progress = 0
        current.queued_at = timezone.now()
        current.started_at = current.heartbeat_at = current.finished_at = None
        current.save()
        jobs.enqueue_on_commit(current, _task())
    return current


def retry_import(*, actor, job: RegistryImport) -> RegistryImport:
    """重试 a failed dry run or apply: a fresh dry run of the stored file (the officer then
    confirms again, against the registry as it is now)."""
    require(actor, "enterprises.import_registry")
    with transaction.atomic():
        try:
            retried = jobs.restart(
                job,
                requested_by=actor,
                stage=RegistryImport.Stage.PREVIEW,
                progress=0,
                applied_by=None,
            )
        except Refused as error:
            raise Refused(_("该导入没有失败，无需重试。")) from error
        audit.record(
            actor=actor,
            action=AuditAction.REGISTRY_UPLOAD,
            target=retried,
            facts={"file": retried.file_name, "attempts": retried.attempts},
        )
        jobs.enqueue_on_commit(retried, _task())
    return retried


def _task():
    from .tasks import registry_import_task

    return registry_import_task


# -- the job ----------------------------------------------------------------------------------


def run_import(job_id: int, attempt: int | None = None) -> RegistryImport | None:
    return jobs.run(RegistryImport, job_id, attempt, _work, describe=failure_reason)


def failure_reason(error: BaseException) -> str:
    if isinstance(error, Refused | rules.RegistryFileError | SheetError):
        return str(error)
    return jobs.failure_reason(error)


def _work(job: RegistryImport, heartbeat) -> dict:
    job = RegistryImport.objects.select_related("requested_by", "applied_by").get(pk=job.pk)
    if job.stage == RegistryImport.Stage.APPLY:
        return _apply(job, heartbeat)
    return _preview(job, heartbeat)


def _preview(job: RegistryImport, heartbeat) -> dict:
    actor = job.requested_by
    require(actor, "enterprises.import_registry")
    check, plan = compute_plan(job, actor, heartbeat)
    fields = {
        "stage": RegistryImport.Stage.PREVIEW,
        "fingerprint": plan.fingerprint(),
        "summary": summary(check, plan),
        "progress": 100,
        "error_file": "",
    }
    if plan.refused:
        content = error_file(check.columns.header, plan.refused)
        job.error_file.save("errors.xlsx", ContentFile(content), save=False)
        fields["error_file"] = job.error_file.name
    return fields


def _apply(job: RegistryImport, heartbeat) -> dict:
    actor = job.applied_by
    require(actor, "enterprises.import_registry")
    if not RegistryImport.objects.visible_to(actor).filter(pk=job.pk).exists():
        raise Refused(_("无权导入该名录。"))
    with transaction.atomic():
        _check, plan = compute_plan(job, actor, heartbeat, lock=True)
        if plan.fingerprint() != job.fingerprint:
            raise Refused(
                _(
                    "自预览以来，企业名录中的数据已有变化，本次没有写入任何数据。"
                    "请点击“重新预览”核对后再导入。"
                )
            )
        now = timezone.now()
        created = _create(plan.new, actor, heartbeat)
        updated = _update(plan.changed, actor, now, heartbeat)
        counts = plan.counts()
        audit.record(
            actor=actor,
            action=AuditAction.REGISTRY_IMPORT,
            target=job,
            facts={
                "file": job.file_name,
                "created": created,
                "updated": updated,
                "unchanged": counts["unchanged"],
                "rejected": counts["refused"],
            },
        )
    result = dict(job.summary)
    result["applied"] = {"created": created, "updated": updated}
    return {
        "stage": RegistryImport.Stage.APPLIED,
        "applied_at": timezone.now(),
        "summary": result,
        "progress": 100,
    }


def _create(rows, actor, heartbeat) -> int:
    done = 0
    for start in range(0, len(rows), CHUNK):
        batch = []
        for row in rows[start : start + CHUNK]:
            values = {_MODEL_FIELD.get(k, k): v for k, v in row.values.items()}
            enterprise = Enterprise(credit_code=row.credit_code, **values)
            enterprise.compute_derived()
            batch.append(enterprise)
        bulk_create_with_history(batch, Enterprise, batch_size=CHUNK, default_user=actor)
        done += len(batch)
        heartbeat(progress=min(99, 50 + done * 25 // max(len(rows), 1)))
    return done


def _update(items, actor, now, heartbeat) -> int:
    done = 0
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        by_code = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in=[i.row.credit_code for i in chunk])
        }
        touched: set[str] = set()
        batch = []
        for item in chunk:
            enterprise = by_code[item.row.credit_code]
            for change in item.changes:
                name = _MODEL_FIELD.get(change.field, change.field)
                touched.add(name)
                setattr(enterprise, name, change.new)
            enterprise.compute_derived()
            enterprise.version += 1
            enterprise.updated_at = now
            batch.append(enterprise)
        bulk_update_with_history(
            batch,
            Enterprise,
            sorted(touched | {"size_class", "is_above_scale", "version", "updated_at"}),
            batch_size=CHUNK,
            default_user=actor,
        )
        done += len(batch)
        heartbeat(progress=min(99, 75 + done * 24 // max(len(items), 1)))
    return done


# -- reading and planning ---------------------------------------------------------------------


def read_rows(job: RegistryImport) -> list:
    """The stored file's rows (row 1 first), through the guarded readers; refused when the
    stored bytes are not the uploaded ones."""
    max_rows = settings.REGISTRY_IMPORT_MAX_ROWS + rules.HEADER_SEARCH_ROWS
    with job.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise Refused(_("服务器上保存的名录文件与上传时不一致，请重新上传。"))
    if data.startswith(b"PK"):
        sheets = read_workbook(io.BytesIO(data), max_rows=max_rows)
        return next(iter(sheets.values()))
    return rules.csv_rows(rules.decode_csv(data), max_rows=max_rows)


def lookups_for(actor) -> rules.Lookups:
    units: dict[str, int] = {}
    names: dict[int, str] = {}
    regions = list(Region.objects.values("id", "code", "name", "short_name", "parent_id"))
    by_id = {r["id"]: r for r in regions}
    reporting = set(Region.objects.filter(is_reporting_unit=True).values_list("id", flat=True))
    for region in regions:
        node = region
        while node is not None and node["id"] not in reporting:
            node = by_id.get(node["parent_id"])
        if node is None:
            continue
        for key in (region["code"], region["name"], region["short_name"]):
            if key:
                units.setdefault(key, node["id"])
        names[node["id"]] = node["name"]
    industries: dict[str, tuple[int, str]] = {}
    division_sector = dict(
        IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION).values_list(
            "code", "suggested_sector"
        )
    )
    for pk, code in IndustryCode.objects.filter(level=IndustryCode.Level.CLASS).values_list(
        "id", "code"
    ):
        industries[code] = (pk, division_sector.get(code[:2], ""))
    own = None if actor.has_perm("enterprises.choose_unit") else actor.unit_id
    return rules.Lookups(
        industries=industries,
        units=units,
        unit_names=names,
        allowed_units=None if own is None else frozenset({own}),
        default_unit=own,
    )


_COMPARED = ("credit_code", *(_MODEL_FIELD.get(name, name) for name in FIELDS))


def compute_plan(job: RegistryImport, actor, heartbeat, *, lock: bool = False):
    """Read the stored file and compare it with the registry (as ``actor`` sees it)."""
    heartbeat(progress=1)
    rows = read_rows(job)
    heartbeat(progress=10)
    lookups = lookups_for(actor)
    total = max(len(rows), 1)
    check = rules.check_rows(
        rows, lookups, progress=lambda n: heartbeat(progress=10 + n * 30 // total)
    )
    del rows
    codes = [row.credit_code for row in check.parsed]
    existing: dict[str, dict] = {}
    visible = Enterprise.objects.visible_to(actor)
    taken: set[str] = set()
    for start in range(0, len(codes), CHUNK):
        part = codes[start : start + CHUNK]
        found = visible.filter(credit_code__in=part)
        if lock:
            found = found.select_for_update()
        for values in found.values(*_COMPARED):
            code = values.pop("credit_code")
            values["unit"] = values.pop("unit_id")
            values["industry"] = values.pop("industry_id")
            existing[code] = values
        # A credit code is unique in the registry: one registered outside the importer's scope
        # cannot be imported (the one-by-one form refuses it the same way).
        taken.update(
            Enterprise.objects.filter(credit_code__in=part)
            .exclude(credit_code__in=[c for c in part if c in existing])
            .values_list("credit_code", flat=True)
        )
    sectors = {pk: sector for pk, sector in lookups.industries.values()}
    plan = rules.plan_import(check, existing, taken=taken, sectors=sectors)
    heartbeat(progress=50)
    return check, plan


# -- what the pages show ----------------------------------------------------------------------


def summary(check: rules.RowsCheck, plan: rules.Plan) -> dict:
    """Counts and the first SHOWN rows of each list, as plain JSON for the dry-run page."""
    labels = _value_labels()

    def shown(name: str, value) -> str:
        if value is None or value == "":
            return "—"
        if name in labels:
            return labels[name].get(value, str(value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return str(value)

    return {
        "counts": plan.counts(),
        "header_row": check.columns.header_row,
        "columns": [rules.LABELS[name] for name in check.columns.positions],
        "new": [
            {
                "row": row.row,
                "credit_code": row.credit_code,
                "name": row.values.get("name", ""),
                "unit": shown("unit", row.values.get("unit")),
            }
            for row in plan.new[:SHOWN]
        ],
        "changed": [
            {
                "row": item.row.row,
                "credit_code": item.row.credit_code,
                "changes": [
                    {
                        "field": rules.LABELS.get(c.field, c.field),
                        "old": shown(c.field, c.old),
                        "new": shown(c.field, c.new),
                    }
                    for c in item.changes
                ],
            }
            for item in plan.changed[:SHOWN]
        ],
        "unchanged": [
            {"row": row.row, "credit_code": row.credit_code} for row in plan.unchanged[:SHOWN]
        ],
        "refused": [
            {
                "row": bad.row,
                "problems": [{"column": c, "reason": r} for c, r in bad.problems],
            }
            for bad in plan.refused[:SHOWN]
        ],
    }


def _value_labels() -> dict[str, dict]:
    return {
        "unit": dict(Region.objects.filter(is_reporting_unit=True).values_list("id", "name")),
        "industry": {
            pk: f"{code} {name}"
            for pk, code, name in IndustryCode.objects.filter(
                level=IndustryCode.Level.CLASS
            ).values_list("id", "code", "name")
        },
    }


def error_file(header, refused) -> bytes:
    """Every refused row as read, under the file's header, with 原行号 and 错误原因 (xlsxwriter,
    constant memory). Text that starts like a formula is written as text, never run."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    literal = book.add_format({"quote_prefix": True})
    sheet = book.add_worksheet("不导入的行")
    titles = [rules.ERROR_HEADERS[0], *(str(h) for h in header), rules.ERROR_HEADERS[1]]
    for col, title in enumerate(titles):
        sheet.write_string(0, col, title, bold)
    sheet.set_column(len(titles) - 1, len(titles) - 1, 60)
    sheet.freeze_panes(1, 0)
    for r, values in enumerate(rules.error_rows(header, refused), start=1):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_string(r, col, "是" if value else "否")
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(r, col, float(value))
            else:
                text = str(value)
                sheet.write_string(r, col, text, literal if starts_like_formula(text) else None)
    book.close()
    return buffer.getvalue()
