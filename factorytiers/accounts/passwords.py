"""Setting a password, by its owner (change) or through an e-mailed link (reset): one write,
audited; a reset also lifts a log-in lock-out of the account."""

from axes.utils import reset as reset_lockouts
from django.db import transaction

from . import audit
from .models import AuditAction, User


def set_password(*, actor, user: User, password: str, action: AuditAction) -> User:
    """``actor`` is the user changing their own password, or None for a reset by e-mail."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor=actor, action=action, target=user)
    if action == AuditAction.PASSWORD_RESET:
        reset_lockouts(username=user.username)
    return user
