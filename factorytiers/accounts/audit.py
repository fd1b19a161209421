"""Recording audit entries. Services call ``record``; the middleware supplies the client IP."""

from contextvars import ContextVar

from .models import AuditEntry

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


def record(*, actor, action: str, target, changes: dict | None = None, unit=None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        unit=unit if unit is not None else getattr(target, "unit", None),
        ip_address=_client_ip.get(),
        changes=changes or {},
    )
