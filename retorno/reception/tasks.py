"""Background jobs of the reception desk (Huey; run by `manage.py run_huey`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def manifest_import_task(import_id: int) -> None:
    from retorno.reception.services import manifest_import_run

    manifest_import_run(import_id)


@db_periodic_task(crontab(hour="3", minute="10"))
def manifest_files_forget_nightly() -> None:
    """Unimported manifest files are personal data nobody uses: dropped after a week."""
    from retorno.reception.services import manifest_files_forget

    manifest_files_forget()
