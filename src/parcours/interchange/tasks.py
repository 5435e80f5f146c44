"""Background tasks of the imports started from the interface (run by `parcours db_worker` in production)."""

from django_tasks import task

from .services import import_preview, import_run


@task()
def import_check_task(run_pk: int) -> str:
    return import_preview(run_pk=run_pk).state


@task()
def import_run_task(run_pk: int) -> str:
    return import_run(run_pk=run_pk).state
