"""What the reception desk tells other apps (they connect; reception imports none of them).

`unaccompanied_child_identified(entry=ArrivalPerson)` is sent after the screening that found a
child travelling alone is saved: the referrals app turns it into the protocol's referral.
"""

from django.dispatch import Signal

unaccompanied_child_identified = Signal()
