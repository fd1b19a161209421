"""Background work of the accounts app: the sweep of stale jobs (Celery beat, every minute) and
the big XLSX exports."""

from celery import shared_task


@shared_task
def sweep_jobs_task() -> int:
    """End the background jobs that will not finish by themselves as 失败."""
    from .jobs import sweep

    return sweep()


@shared_task
def run_export_task(job_id: int, attempt: int | None = None) -> str:
    """Write a recorded export for one attempt; the row carries progress, file and error."""
    from .exports import run_export

    job = run_export(job_id, attempt)
    return job.status if job else "skipped"
