"""The one way a record that people edit is changed: lock the row, compare the version the
page was opened at (required: a missing version is refused like a stale one), apply the fields,
diff them for the audit entry, bump the version. Side effects run once the change is committed.

Services use :func:`editing`::

    with editing(application, actor=actor, version=version, action=AuditAction.APPLICATION_UPDATE,
                 permission="campaigns.edit_application") as change:
        change.apply(data)           # setattr + recorded difference
        ...                          # further writes inside the same transaction
    after_commit(lambda: notify.application_changed(change.current))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .predicates import require


class Refused(Exception):
    """A write refused for a reason the user can act on; the message (Chinese) says it and
    nothing was written. Views turn it into a message on the page."""


class EditConflict(Refused):
    """The record was saved after the page was opened (or the page sent no version): nothing was
    written. ``current`` is the stored record, for showing the newer content."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("该记录已被他人修改，您的修改未保存。请查看最新内容后重新提交。"))


def lock(model, pk, version: int | None, unchanged=None):
    """The row ``pk`` locked for update, when ``version`` is its stored version — or, for an
    autosave, when ``unchanged(current)`` says that what the page is saving was not changed by
    anyone else meanwhile (only this page's own earlier saves moved the version on)."""
    current = model.objects.select_for_update().get(pk=pk)
    if not is_current(current, version) and not (unchanged is not None and unchanged(current)):
        raise EditConflict(current)
    return current


def is_current(record, version: int | None) -> bool:
    """Whether a page opened at ``version`` saw the stored ``record`` (no version: it did not)."""
    return version is not None and record.version == version


class Change:
    """The locked record and what has been changed on it (for the audit entry)."""

    def __init__(self, current):
        self.current = current
        self.changes: dict[str, list] = {}
        self.facts: dict = {}

    def apply(self, values: Mapping[str, Any], *, record: bool = True) -> None:
        """Set the fields; ``record=False`` for derived data the audit entry need not repeat
        (a snapshot of the settings, the result of a check)."""
        for field, value in values.items():
            before = getattr(self.current, field)
            if record and before != value:
                self.changes[field] = [audit.plain(before), audit.plain(value)]
            setattr(self.current, field, value)

    def note(self, key: str, before, after) -> None:
        """A change that is not a field of the record (its scenarios, its tasks…)."""
        if before != after:
            self.changes[key] = [audit.plain(before), audit.plain(after)]

    def fact(self, key: str, value) -> None:
        """Something else the audit entry should say (a comment, a count)."""
        self.facts[key] = value


@contextmanager
def editing(
    record,
    *,
    actor,
    version: int | None,
    action: str,
    permission: str | None = None,
    unit=None,
    save: bool = True,
    unchanged=None,
):
    """Edit ``record`` in one transaction (see the module docstring). ``permission`` is checked
    again on the locked row, whose state may have moved on since the caller checked."""
    with transaction.atomic():
        change = Change(lock(type(record), record.pk, version, unchanged))
        if permission:
            require(actor, permission, change.current)
        yield change
        change.current.version += 1
        if save:
            change.current.save()
        else:
            type(record).objects.filter(pk=record.pk).update(version=change.current.version)
        audit.record(
            actor=actor,
            action=action,
            target=change.current,
            unit=unit,
            changed=change.changes,
            facts=change.facts,
        )


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current transaction commits (now, outside a transaction):
    notifications and background jobs never announce a change that was rolled back."""
    transaction.on_commit(callback)
