"""The permission matrix: which role may do which action. One place, readable by an auditor.

Actions are checked by services (writes) and selectors (reads); templates only use
them to hide links. Record scope (own agency, shared records) is applied on top of
this by each app's selectors: a permission never widens what a user can see
beyond their agency.

The matrix is shown to every logged-in user at /permissions/.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION_OFFICER = "reception_officer", _("Reception officer")
    CASEWORKER = "caseworker", _("Reintegration caseworker")
    CHILD_PROTECTION_OFFICER = "child_protection_officer", _("Child-protection officer")
    PSYCHOSOCIAL_SPECIALIST = "psychosocial", _("Psychosocial specialist")
    INFORMATION_OFFICER = "information_officer", _("Information officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ME_COORDINATOR = "me_coordinator", _("M&E coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles whose work is with people's records (coordinators and administrators see none).
RECORD_READERS = frozenset(
    {
        Role.RECEPTION_OFFICER,
        Role.CASEWORKER,
        Role.CHILD_PROTECTION_OFFICER,
        Role.PSYCHOSOCIAL_SPECIALIST,
        Role.INFORMATION_OFFICER,
        Role.SUPERVISOR,
    }
)

# Action -> (description, roles allowed). Keep the list short and named by what a user does.
ACTIONS: dict[str, tuple[Promise | str, frozenset[Role]]] = {
    "person.view": (
        _("See people's records of their agency"),
        RECORD_READERS,
    ),
    "person.create": (
        _("Register a person"),
        frozenset(
            {
                Role.RECEPTION_OFFICER,
                Role.CASEWORKER,
                Role.CHILD_PROTECTION_OFFICER,
                Role.INFORMATION_OFFICER,
                Role.SUPERVISOR,
            }
        ),
    ),
    "person.change": (
        _("Correct a person's identity data"),
        frozenset({Role.RECEPTION_OFFICER, Role.CASEWORKER, Role.CHILD_PROTECTION_OFFICER, Role.SUPERVISOR}),
    ),
    "person.request_access": (
        _("Ask another institution for access to a person's record"),
        RECORD_READERS,
    ),
    "person.grant_access": (_("Grant or refuse access to the agency's records"), frozenset({Role.SUPERVISOR})),
    "person.access_log": (
        _("See who accessed a person's record"),
        frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    "person.merge": (
        _("Review possible duplicates: merge records, undo a merge, mark different people"),
        frozenset({Role.SUPERVISOR}),
    ),
    "dedup.run": (
        _("Start a search for duplicates and follow its progress (counts only)"),
        frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    "arrival.manage": (
        _("Plan arrivals, import manifests and close arrivals of their reception centre"),
        frozenset({Role.RECEPTION_OFFICER, Role.SUPERVISOR}),
    ),
    "arrival.desk": (
        _("Register arriving people at the desk: presence, screening, hand-over of children, immediate assistance"),
        frozenset({Role.RECEPTION_OFFICER, Role.SUPERVISOR}),
    ),
    "case.view": (
        _("See the reintegration cases of their agency"),
        frozenset({Role.CASEWORKER, Role.CHILD_PROTECTION_OFFICER, Role.SUPERVISOR, Role.PSYCHOSOCIAL_SPECIALIST}),
    ),
    "case.work": (
        _("Open cases, assess, plan, record assistance and follow-ups, write notes, ask to close or transfer"),
        frozenset({Role.CASEWORKER, Role.CHILD_PROTECTION_OFFICER, Role.SUPERVISOR}),
    ),
    "case.approve": (
        _("Approve plans and closures, assign caseworkers, accept or decline transfers, read supervisor notes"),
        frozenset({Role.SUPERVISOR}),
    ),
    "case.psychosocial": (
        _("Record psychosocial sessions and read psychosocial notes"),
        frozenset({Role.PSYCHOSOCIAL_SPECIALIST}),
    ),
    "protection.view": (
        _("See the child-protection cases of their institution (child-protection authority only)"),
        frozenset({Role.CHILD_PROTECTION_OFFICER, Role.SUPERVISOR}),
    ),
    "protection.work": (
        _(
            "Record where a child lives, best-interests assessments and determinations, consent to tracing, tracing actions, "
            "verification, reunification and visits; review potential matches (child-protection authority only)"
        ),
        frozenset({Role.CHILD_PROTECTION_OFFICER}),
    ),
    "protection.approve": (
        _("Approve best-interests assessments; see the child-protection dashboard (child-protection authority only)"),
        frozenset({Role.SUPERVISOR}),
    ),
    "tracing.request": (
        _("Register a family's tracing request"),
        frozenset({Role.RECEPTION_OFFICER, Role.CASEWORKER, Role.CHILD_PROTECTION_OFFICER, Role.INFORMATION_OFFICER, Role.SUPERVISOR}),
    ),
    "directory.manage": (
        _("Keep their institution's services in the public directory"),
        frozenset({Role.INFORMATION_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    "referral.send": (
        _("Refer a person they work with to a service of another institution, with consent"),
        frozenset({Role.RECEPTION_OFFICER, Role.CASEWORKER, Role.CHILD_PROTECTION_OFFICER, Role.INFORMATION_OFFICER, Role.SUPERVISOR}),
    ),
    "referral.answer": (
        _("Accept, decline and complete the referrals their institution receives (they see only what each referral shares)"),
        frozenset(
            {
                Role.CASEWORKER,
                Role.CHILD_PROTECTION_OFFICER,
                Role.PSYCHOSOCIAL_SPECIALIST,
                Role.INFORMATION_OFFICER,
                Role.SUPERVISOR,
            }
        ),
    ),
    "protocol.manage": (
        _("Write the referral protocol's rules, preview them and switch them on or off"),
        frozenset({Role.ADMINISTRATOR}),
    ),
    "window.record": (
        _("Log the consultations of their information office (Window)"),
        frozenset({Role.INFORMATION_OFFICER, Role.SUPERVISOR}),
    ),
    "window.dashboard": (
        _("See the information offices' dashboard (counts, no names)"),
        frozenset({Role.INFORMATION_OFFICER, Role.SUPERVISOR, Role.ME_COORDINATOR, Role.ADMINISTRATOR}),
    ),
    "programme.view": (
        _("See projects' results frameworks, indicators and the national implementation plan (counts, no names)"),
        frozenset({Role.ME_COORDINATOR, Role.SUPERVISOR, Role.INFORMATION_OFFICER, Role.ADMINISTRATOR}),
    ),
    "programme.manage": (
        _("Import project pages, report indicator values and update the national plan"),
        frozenset({Role.ME_COORDINATOR, Role.ADMINISTRATOR}),
    ),
    "instrument.load": (
        _("Load a new version of an assessment instrument"),
        frozenset({Role.ADMINISTRATOR}),
    ),
    "audit.browse": (_("Browse the audit trail"), frozenset({Role.ADMINISTRATOR})),
    "stats.view": (
        _("See aggregate statistics (no names)"),
        frozenset({Role.ME_COORDINATOR, Role.SUPERVISOR, Role.ADMINISTRATOR}),
    ),
    "config.manage": (
        _("Manage places, agencies, sites and users"),
        frozenset({Role.ADMINISTRATOR}),
    ),
    "api.token": (
        _("Create personal API tokens"),
        frozenset(
            {
                Role.RECEPTION_OFFICER,
                Role.CASEWORKER,
                Role.CHILD_PROTECTION_OFFICER,
                Role.SUPERVISOR,
                Role.ME_COORDINATOR,
                Role.ADMINISTRATOR,
            }
        ),
    ),
}

# Aggregates that leave the system hide any cell below this many people (reports, indicators).
SMALL_CELL = 5

# Actions that exist only at the country's child-protection authority, whatever the role matrix says.
AUTHORITY_ACTIONS = frozenset({"protection.view", "protection.work", "protection.approve"})

# Roles that must use two-factor authentication before anything else.
TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})


def role_can(role: str, action: str) -> bool:
    try:
        return role in ACTIONS[action][1]
    except KeyError:
        raise KeyError(f"Unknown action {action!r}: add it to retorno/core/permissions.py") from None


def matrix() -> list[tuple[str, str, list[bool]]]:
    """Rows of (action, description, allowed per role in Role order) for the matrix page."""
    return [(action, str(desc), [role in roles for role in Role]) for action, (desc, roles) in ACTIONS.items()]
