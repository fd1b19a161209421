"""Background work of the documents app (inline when no broker is configured)."""

from celery import shared_task


@shared_task
def build_package_task(build_id: int, attempt: int | None = None) -> str:
    """Build a recorded material package for one attempt; the build row carries progress, file
    and error. A redelivered message (the build already finished, or retried since) does
    nothing."""
    from .services import run_package_build

    build = run_package_build(build_id, attempt)
    return build.status if build else "skipped"
