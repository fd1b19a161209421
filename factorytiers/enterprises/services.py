"""Writes to enterprises and factories: each function checks permission, writes in a
transaction with optimistic locking (``accounts.writes``) and records the audit entry."""

from django.db import transaction

from factorytiers.accounts import audit
from factorytiers.accounts.models import AuditAction
from factorytiers.accounts.predicates import require
from factorytiers.accounts.writes import editing

from .models import Enterprise, Factory

OFFICER_FIELDS = ("credit_code", "is_pilot_winner")


def create_enterprise(*, actor, data: dict) -> Enterprise:
    enterprise = Enterprise(**data)
    require(actor, "enterprises.add_enterprise")
    require(actor, "enterprises.change_enterprise", enterprise)  # the unit must be theirs
    with transaction.atomic():
        enterprise.save()
        audit.record(actor=actor, action=AuditAction.ENTERPRISE_CREATE, target=enterprise)
    return enterprise


def update_enterprise(*, actor, enterprise: Enterprise, data: dict, version) -> Enterprise:
    require(actor, "enterprises.change_enterprise", enterprise)
    with editing(
        enterprise, actor=actor, version=version, action=AuditAction.ENTERPRISE_UPDATE
    ) as change:
        current = change.current
        if any(getattr(current, f) != data[f] for f in OFFICER_FIELDS if f in data):
            require(actor, "enterprises.change_officer_fields", current)
        change.apply(data)
        # A move to another unit must be allowed for the destination too.
        require(actor, "enterprises.change_enterprise", current)
    return change.current


def add_factory(*, actor, enterprise: Enterprise, data: dict) -> Factory:
    require(actor, "enterprises.change_factories", enterprise)
    with transaction.atomic():
        factory = Factory.objects.create(enterprise=enterprise, **data)
        audit.record(
            actor=actor, action=AuditAction.FACTORY_CREATE, target=factory, unit=enterprise.unit
        )
    return factory


def update_factory(*, actor, factory: Factory, data: dict, version) -> Factory:
    require(actor, "enterprises.change_factories", factory.enterprise)
    with editing(
        factory,
        actor=actor,
        version=version,
        action=AuditAction.FACTORY_UPDATE,
        unit=factory.enterprise.unit,
    ) as change:
        change.apply(data)
    return change.current
