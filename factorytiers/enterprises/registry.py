"""Bulk import of the statistics bureau's registry (规上企业名录): upload → dry run → apply.

The rules (columns, cells, duplicates, the plan) are ``domain/registry_import.py``; this module
reads the stored file, hands the rules the reference rows and the registry as dicts, and writes.

- ``start_import``: the officer's upload is stored with its SHA-256 and the dry run queued as a
  background job (``accounts/jobs.py``; inline without a broker).
- the dry run (``_preview``) stores the counts, the first rows of each list, the plan's
  fingerprint, the refused rows as an XLSX error file and the checked rows themselves
  (``rules.dump_check``, with their SHA-256); nothing of the registry is written.
- ``apply_import``: the officer confirms; the job checks the stored file's checksum (refused if
  it changed), takes the dry run's checked rows (or checks the file again when they were
  checked against other reference rows or bounds, e.g. another officer's scope), recomputes the
  plan against the registry as it is now with the rows locked, refuses when the fingerprint
  differs from the dry run's, and upserts by credit code in one transaction — raw multi-row
  inserts (COPY on PostgreSQL) and one ``UPDATE`` per changed row (``accounts/bulk.py``), the
  history rows copied from the written rows by the importer, no model instance or per-row
  query — with one audit entry holding the counts. Any failure rolls everything back.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factorytiers.accounts import audit, bulk, jobs, limits
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.workbooks import SheetError, read_workbook
from factorytiers.accounts.writes import Refused
from factorytiers.domain import registry_import as rules
from factorytiers.domain.enterprise_size import is_above_scale, size_class
from factorytiers.domain.spreadsheet import starts_like_formula
from factorytiers.reference.models import IndustryCode, Region

from .grouping import regrouped, regrouping
from .models import Enterprise, RegistryImport

SHOWN = 200  # rows of each list kept for the dry-run page; the error file has every refused one
CHUNK = 5000  # credit codes per query of the registry
WRITE_CHUNK = 5000  # rows per insert or update round and its history rows
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
    planned = compute_plan(job, actor, heartbeat)
    check, plan = planned.check, planned.plan
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
    kept = rules.dump_check(check, planned.key)
    job.checked_file.save("checked.json.zz", ContentFile(kept), save=False)
    fields["checked_file"] = job.checked_file.name
    fields["checked_sha256"] = hashlib.sha256(kept).hexdigest()
    return fields


def _apply(job: RegistryImport, heartbeat) -> dict:
    actor = job.applied_by
    require(actor, "enterprises.import_registry")
    if not RegistryImport.objects.visible_to(actor).filter(pk=job.pk).exists():
        raise Refused(_("无权导入该名录。"))
    with transaction.atomic():
        planned = compute_plan(job, actor, heartbeat, lock=True, kept=True)
        plan = planned.plan
        if plan.fingerprint() != job.fingerprint:
            raise Refused(
                _(
                    "自预览以来，企业名录中的数据已有变化，本次没有写入任何数据。"
                    "请点击“重新预览”核对后再导入。"
                )
            )
        now = timezone.now()
        created = _create(plan.new, actor, now, heartbeat)
        updated = _update(plan.changed, planned.existing, actor, now, heartbeat)
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


# Columns written for every row (defaults where the file has no value); derived on top.
_WRITTEN = tuple(_MODEL_FIELD.get(name, name) for name in (*FIELDS, "sector"))
_DERIVED = ("size_class", "is_above_scale")


def _derived(values: dict) -> tuple[str, bool]:
    """``Enterprise.compute_derived`` on plain values (the rows are written without models)."""
    employees, revenue = values["employees"], values["revenue_wan"]
    official = values.get("above_scale_official")
    if official is not None:
        above = official
    else:
        basis = values.get("main_business_revenue_wan")
        above = is_above_scale(basis if basis is not None else revenue)
    return size_class(employees, revenue).value, above


def _create(rows, actor, now, heartbeat) -> int:
    """New enterprises as raw multi-row inserts (COPY on PostgreSQL), the database numbering
    them, and their creation history rows (by the importer) copied from them."""
    defaults = {
        name: Enterprise._meta.get_field(name).get_default() for name in (*_WRITTEN, *_DERIVED)
    }
    done = 0
    for start in range(0, len(rows), WRITE_CHUNK):
        part = rows[start : start + WRITE_CHUNK]
        records = []
        for row in part:
            record = dict(defaults)
            for key, value in row.values.items():
                record[_MODEL_FIELD.get(key, key)] = value
            record["credit_code"] = row.credit_code
            record["size_class"], record["is_above_scale"] = _derived(record)
            records.append(record)
        bulk.insert_rows(Enterprise, records, now=now)
        codes = [row.credit_code for row in part]
        # Written around the model: the new enterprises announce themselves to the counts.
        regrouped.send(Enterprise, enterprises=Enterprise.objects.filter(credit_code__in=codes))
        bulk.copy_history_of(
            Enterprise,
            "credit_code",
            codes,
            history_type="+",
            user_id=actor.pk,
            when=now,
        )
        done += len(part)
        heartbeat(progress=min(99, 50 + done * 25 // max(len(rows), 1)))
    return done


def _update(items, existing, actor, now, heartbeat) -> int:
    """Changed enterprises as one ``UPDATE`` statement run per row (every imported field, the
    derived ones, the version raised, ``updated_at``), then their change history rows (by the
    importer) copied from them. ``existing`` holds the locked rows' values read for the plan."""
    fields = (*(_MODEL_FIELD.get(name, name) for name in FIELDS), *_DERIVED, "updated_at")
    stamp = Enterprise._meta.get_field("updated_at").get_db_prep_save(now, connection)
    done = 0
    for start in range(0, len(items), WRITE_CHUNK):
        part = items[start : start + WRITE_CHUNK]
        rows, ids = [], []
        for item in part:
            current = existing[item.row.credit_code]
            values = {name: current[name] for name in FIELDS}
            for change in item.changes:
                values[change.field] = change.new
            derived = _derived(values)
            rows.append([*(values[name] for name in FIELDS), *derived, stamp, current["id"]])
            ids.append(current["id"])
        moved = Enterprise.objects.filter(pk__in=ids)
        regrouping.send(Enterprise, enterprises=moved)  # written around the model, as above
        bulk.update_rows(Enterprise, fields, rows, bump="version")
        regrouped.send(Enterprise, enterprises=moved)
        bulk.copy_history_of(Enterprise, "id", ids, history_type="~", user_id=actor.pk, when=now)
        done += len(part)
        heartbeat(progress=min(99, 75 + done * 24 // max(len(items), 1)))
    return done


# -- reading and planning ---------------------------------------------------------------------


def _stored_bytes(job: RegistryImport) -> bytes:
    """The stored upload, refused when its bytes are not the uploaded ones."""
    with job.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise Refused(_("服务器上保存的名录文件与上传时不一致，请重新上传。"))
    return data


def read_rows(job: RegistryImport, data: bytes | None = None) -> list:
    """The stored file's rows (row 1 first), through the guarded readers; refused when the
    stored bytes are not the uploaded ones."""
    max_rows = settings.REGISTRY_IMPORT_MAX_ROWS + rules.HEADER_SEARCH_ROWS
    if data is None:
        data = _stored_bytes(job)
    if data.startswith(b"PK"):
        sheets = read_workbook(io.BytesIO(data), max_rows=max_rows)
        return next(iter(sheets.values()))
    return rules.csv_rows(rules.decode_csv(data), max_rows=max_rows)


def _kept_check(job: RegistryImport, key: str) -> rules.RowsCheck | None:
    """The dry run's checked rows, when they are the stored ones and were checked against the
    same reference rows and bounds (``key``); else None (the file is checked again)."""
    if not job.checked_file or not job.checked_sha256:
        return None
    try:
        with job.checked_file.open("rb") as handle:
            content = handle.read()
    except OSError:
        return None
    if hashlib.sha256(content).hexdigest() != job.checked_sha256:
        return None
    return rules.load_check(content, key)


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


_COMPARED = ("id", "credit_code", *(_MODEL_FIELD.get(name, name) for name in FIELDS))


@dataclass(frozen=True)
class Planned:
    check: rules.RowsCheck
    plan: rules.Plan
    existing: dict[str, dict]  # credit code → the registered values compared (and the id)
    key: str  # the reference rows and bounds the rows were checked against


def compute_plan(
    job: RegistryImport, actor, heartbeat, *, lock: bool = False, kept: bool = False
) -> Planned:
    """Check the stored file and compare it with the registry (as ``actor`` sees it). With
    ``kept`` the dry run's checked rows are used when they still hold (same stored file, same
    reference rows and bounds), so the file is not parsed again."""
    heartbeat(progress=1)
    lookups = lookups_for(actor)
    key = rules.lookups_key(lookups, settings.REGISTRY_IMPORT_MAX_ROWS)
    check = None
    if kept:
        data = _stored_bytes(job)
        check = _kept_check(job, key)
    if check is None:
        rows = read_rows(job, data if kept else None)
        heartbeat(progress=10)
        total = max(len(rows), 1)
        check = rules.check_rows(
            rows, lookups, progress=lambda n: heartbeat(progress=10 + n * 30 // total)
        )
        del rows
    if kept:
        del data
    heartbeat(progress=40)
    codes = [row.credit_code for row in check.parsed]
    existing: dict[str, dict] = {}
    visible = Enterprise.objects.visible_to(actor)
    taken: set[str] = set()
    for start in range(0, len(codes), CHUNK):
        part = codes[start : start + CHUNK]
        found = visible.filter(credit_code__in=part).order_by()
        if lock:
            found = found.select_for_update()
        for values in found.values_list(*_COMPARED):
            record = dict(zip(_COMPARED, values, strict=True))
            record["unit"] = record.pop("unit_id")
            record["industry"] = record.pop("industry_id")
            existing[record.pop("credit_code")] = record
        # A credit code is unique in the registry: one registered outside the importer's scope
        # cannot be imported (the one-by-one form refuses it the same way).
        if len(existing) < start + len(part):
            taken.update(
                Enterprise.objects.filter(credit_code__in=part)
                .exclude(credit_code__in=[c for c in part if c in existing])
                .values_list("credit_code", flat=True)
                .order_by()
            )
    sectors = {pk: sector for pk, sector in lookups.industries.values()}
    plan = rules.plan_import(check, existing, taken=taken, sectors=sectors)
    heartbeat(progress=50)
    return Planned(check, plan, existing, key)


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
