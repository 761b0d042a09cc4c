"""What the cases app tells apps above it (they connect; cases imports none of them)."""

from django.dispatch import Signal

# `assessment_recorded(assessment=Assessment)` is sent once an assessment is saved and committed:
# the referrals app applies the protocol's assessment rules to its scores.
assessment_recorded = Signal()
