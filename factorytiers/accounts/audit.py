"""Recording audit entries, and reading them back in plain words.

Services record through :func:`record` (the write helper does it for edits); the middleware
supplies the client IP. An entry stores codes and plain values (field names, True/False, dates,
the label of a related record); :func:`describe` turns them into the reader's language at read
time: the action's label, the field's label, 是/否, tier and state names.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditAction, AuditEntry

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


class ClientIPMiddleware:
    """Keeps the request's address for the audit log, so services need not take the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


def plain(value):
    """A value as the audit entry keeps it: JSON, and readable without the database."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name.rsplit("/", 1)[-1] if value else None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return str(value)


def record(
    *, actor, action: str, target, changed: dict | None = None, facts: dict | None = None, unit=None
) -> AuditEntry:
    """One entry: ``changed`` maps a field (or another key) to [before, after], ``facts`` holds
    what else the reader needs (a comment, a count)."""
    changes = {}
    if changed:
        changes["changed"] = changed
    if facts:
        changes["facts"] = facts
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditAction(action),
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        unit=unit if unit is not None else getattr(target, "unit", None),
        ip_address=_client_ip.get(),
        changes=plain(changes),
    )


# Keys of entries that are not fields of the target's model.
EXTRA_LABELS = {
    "comment": gettext_lazy("意见"),
    "reason": gettext_lazy("原因"),
    "late": gettext_lazy("逾期报送"),
    "applications": gettext_lazy("申报"),
    "tasks": gettext_lazy("工作任务"),
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("修改"),
    "deleted": gettext_lazy("删除"),
    "rejected": gettext_lazy("有误未导入"),
    "scenarios": gettext_lazy("典型场景"),
    "downgrade_to": gettext_lazy("降为"),
    "slot": gettext_lazy("材料项"),
    "file": gettext_lazy("文件"),
    "expert": gettext_lazy("专家"),
    "total": gettext_lazy("总分"),
    "score": gettext_lazy("得分"),
    "level": gettext_lazy("等级"),
    "date": gettext_lazy("日期"),
    "year": gettext_lazy("年度"),
    "copied_from": gettext_lazy("复制自"),
    "user": gettext_lazy("登录名"),
    "replaced_users": gettext_lazy("被替换的账号"),
    "replaced_by": gettext_lazy("替换为（联系人）"),
    "claimed": gettext_lazy("认领已登记的企业"),
    "enterprise": gettext_lazy("企业"),
    "items": gettext_lazy("条目数"),
    "active": gettext_lazy("启用"),
    "based_on": gettext_lazy("基于版本"),
    "previous": gettext_lazy("原启用版本"),
    "listed": gettext_lazy("列入名单"),
    "count": gettext_lazy("数量"),
    "ranks": gettext_lazy("推荐序号"),
    "selected": gettext_lazy("推荐名单"),
    "document_number": gettext_lazy("文号"),
    "starts_on": gettext_lazy("开始日期"),
    "ends_on": gettext_lazy("结束日期"),
    "sections": gettext_lazy("修改的部分"),
    "number": gettext_lazy("版本"),
}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str | None  # None: a single value, no "before"
    after: str


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def words(value, field=None) -> str:
    """A stored value in the reader's words: 是/否, a choice's label, the related record's name
    (for the id of a foreign key), “—” for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field is not None and getattr(field, "choices", None) and isinstance(value, str | int):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.many_to_one and isinstance(value, int):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else "—"
    if isinstance(value, list):
        return "、".join(words(item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{_label(None, key)}：{words(item)}" for key, item in value.items())
    return str(value)


def _label(model, key: str) -> str:
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    if key.endswith("_length") and _field(model, key.removesuffix("_length")) is not None:
        return _("%(field)s（字数）") % {"field": _label(model, key.removesuffix("_length"))}
    return str(EXTRA_LABELS.get(key, key))


def describe(entry: AuditEntry) -> list[ChangeRow]:
    """The entry's changes in the reader's language, one row per key. Any stored shape reads:
    a ``changed`` value that is not a [before, after] pair, or keys beside ``changed`` and
    ``facts`` (older entries, imports), are shown as single values."""
    try:
        model = apps.get_model(entry.target_type)
    except (LookupError, ValueError):
        model = None
    changes = entry.changes if isinstance(entry.changes, dict) else {"facts": entry.changes}
    rows = []
    for part, value in changes.items():
        items = value.items() if isinstance(value, dict) else [("", value)]
        for key, stored in items:
            key = str(key)
            field = _field(model, key)
            label = _label(model, key) if key else _("变更内容")
            if part == "changed" and isinstance(stored, list | tuple) and len(stored) == 2:
                rows.append(ChangeRow(label, words(stored[0], field), words(stored[1], field)))
            else:
                rows.append(ChangeRow(label, None, words(stored, field)))
    return rows


def target_kind(entry: AuditEntry) -> str:
    try:
        return str(apps.get_model(entry.target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return entry.target_type
