"""Background jobs of referrals (Huey; run by `manage.py run_huey`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def referrals_overdue_every_15_minutes() -> None:
    """A referral past its time limit without an answer: both institutions are told once."""
    from retorno.referrals.services import referrals_overdue_remind

    referrals_overdue_remind()
