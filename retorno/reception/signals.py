"""What the reception desk tells other apps (they connect; reception imports none of them)."""

from django.dispatch import Signal

# `screening_recorded(entry=ArrivalPerson)` is sent once a screening is saved and committed: the
# referrals app applies the protocol's rules to it (an unaccompanied child is referred to the
# child-protection institution, a survivor of violence to a service that helps…).
screening_recorded = Signal()

# `child_handed_over(handover=ChildHandover)` is sent inside the hand-over's transaction: the
# child-protection app opens the child's case in it, so no child handed over is without one.
child_handed_over = Signal()
