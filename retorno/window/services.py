"""Writes of the information office: a consultation logged in a few keystrokes, and the trainings
it gives with their attendance and scores."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.core.audit import audit_log
from retorno.core.models import Site, User
from retorno.core.services import require
from retorno.referrals.models import Service
from retorno.registry.models import Person
from retorno.window.models import AgeGroup, Audience, Channel, Consultation, Material, Participant, Profile, Topic, Training

OFFICE_KINDS = (Site.Kind.INFORMATION_OFFICE, Site.Kind.ASSISTANCE_CENTRE)
LATE_DAYS = 31  # a consultation is logged the same day, or caught up within a month


def offices_of(user: User) -> list[Site]:
    if user.agency_id is None:
        return []
    return list(Site.objects.filter(agency_id=user.agency_id, kind__in=OFFICE_KINDS, is_active=True).order_by("name"))


@transaction.atomic
def consultation_record(
    *,
    actor: User,
    office: Site | None,
    profile: str,
    topics: Sequence[str],
    channel: str = Channel.WALK_IN,
    held_on: datetime.date | None = None,
    sex: str = "",
    age_group: str = "",
    topic_other: str = "",
    materials: Sequence[str] = (),
    services: Sequence[Service] = (),
    person: Person | None = None,
    note: str = "",
) -> Consultation:
    """Log one consultation; every problem is reported at once."""
    require(actor, "window.record")
    if office is not None and office.agency_id != actor.agency_id:
        raise PermissionDenied
    if person is not None and person.agency_id != actor.agency_id:
        raise PermissionDenied  # (the page finds people through the registry's scope)
    today = timezone.localdate()
    held_on = held_on or today
    topics = [t for t in dict.fromkeys(topics) if t in Topic.values]
    errors: dict[str, str] = {}
    if office is None or office.kind not in OFFICE_KINDS:
        errors["office"] = _("Choose the information office where the consultation took place.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the person reached the office.")
    if profile not in Profile.values:
        errors["profile"] = _("Say who asks: someone thinking of migrating, a returnee, a family member or another person.")
    if not topics:
        errors["topics"] = _("Tick at least one topic.")
    if Topic.OTHER in topics and not topic_other.strip():
        errors["topic_other"] = _("Say which other topic.")
    if sex not in Consultation.Sex.values:
        errors["sex"] = _("Choose from the list.")
    if age_group not in AgeGroup.values:
        errors["age_group"] = _("Choose from the list.")
    if held_on > today or held_on < today - datetime.timedelta(days=LATE_DAYS):
        errors["held_on"] = _("The date must be between a month ago and today.")
    if any(service.provider.country_id != actor.agency.country_id for service in services if actor.agency):
        errors["services"] = _("Choose services of this country.")
    if errors or office is None:
        raise ValidationError(errors)
    consultation = Consultation.objects.create(
        agency=office.agency,
        office=office,
        held_on=held_on,
        channel=channel,
        person=person,
        sex=sex,
        age_group=age_group,
        profile=profile,
        topics=topics,
        topic_other=topic_other.strip()[:200] if Topic.OTHER in topics else "",
        materials=[m for m in dict.fromkeys(materials) if m in Material.values],
        note=" ".join(note.split())[:300],
        recorded_by=actor,
    )
    consultation.services.set(list(services))
    if person is not None:
        audit_log(actor=actor, action="update", object_type="person", object_id=person.public_id, fields=["consultation"])
    return consultation


# --- Trainings ------------------------------------------------------------------------------------

TRAINING = "training"


def _score_problem(value: Decimal | None) -> bool:
    return value is not None and not Decimal(0) <= value <= Decimal(100)


@transaction.atomic
def training_save(*, actor: User, data: dict[str, Any], training: Training | None = None) -> Training:
    """Record a training given (or correct it); every problem at once. Named participants are
    among those counted (the counts never fall below them) and their scores give the averages."""
    require(actor, "window.record")
    if actor.agency is None or (training is not None and training.agency_id != actor.agency_id):
        raise PermissionDenied
    office = data.get("office")
    if office is not None and office.agency_id != actor.agency_id:
        raise PermissionDenied
    topics = [t for t in dict.fromkeys(data.get("topics") or []) if t in Topic.values]
    held_on = data.get("held_on")
    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Give the training a title.")
    if not (data.get("place") or "").strip():
        errors["place"] = _("Say where the training took place.")
    if held_on is None or held_on > timezone.localdate():
        errors["held_on"] = _("Give the date the training took place (not in the future).")
    if data.get("audience") not in Audience.values:
        errors["audience"] = _("Choose the audience.")
    if not topics:
        errors["topics"] = _("Tick at least one topic.")
    for name in ("women", "men"):
        if (data.get(name) or 0) < 0:
            errors[name] = _("A number of people cannot be negative.")
    pre, post = data.get("pre_average"), data.get("post_average")
    if _score_problem(pre):
        errors["pre_average"] = _("A score is between 0 and 100.")
    if _score_problem(post):
        errors["post_average"] = _("A score is between 0 and 100.")
    municipality = data.get("municipality")
    if municipality is not None and municipality.country_id != actor.agency.country_id:
        errors["municipality"] = _("Choose a municipality of this country.")
    if errors or held_on is None:
        raise ValidationError(errors)
    training = training or Training(agency=actor.agency, recorded_by=actor)
    training.office, training.held_on, training.municipality = office, held_on, municipality
    training.title, training.place = data["title"].strip()[:200], data["place"].strip()[:200]
    training.audience, training.topics, training.materials = data["audience"], topics, (data.get("materials") or "").strip()[:300]
    training.women, training.men = data.get("women") or 0, data.get("men") or 0
    training.pre_average, training.post_average = pre, post
    training.save()
    if training.participants.exists():
        _recount(training)
    audit_log(actor=actor, action="update", object_type=TRAINING, object_id=str(training.pk), fields=["training"])
    return training


def _recount(training: Training) -> None:
    people = list(training.participants.all())
    training.women = max(training.women, sum(1 for p in people if p.sex == "F"))
    training.men = max(training.men, sum(1 for p in people if p.sex == "M"))
    pre = [Decimal(p.pre_score) for p in people if p.pre_score is not None]
    post = [Decimal(p.post_score) for p in people if p.post_score is not None]
    training.pre_average = round(sum(pre, Decimal(0)) / len(pre), 1) if pre else training.pre_average
    training.post_average = round(sum(post, Decimal(0)) / len(post), 1) if post else training.post_average
    training.save(update_fields=["women", "men", "pre_average", "post_average"])


@transaction.atomic
def participant_add(
    *,
    actor: User,
    training: Training,
    name: str,
    sex: str,
    organisation: str = "",
    pre_score: Decimal | None = None,
    post_score: Decimal | None = None,
) -> Participant:
    """A named participant: counted among the attendance (which grows if it was smaller), and their
    scores, when given, make the training's averages."""
    require(actor, "window.record")
    if training.agency_id != actor.agency_id:
        raise PermissionDenied
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Write the participant's name.")
    if sex not in ("F", "M"):
        errors["sex"] = _("Choose from the list.")
    if _score_problem(pre_score):
        errors["pre_score"] = _("A score is between 0 and 100.")
    if _score_problem(post_score):
        errors["post_score"] = _("A score is between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    participant = Participant.objects.create(
        training=training,
        name=name[:150],
        sex=sex,
        organisation=" ".join(organisation.split())[:150],
        pre_score=pre_score,
        post_score=post_score,
    )
    _recount(training)
    audit_log(actor=actor, action="update", object_type=TRAINING, object_id=str(training.pk), fields=["participants"])
    return participant
