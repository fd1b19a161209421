"""Background work of the accounts app: the sweep of stale jobs (Celery beat, every minute)."""

from celery import shared_task


@shared_task
def sweep_jobs_task() -> int:
    """End the background jobs that will not finish by themselves as 失败."""
    from .jobs import sweep

    return sweep()
