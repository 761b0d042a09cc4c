"""What the reception desk tells other apps (they connect; reception imports none of them).

`unaccompanied_child_identified(entry=ArrivalPerson)` is sent after the screening that found a
child travelling alone is saved: the referrals app turns it into the protocol's referral.
"""

from django.dispatch import Signal

unaccompanied_child_identified = Signal()

# `child_handed_over(handover=ChildHandover)` is sent inside the hand-over's transaction: the
# child-protection app opens the child's case in it, so no child handed over is without one.
child_handed_over = Signal()
