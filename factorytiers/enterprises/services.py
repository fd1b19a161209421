"""Writes to enterprises and factories: each function checks permission, writes in a
transaction with optimistic locking, and records the audit entry."""

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from factorytiers.accounts import audit
from factorytiers.accounts.predicates import require

from .models import Enterprise, Factory

OFFICER_FIELDS = ("credit_code", "is_pilot_winner")


class EditConflict(Exception):
    """Someone saved the record after the editor opened it; nothing was written."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("该记录已被他人修改，您的修改未保存。请查看最新内容后重新提交。"))


def _changes(before: dict, after: dict) -> dict:
    return {
        key: [str(before.get(key)), str(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def create_enterprise(*, actor, data: dict) -> Enterprise:
    enterprise = Enterprise(**data)
    require(actor, "enterprises.add_enterprise")
    require(actor, "enterprises.change_enterprise", enterprise)  # the unit must be theirs
    with transaction.atomic():
        enterprise.save()
        audit.record(actor=actor, action="enterprise.create", target=enterprise)
    return enterprise


def update_enterprise(*, actor, enterprise: Enterprise, data: dict, version: int | None):
    require(actor, "enterprises.change_enterprise", enterprise)
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if version is not None and current.version != version:
            raise EditConflict(current)
        before = model_to_dict(current, fields=list(data))
        if any(before.get(f) != data[f] for f in OFFICER_FIELDS if f in data):
            require(actor, "enterprises.change_officer_fields", current)
        for field, value in data.items():
            setattr(current, field, value)
        # A move to another unit must be allowed for the destination too.
        require(actor, "enterprises.change_enterprise", current)
        current.version += 1
        current.save()
        after = model_to_dict(current, fields=list(data))
        audit.record(
            actor=actor,
            action="enterprise.update",
            target=current,
            changes=_changes(before, after),
        )
    return current


def add_factory(*, actor, enterprise: Enterprise, data: dict) -> Factory:
    require(actor, "enterprises.change_factories", enterprise)
    with transaction.atomic():
        factory = Factory.objects.create(enterprise=enterprise, **data)
        audit.record(actor=actor, action="factory.create", target=factory, unit=enterprise.unit)
    return factory


def update_factory(*, actor, factory: Factory, data: dict, version: int | None) -> Factory:
    require(actor, "enterprises.change_factories", factory.enterprise)
    with transaction.atomic():
        current = Factory.objects.select_for_update().get(pk=factory.pk)
        if version is not None and current.version != version:
            raise EditConflict(current)
        before = model_to_dict(current, fields=list(data))
        for field, value in data.items():
            setattr(current, field, value)
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            action="factory.update",
            target=current,
            unit=factory.enterprise.unit,
            changes=_changes(before, model_to_dict(current, fields=list(data))),
        )
    return current
