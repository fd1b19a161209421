"""Background work of the documents app (inline when no broker is configured)."""

from celery import shared_task


@shared_task
def build_package_task(build_id: int) -> str:
    """Build a recorded material package; the build row carries progress, file and error."""
    from .services import run_package_build

    return run_package_build(build_id).status
