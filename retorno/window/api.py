"""API of the Window office: log consultations and trainings (token or session) and read the dashboard (counts)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from retorno.core.api import lookup, request_user
from retorno.core.models import AdminArea, Site
from retorno.referrals.models import Service
from retorno.registry.selectors import person_get_for_user
from retorno.window import selectors, services
from retorno.window.models import AgeGroup, Audience, Channel, Consultation, Material, Profile, Topic, Training

router = Router(tags=["window"])


class ConsultationIn(Schema):
    office: int | None = Field(None, description="The office (site) id; your institution's only office when empty")
    held_on: datetime.date | None = None
    channel: Channel = Channel.WALK_IN
    profile: Profile
    sex: Consultation.Sex = Consultation.Sex.UNKNOWN
    age_group: AgeGroup = AgeGroup.UNKNOWN
    topics: list[Topic]
    topic_other: str = Field("", max_length=200)
    materials: list[Material] = Field(default_factory=list)
    services: list[int] = Field(default_factory=list, description="Ids of the directory's services the person was told about")
    person: str | None = Field(None, description="Retorno ID, for a person of your institution's records; empty: anonymous")
    note: str = Field("", max_length=300)


class ConsultationOut(Schema):
    id: int
    office: str = Field(..., alias="office.name")
    held_on: datetime.date
    channel: str
    profile: str
    sex: str
    age_group: str
    topics: list[str]
    materials: list[str]
    anonymous: bool

    @staticmethod
    def resolve_anonymous(obj: Consultation) -> bool:
        return obj.person_id is None


class Count(Schema):
    label: str
    count: int


class DashboardOut(Schema):
    total: int
    anonymous: int
    by_topic: list[Count]
    by_month: list[Count]
    by_sex: list[Count]
    by_age: list[Count]
    by_channel: list[Count]
    by_profile: list[Count]


@router.post("/consultations", response={201: ConsultationOut}, summary="Log a consultation of your information office")
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> Status[Consultation]:
    user = request_user(request)
    offices = services.offices_of(user)
    office = lookup(Site.objects.filter(pk__in=[o.pk for o in offices]), "office", pk=payload.office) if payload.office else None
    person = person_get_for_user(user=user, public_id=payload.person) if payload.person else None
    consultation = services.consultation_record(
        actor=user,
        office=office or (offices[0] if len(offices) == 1 else None),
        held_on=payload.held_on,
        channel=payload.channel,
        profile=payload.profile,
        sex=payload.sex,
        age_group=payload.age_group,
        topics=payload.topics,
        topic_other=payload.topic_other,
        materials=payload.materials,
        services=[lookup(Service.objects.all(), "services", pk=pk) for pk in payload.services],
        person=person,
        note=payload.note,
    )
    return Status(201, consultation)


@router.get("/dashboard", response=DashboardOut, summary="Consultations of the last 12 months by topic, month, sex, age, channel, profile")
def dashboard(request: HttpRequest, office: int | None = None) -> dict[str, Any]:
    user = request_user(request)
    board = selectors.dashboard(user=user, office_id=office)

    def counts(rows: list[tuple[Any, int]]) -> list[dict[str, Any]]:
        return [{"label": label.strftime("%Y-%m") if isinstance(label, datetime.date) else label, "count": n} for label, n in rows]

    return {
        "total": board.total,
        "anonymous": board.anonymous,
        "by_topic": counts(board.by_topic),
        "by_month": counts(board.by_month),
        "by_sex": counts(board.by_sex),
        "by_age": counts(board.by_age),
        "by_channel": counts(board.by_channel),
        "by_profile": counts(board.by_profile),
    }


class TrainingIn(Schema):
    title: str = Field(..., max_length=200)
    held_on: datetime.date
    place: str = Field(..., max_length=200)
    municipality: str | None = Field(None, description="P-code of the municipality")
    office: int | None = None
    audience: Audience
    topics: list[Topic]
    materials: str = Field("", max_length=300)
    women: int = Field(0, ge=0)
    men: int = Field(0, ge=0)
    pre_average: Decimal | None = Field(None, ge=0, le=100)
    post_average: Decimal | None = Field(None, ge=0, le=100)


class ParticipantIn(Schema):
    name: str = Field(..., max_length=150)
    sex: str = Field(..., description="F or M")
    organisation: str = Field("", max_length=150)
    pre_score: Decimal | None = Field(None, ge=0, le=100)
    post_score: Decimal | None = Field(None, ge=0, le=100)


class TrainingOut(Schema):
    id: int
    title: str
    held_on: datetime.date
    place: str
    audience: str
    topics: list[str]
    women: int
    men: int
    pre_average: Decimal | None
    post_average: Decimal | None
    participants: int

    @staticmethod
    def resolve_participants(obj: Training) -> int:
        return obj.participants.count()


@router.get("/trainings", response=list[TrainingOut], summary="Your institution's trainings, newest first")
def training_list(request: HttpRequest) -> list[Training]:
    return list(selectors.trainings_of(user=request_user(request))[:200])


@router.post("/trainings", response={201: TrainingOut}, summary="Record a training given")
def training_create(request: HttpRequest, payload: TrainingIn) -> Status[Training]:
    user = request_user(request)
    data: dict[str, Any] = payload.dict()
    country = user.agency.country_id if user.agency else 0
    code = data.pop("municipality")
    data["municipality"] = lookup(AdminArea.objects.filter(country_id=country, level=2), "municipality", pcode=code) if code else None
    office = data.pop("office")
    data["office"] = lookup(Site.objects.filter(pk__in=[o.pk for o in services.offices_of(user)]), "office", pk=office) if office else None
    return Status(201, services.training_save(actor=user, data=data))


@router.post("/trainings/{pk}/participants", response={201: TrainingOut}, summary="Add a named participant (counts follow)")
def participant_create(request: HttpRequest, pk: int, payload: ParticipantIn) -> Status[Training]:
    user = request_user(request)
    training = selectors.training_get(user=user, pk=pk)
    services.participant_add(actor=user, training=training, **payload.dict())
    training.refresh_from_db()
    return Status(201, training)
