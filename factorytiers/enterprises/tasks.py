"""Background work of the enterprises app (inline when no broker is configured)."""

from celery import shared_task


@shared_task
def registry_import_task(job_id: int, attempt: int | None = None) -> str:
    """Run the dry run or the apply step of a registry import for one attempt; the row carries
    its stage, progress, result and error. A redelivered message does nothing."""
    from .registry import run_import

    job = run_import(job_id, attempt)
    return job.status if job else "skipped"
