"""The Global Compact for Safe, Orderly and Regular Migration's 23 objectives (UN A/RES/73/195)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OBJECTIVES: dict[int, Promise] = {
    1: _("Collect and utilize accurate and disaggregated data as a basis for evidence-based policies"),
    2: _("Minimize the adverse drivers and structural factors that compel people to leave their country of origin"),
    3: _("Provide accurate and timely information at all stages of migration"),
    4: _("Ensure that all migrants have proof of legal identity and adequate documentation"),
    5: _("Enhance availability and flexibility of pathways for regular migration"),
    6: _("Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"),
    7: _("Address and reduce vulnerabilities in migration"),
    8: _("Save lives and establish coordinated international efforts on missing migrants"),
    9: _("Strengthen the transnational response to smuggling of migrants"),
    10: _("Prevent, combat and eradicate trafficking in persons in the context of international migration"),
    11: _("Manage borders in an integrated, secure and coordinated manner"),
    12: _("Strengthen certainty and predictability in migration procedures for appropriate screening, assessment and referral"),
    13: _("Use migration detention only as a measure of last resort and work towards alternatives"),
    14: _("Enhance consular protection, assistance and cooperation throughout the migration cycle"),
    15: _("Provide access to basic services for migrants"),
    16: _("Empower migrants and societies to realize full inclusion and social cohesion"),
    17: _("Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions of migration"),
    18: _("Invest in skills development and facilitate mutual recognition of skills, qualifications and competences"),
    19: _("Create conditions for migrants and diasporas to fully contribute to sustainable development in all countries"),
    20: _("Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants"),
    21: _("Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration"),
    22: _("Establish mechanisms for the portability of social security entitlements and earned benefits"),
    23: _("Strengthen international cooperation and global partnerships for safe, orderly and regular migration"),
}
