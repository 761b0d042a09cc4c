"""Background jobs of the reception desk (Huey; run by `manage.py run_huey`)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def manifest_import_task(import_id: int) -> None:
    from retorno.reception.services import manifest_import_run

    manifest_import_run(import_id)
