"""Demo services directory: what the institutions of El Salvador offer returnees and their
families around La Unión and in the capital, kept through the same service as the pages."""

from __future__ import annotations

from retorno.core.models import AdminArea, Agency, User
from retorno.referrals import services
from retorno.referrals.models import Service
from retorno.registry.models import Language

# (provider, name, category, Spanish description, English description, department or municipality
# served ("*" the whole country), office municipality, phone, hours, min age, max age, public)
SERVICES = [
    (
        "CONNA",
        "Recepción inmediata de niñez no acompañada",
        "child_protection",
        "Recibe en persona, en el aeropuerto y en las fronteras, a toda niña, niño o adolescente que retorna sin sus padres.",
        "Receives in person, at the airport and the borders, every child who returns without their parents.",
        "*",
        "San Salvador",
        "2231-4700",
        "Todos los días, 24 horas",
        None,
        17,
        "returnees",
    ),
    (
        "CONNA",
        "Junta de Protección de la Niñez — La Unión",
        "child_protection",
        "Recibe denuncias y dicta medidas de protección para niñas, niños y adolescentes.",
        "Receives reports and orders protection measures for children.",
        "La Unión",
        "La Unión",
        "2660-1122",
        "Lunes a viernes, 8:00–16:00",
        None,
        17,
        "anyone",
    ),
    (
        "CONNA",
        "Línea de atención a la niñez",
        "child_protection",
        "Orientación y denuncia por teléfono, todos los días.",
        "Advice and reports by phone, every day.",
        "*",
        "San Salvador",
        "131",
        "Todos los días, 24 horas",
        None,
        17,
        "anyone",
    ),
    (
        "OIM-SV",
        "Ventanilla de información — La Unión",
        "legal",
        "Información sobre derechos, documentos, retorno voluntario asistido y servicios públicos.",
        "Information on rights, documents, assisted voluntary return and public services.",
        "La Unión",
        "La Unión",
        "2604-5500",
        "Lunes a viernes, 8:00–17:00",
        None,
        None,
        "anyone",
    ),
    (
        "OIM-SV",
        "Atención psicosocial a personas retornadas — La Unión",
        "psychosocial",
        "Sesiones individuales y familiares con psicólogas; primera cita en una semana.",
        "Individual and family sessions with psychologists; first appointment within a week.",
        "La Unión",
        "La Unión",
        "2604-5501",
        "Martes y jueves, 9:00–15:00",
        None,
        None,
        "returnees",
    ),
    (
        "ALC-LU",
        "Unidad Municipal de la Niñez y Juventud",
        "education",
        "Apoyo para volver a la escuela: matrícula, útiles y acompañamiento.",
        "Help to go back to school: enrolment, school supplies and follow-up.",
        "La Unión",
        "La Unión",
        "2604-4100",
        "Lunes a viernes, 8:00–16:00",
        6,
        24,
        "anyone",
    ),
    (
        "ALC-LU",
        "Oficina municipal de empleo",
        "livelihoods",
        "Bolsa de empleo, orientación laboral y cursos cortos con el INSAFORP.",
        "Job board, career guidance and short courses with INSAFORP.",
        "La Unión",
        "La Unión",
        "2604-4120",
        "Lunes a viernes, 8:00–16:00",
        16,
        None,
        "anyone",
    ),
    (
        "CARITAS",
        "Albergue temporal Cáritas",
        "shelter",
        "Alojamiento de emergencia hasta tres noches para personas retornadas sin lugar donde llegar.",
        "Emergency lodging for up to three nights for returnees with nowhere to go.",
        "San Salvador",
        "San Salvador",
        "2222-3344",
        "Todos los días",
        18,
        None,
        "returnees",
    ),
    (
        "CARITAS",
        "Acompañamiento a mujeres sobrevivientes de violencia",
        "gbv",
        "Escucha, acompañamiento legal y refugio confidencial.",
        "Listening, legal support and a confidential refuge.",
        "*",
        "San Salvador",
        "2222-3355",
        "Lunes a sábado, 8:00–18:00",
        None,
        None,
        "anyone",
    ),
    (
        "DGME",
        "Emisión y reposición de pasaporte y DUI",
        "legal",
        "Trámite de documentos de identidad para personas retornadas, sin costo la primera vez.",
        "Identity documents for returnees, free the first time.",
        "*",
        "San Salvador",
        "2213-7700",
        "Lunes a viernes, 7:30–15:30",
        None,
        None,
        "returnees",
    ),
    (
        "OIM-SV",
        "Consulta médica y referencia — La Unión",
        "health",
        "Consulta de enfermería y referencia a la unidad de salud.",
        "Nursing consultation and referral to the health unit.",
        "La Unión",
        "La Unión",
        "2604-5502",
        "Lunes a viernes, 8:00–12:00",
        None,
        None,
        "anyone",
    ),
]


def build_directory() -> int:
    """Idempotent: nothing is added when a service exists."""
    if Service.objects.exists():
        return 0
    admin = User.objects.filter(email__startswith="admin@", agency__acronym="OIM-SV").first()
    if admin is None:
        return 0
    spanish = list(Language.objects.filter(code="spa"))
    count = 0
    for acronym, name, category, es, en, served, office, phone, hours, low, high, public in SERVICES:
        provider = Agency.objects.filter(acronym=acronym, country__code="SV").first()
        if provider is None:
            continue
        places = AdminArea.objects.filter(country=provider.country)
        areas = [] if served == "*" else list(places.filter(name=served, level=AdminArea.Level.DEPARTMENT)[:1])
        services.service_save(
            actor=admin,
            provider=provider,
            data={
                "name": name,
                "category": category,
                "min_age": low,
                "max_age": high,
                "public": public,
                "nationwide": served == "*",
                "municipality": places.filter(name=office, level=AdminArea.Level.MUNICIPALITY).first(),
                "address": "Centro de la ciudad",
                "phone": phone,
                "hours": hours,
            },
            description={"es": es, "en": en},
            areas=areas,
            languages=spanish,
        )
        count += 1
    return count
