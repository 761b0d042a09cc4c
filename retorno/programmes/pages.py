"""Reading IOM web pages — project pages and news — into fields (pure Python: no database).

A page arrives as a text extraction (like ``../shared/seeds/``) or as saved HTML, in English,
French or Spanish. The site's navigation surrounds the content; a project page prints its facts
as label/value pairs (often separated by lines holding a lone "-"), as bullets ("- Project ID:
RT.1066"), or as bare values without labels; some labels stay in English on French and Spanish
pages. A news page has a title, a dateline ("El Salvador - ..."), a body and a contact line.

``read_page`` never raises on content: what it could not read is listed in ``Page.unread`` so the
importer's report can say so.
"""

from __future__ import annotations

import datetime
import gettext
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

FIELDS = (
    "title",
    "start_year",
    "end_year",
    "status",
    "project_type",
    "budget_usd",
    "coverage",
    "year",
    "region",
    "prima_id",
    "project_id",
    "member_states",
)
NEWS_FIELDS = ("title", "dateline_country", "date", "organizations", "contacts", "figures")


def fold_char(c: str) -> str:
    """One character, lower case without its accent (always one character, so offsets survive)."""
    if c in "’‘`´":
        return "'"
    if c in "–—‑":
        return "-"
    base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return (base[:1] or c).lower()


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


# --- vocabularies --------------------------------------------------------------------------------

LABELS: dict[str, tuple[str, ...]] = {
    "start_year": ("date de debut", "start date", "fecha de inicio", "start year", "annee de debut", "ano de inicio", "debut"),
    "end_year": (
        "date de fin",
        "end date",
        "fecha de finalizacion",
        "fecha de fin",
        "fecha de termino",
        "fecha de cierre",
        "end year",
        "annee de fin",
        "ano de finalizacion",
        "date d'achevement",
        "date de cloture",
        "completion date",
        "fecha de conclusion",
        "fecha final",
    ),
    "status": (
        "statut du projet",
        "project status",
        "estado del proyecto",
        "estatus del proyecto",
        "etat du projet",
        "situacion del proyecto",
        "statut",
        "status",
        "estado",
        "estatus",
    ),
    "project_type": ("type de projet", "project type", "tipo de proyecto", "type"),
    "budget_usd": (
        "budget amount (usd)",
        "montant du budget (usd)",
        "monto del presupuesto (usd)",
        "montant du budget",
        "monto del presupuesto",
        "budget amount",
        "budget (usd)",
        "presupuesto (usd)",
        "montant budgetaire (usd)",
        "monto presupuestario (usd)",
        "montant budgetaire",
        "monto presupuestario",
        "total budget",
        "budget total",
        "presupuesto total",
        "budget",
        "presupuesto",
    ),
    "coverage": ("couverture", "coverage", "cobertura", "alcance"),
    "year": ("annee", "year", "ano"),
    "region": ("idf region", "region idf", "region du fdi", "region del fdi", "region"),
    "prima_id": ("prima id", "id de prima", "id prima", "identifiant prima"),
    "project_id": (
        "projet id",
        "project id",
        "proyecto id",
        "id du projet",
        "id de projet",
        "identifiant du projet",
        "id del proyecto",
        "id de proyecto",
        "project code",
        "code du projet",
        "codigo del proyecto",
        "numero du projet",
        "numero de proyecto",
    ),
    "member_states": (
        "etat(s) membre(s) beneficiaires remplissant les conditions requises",
        "etats membres beneficiaires remplissant les conditions requises",
        "etat(s) membre(s) beneficiaire(s) remplissant les conditions requises",
        "etat(s) membre(s) beneficiaire(s)",
        "etats membres beneficiaires",
        "benefiting eligible member state(s)",
        "benefiting eligible member states",
        "eligible member state(s) benefiting",
        "benefiting member state(s)",
        "benefiting member states",
        "estado(s) miembro(s) beneficiario(s) que reune(n) los requisitos",
        "estado(s) miembro(s) beneficiario(s) elegible(s)",
        "estado(s) miembro(s) beneficiario(s)",
        "estados miembros beneficiarios que reunen los requisitos",
        "estados miembros beneficiarios",
        "pays beneficiaires",
        "paises beneficiarios",
        "member states",
    ),
}
_LABEL_LIST = sorted(((v, f) for f, vs in LABELS.items() for v in vs), key=lambda p: -len(p[0]))

STATUS_WORDS = {
    "completed": ("achevé", "termine", "cloture", "acheve", "completed", "complete", "closed", "finished", "finalizado", "completado"),
    "active": (
        "actif",
        "en cours",
        "active",
        "ongoing",
        "activo",
        "en curso",
        "en ejecucion",
        "en ejecución",
        "vigente",
        "in progress",
        "en progreso",
        "en cours d'execution",
        "en implementacion",
        "en cours de mise en oeuvre",
        "under implementation",
    ),
}
STATUS_WORDS["completed"] += ("concluido", "terminado", "cerrado", "ferme", "clos", "terminee", "achevee", "finalise", "finalisee", "ended")

PROJECT_TYPES: dict[str, tuple[str, ...]] = {
    "return_assistance": (
        "aide au retour a l'intention des migrants et des gouvernements",
        "return assistance to migrants and governments",
        "asistencia para el retorno a migrantes y gobiernos",
        "asistencia al retorno para migrantes y gobiernos",
    ),
    "migration_governance": (
        "migration management and policy",
        "migration policy activities",
        "gestion et politique migratoires",
        "activites de politique migratoire",
        "gestion y politica migratoria",
        "actividades de politica migratoria",
        "gobernanza de la migracion",
        "gouvernance des migrations",
        "migration governance",
        "migration policy and governance",
        "politique et gouvernance des migrations",
        "politica y gobernanza de la migracion",
    ),
    "protection": (
        "protection and assistance to vulnerable migrants",
        "protection et assistance aux migrants vulnerables",
        "proteccion y asistencia a migrantes vulnerables",
        "protection and assistance to migrants",
        "protection et assistance aux migrants",
        "proteccion y asistencia a migrantes",
        "counter-trafficking",
        "lutte contre la traite",
        "lucha contra la trata",
    ),
    "labour_mobility": (
        "labour mobility and human development",
        "mobilite de la main-d'oeuvre et developpement humain",
        "movilidad laboral y desarrollo humano",
    ),
    "border_management": (
        "immigration and border management",
        "gestion de l'immigration et des frontieres",
        "gestion de la inmigracion y de fronteras",
        "gestion de inmigracion y fronteras",
    ),
}

COVERAGE_WORDS = {
    "national": ("national", "nationale", "nacional"),
    "regional": ("regional", "régional", "regionale"),
    "global": ("global", "mondial", "mondiale", "mundial"),
}

# IOM Development Fund regions: the English name is kept; French and Spanish pages are read too.
REGIONS: dict[str, tuple[str, ...]] = {
    "Latin America and the Caribbean": (
        "amerique latine et caraibes",
        "amerique latine et les caraibes",
        "america latina y el caribe",
        "latin america and the caribbean",
    ),
    "Central America, North America and the Caribbean": (
        "central america, north america and the caribbean",
        "amerique centrale, amerique du nord et caraibes",
        "centroamerica, norteamerica y el caribe",
    ),
    "South America": ("south america", "amerique du sud", "america del sur", "sudamerica"),
    "Africa": ("africa", "afrique"),
    "West and Central Africa": ("west and central africa", "afrique de l'ouest et du centre", "africa occidental y central"),
    "East and Horn of Africa": ("east and horn of africa", "afrique de l'est et corne de l'afrique", "africa oriental y cuerno de africa"),
    "Southern Africa": ("southern africa", "afrique australe", "africa meridional"),
    "Middle East and North Africa": (
        "middle east and north africa",
        "moyen-orient et afrique du nord",
        "oriente medio y norte de africa",
        "medio oriente y norte de africa",
    ),
    "Asia and the Pacific": ("asia and the pacific", "asie et pacifique", "asie-pacifique", "asia y el pacifico", "asia-pacifico"),
    "Europe": ("europe", "europa"),
    "South-Eastern Europe, Eastern Europe and Central Asia": (
        "south-eastern europe, eastern europe and central asia",
        "europe du sud-est, europe orientale et asie centrale",
        "europa sudoriental, europa oriental y asia central",
    ),
}

MONTHS = {
    **dict.fromkeys(("january", "janvier", "enero", "jan"), 1),
    **dict.fromkeys(("february", "fevrier", "febrero", "feb"), 2),
    **dict.fromkeys(("march", "mars", "marzo", "mar"), 3),
    **dict.fromkeys(("april", "avril", "abril", "apr"), 4),
    **dict.fromkeys(("may", "mai", "mayo"), 5),
    **dict.fromkeys(("june", "juin", "junio", "jun"), 6),
    **dict.fromkeys(("july", "juillet", "julio", "jul"), 7),
    **dict.fromkeys(("august", "aout", "agosto", "aug"), 8),
    **dict.fromkeys(("september", "septembre", "septiembre", "setiembre", "sep", "sept"), 9),
    **dict.fromkeys(("october", "octobre", "octubre", "oct"), 10),
    **dict.fromkeys(("november", "novembre", "noviembre", "nov"), 11),
    **dict.fromkeys(("december", "decembre", "diciembre", "dec"), 12),
}

# Cities a dateline may name instead of its country (capitals and the places IOM news is filed from).
_CITIES = {
    "SV": "San Salvador, La Union, San Miguel", "HN": "Tegucigalpa, San Pedro Sula", "GT": "Ciudad de Guatemala, Guatemala City, Quetzaltenango",
    "CO": "Bogota, Riohacha, Cucuta", "MX": "Mexico City, Ciudad de Mexico, Mexico, Tapachula, Tijuana", "PA": "Panama City, Ciudad de Panama",
    "CR": "San Jose", "NI": "Managua", "BZ": "Belmopan", "DO": "Santo Domingo", "HT": "Port-au-Prince", "CU": "La Habana, Havana, La Havane",
    "VE": "Caracas", "EC": "Quito", "PE": "Lima", "BO": "La Paz, Sucre", "CL": "Santiago", "AR": "Buenos Aires", "UY": "Montevideo",
    "PY": "Asuncion", "BR": "Brasilia", "JM": "Kingston", "US": "Washington", "CA": "Ottawa", "CH": "Geneva, Geneve, Ginebra, Berne",
    "BE": "Brussels, Bruxelles, Bruselas", "FR": "Paris", "ES": "Madrid", "IT": "Rome, Roma", "DE": "Berlin", "GR": "Athens, Athenes, Atenas",
    "TR": "Ankara, Istanbul", "LY": "Tripoli", "TN": "Tunis", "DZ": "Alger, Algiers, Argel", "MA": "Rabat, Casablanca", "EG": "Cairo, Le Caire, El Cairo",
    "NE": "Niamey, Agadez", "ML": "Bamako", "BF": "Ouagadougou", "SN": "Dakar", "GN": "Conakry", "GM": "Banjul", "MR": "Nouakchott",
    "CI": "Abidjan, Yamoussoukro", "GH": "Accra", "NG": "Abuja, Lagos", "CM": "Yaounde", "TD": "N'Djamena", "SD": "Khartoum, Jartum",
    "SS": "Juba", "ET": "Addis Ababa, Addis-Abeba, Adis Abeba", "SO": "Mogadishu, Mogadiscio", "DJ": "Djibouti", "KE": "Nairobi",
    "UG": "Kampala", "RW": "Kigali", "BI": "Bujumbura", "CD": "Kinshasa, Goma", "CF": "Bangui", "ZA": "Pretoria, Johannesburg",
    "ZW": "Harare", "MZ": "Maputo", "MW": "Lilongwe", "ZM": "Lusaka", "MG": "Antananarivo", "YE": "Sana'a, Sanaa, Aden", "SY": "Damascus, Damas",
    "LB": "Beirut, Beyrouth", "JO": "Amman", "IQ": "Baghdad, Bagdad, Erbil", "IR": "Tehran, Teheran", "AF": "Kabul, Kaboul",
    "PK": "Islamabad", "BD": "Dhaka, Cox's Bazar", "IN": "New Delhi", "NP": "Kathmandu", "LK": "Colombo", "MM": "Yangon, Naypyidaw",
    "TH": "Bangkok", "KH": "Phnom Penh", "LA": "Vientiane", "VN": "Hanoi", "MY": "Kuala Lumpur", "ID": "Jakarta", "PH": "Manila, Manille",
    "CN": "Beijing, Pekin", "JP": "Tokyo", "AU": "Canberra", "PG": "Port Moresby", "UA": "Kyiv, Kiev", "MD": "Chisinau",
}  # fmt: skip
CITIES = {fold(city.strip()): code for code, names in _CITIES.items() for city in names.split(",")}

STOPWORDS = {
    "fr": {"le", "la", "les", "des", "du", "et", "est", "pour", "dans", "une", "sur", "qui", "au", "aux", "avec", "par"},
    "en": {"the", "and", "of", "to", "for", "in", "is", "with", "on", "that", "by", "from", "will", "this"},
    "es": {"el", "los", "las", "del", "y", "para", "que", "en", "con", "por", "una", "se", "al", "este"},
}

NAVIGATION = {
    fold(line)
    for line in (
        "Qui sommes nous",
        "Structure",
        "Notre travail",
        "Ce que nous faisons",
        "Partenariats",
        "Agir",
        "Travailler avec nous",
        "Engagez-vous",
        "Données et recherche",
        "2030 AGENDA",
        "Who we are",
        "Our work",
        "What we do",
        "Partnerships",
        "Take action",
        "Work with us",
        "Get involved",
        "Data and research",
        "Quiénes somos",
        "Nuestro trabajo",
        "Lo que hacemos",
        "Alianzas",
        "Actúe",
        "Trabaje con nosotros",
        "Participe",
        "Datos e investigación",
        "Où travaillons-nous",
        "Where we work",
        "Dónde trabajamos",
    )
}


@cache
def countries() -> dict[str, str]:
    """Country names (English, French, Spanish; official, common and short forms), folded → alpha-2."""
    import pycountry

    names: dict[str, str] = {}
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in ("fr", "es")]

    def add(name: str, code: str) -> None:
        key = fold(name).strip()
        names.setdefault(key, code)
        for cut in (",", "("):  # "Venezuela, Bolivarian Republic of", "Bolivie (État plurinational de)"
            if cut in key:
                names.setdefault(key.split(cut)[0].strip(), code)
        if key.count(",") == 1:  # "Salomon, Îles" is also written "Îles Salomon"
            head, tail = (part.strip() for part in key.split(","))
            names.setdefault(f"{tail} {head}", code)

    for country in pycountry.countries:
        for attr in ("common_name", "name", "official_name"):
            name = getattr(country, attr, None)
            if not name:
                continue
            add(name, country.alpha_2)
            for translation in translations:
                add(translation.gettext(name), country.alpha_2)
    aliases = {
        "etats-unis": "US",
        "etats-unis d'amerique": "US",
        "estados unidos de america": "US",
        "usa": "US",
        "the united states": "US",
        "republica dominicana": "DO",
        "trinidad y tabago": "TT",
        "republique dominicaine": "DO",
        "belice": "BZ",
        "panama": "PA",
        "mexique": "MX",
        "mejico": "MX",
        "el salvador": "SV",
        "salvador": "SV",
        "venezuela": "VE",
        "bolivia": "BO",
        "bolivie": "BO",
        "haiti": "HT",
        "perou": "PE",
        "peru": "PE",
        "democratic republic of the congo": "CD",
        "republica democratica del congo": "CD",
        "dr congo": "CD",
        "rd congo": "CD",
        "rdc": "CD",
        "russia": "RU",
        "russie": "RU",
        "rusia": "RU",
        "turkey": "TR",
        "turquie": "TR",
        "turquia": "TR",
        "ivory coast": "CI",
        "cap vert": "CV",
        "united kingdom": "GB",
        "uk": "GB",
    }
    names.update(aliases)
    return names


# --- results -----------------------------------------------------------------------------------


@dataclass
class Contact:
    name: str
    office: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class Figure:
    value: int
    what: str


@dataclass
class Page:
    source: str = ""
    kind: str | None = None  # "project", "news", or None when the page is neither
    language: str = ""
    title: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    status: str | None = None
    project_type: str | None = None
    budget_usd: Decimal | None = None
    coverage: str | None = None
    year: int | None = None
    region: str | None = None
    prima_id: str | None = None
    project_id: str | None = None
    member_states: list[str] = field(default_factory=list)
    description: str = ""
    dateline_country: str | None = None
    date: datetime.date | None = None
    organizations: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # fields found on the page
    unread: list[str] = field(default_factory=list)  # what looked like data but could not be read, in words

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"kind": self.kind, "title": self.title}
        if self.kind != "news":
            data.update(
                start_year=self.start_year,
                end_year=self.end_year,
                status=self.status,
                project_type=self.project_type,
                budget_usd=float(self.budget_usd) if self.budget_usd is not None else None,
                coverage=self.coverage,
                year=self.year,
                region=self.region,
                prima_id=self.prima_id,
                project_id=self.project_id,
                member_states=self.member_states or None,
            )
        if self.kind != "project":
            data.update(
                dateline_country=self.dateline_country,
                date=self.date.isoformat() if self.date else None,
                organizations=self.organizations or None,
                contacts=[vars(c) for c in self.contacts] or None,
                figures=[vars(f) for f in self.figures] or None,
            )
        return data


# --- text ----------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "li", "ul", "ol", "tr", "td", "th", "dt", "dd", "dl", "section", "article", "br", "table"}
_BLOCKS |= {f"h{n}" for n in range(1, 7)} | {"header", "footer", "main", "span"}


def looks_like_html(text: str) -> bool:
    return re.search(r"<\s*(html|body|div|p|h1|article|main)\b", text[:20000], re.IGNORECASE) is not None


def html_text(html: str) -> tuple[str, str | None]:
    """The visible text of a saved page, a line per block, and its main heading (``<h1>``)."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for element in root.xpath("//script|//style|//noscript|//nav|//footer|//head|//form|//svg"):
        element.drop_tree()
    heading = root.xpath("string(//h1)").strip() or None
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return root.text_content(), (" ".join(heading.split()) if heading else None)


def lines_of(text: str) -> list[str]:
    lines = []
    for raw in text.replace("\r", "\n").split("\n"):
        line = " ".join(raw.replace("\u00a0", " ").replace("\u202f", " ").split())
        if line:
            lines.append(line)
    return lines


def language_of(text: str) -> str:
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else "es"


# --- values --------------------------------------------------------------------------------------

PROJECT_ID = re.compile(r"^[A-Z]{2,3}\.\d{3,5}$")
PRIMA_ID = re.compile(r"^[A-Z]{2}\d{2}[A-Z]\d{4}$")
YEAR = re.compile(r"^(19|20)\d\d$")


# The words that tell an IOM project type however it is worded ("Políticas migratorias", "Migration Policy",
# "Mobilité de main-d'œuvre et développement humain"), tried in this order.
TYPE_WORDS = (
    ("return_assistance", r"\b(return|retour|retorno|reintegration|reintegracion|reinsertion)\b"),
    ("border_management", r"\b(border|borders|frontieres?|fronteras?|immigration|inmigracion)\b"),
    ("labour_mobility", r"\b(labour|labor|main-d'oeuvre|main d'oeuvre|laboral|travail|trabajo|employment|emploi|empleo)\b"),
    ("protection", r"\b(protection|proteccion|trafficking|traite|trata)\b"),
    ("migration_governance", r"\b(policy|policies|politiques?|politicas?|governance|gouvernance|gobernanza|management|gestion)\b"),
)


def project_type_of(text: str) -> str | None:
    """The project type a page's wording names: IOM's own wordings first, then the words that tell it."""
    found = _lookup(text, PROJECT_TYPES)
    if found or len(text.split()) > 12:
        return found
    folded = fold(text).replace("œ", "oe")
    return next((kind for kind, words in TYPE_WORDS if re.search(words, folded)), None)


_FOLDED: dict[int, dict[str, str]] = {}


def _lookup(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The value whose words include ``text`` (folded); each vocabulary is folded once."""
    folded = _FOLDED.get(id(table))
    if folded is None:
        folded = _FOLDED[id(table)] = {fold(w): value for value, words in reversed(table.items()) for w in words}
    return folded.get(fold(text).strip(" .;:"))


def parse_status(text: str) -> str:
    return _lookup(text, STATUS_WORDS) or text.strip()


def parse_year(text: str) -> int | None:
    match = re.search(r"\b(19|20)\d\d\b", text)
    return int(match.group(0)) if match else None


def parse_amount(text: str) -> Decimal | None:
    """280000.00, 280,000, 280 000, 280.000,00, USD 280,000 and $280,000.00 are all 280000."""
    cleaned = re.sub(r"(?i)\bus\$|\b(usd|dollars?|dólares|dolares)\b|\$", "", text).strip()
    cleaned = re.sub(r"(?<=\d)[ \u00a0\u202f'](?=\d{3}\b)", "", cleaned)
    if not re.fullmatch(r"\d[\d.,]*", cleaned):
        return None
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    elif cleaned.count(",") == 1 and not re.search(r",\d{3}$", cleaned):
        decimal_mark = ","
    elif cleaned.count(".") == 1 and not re.search(r"\.\d{3}$", cleaned):
        decimal_mark = "."
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    digits = "".join(c for c in cleaned if c not in thousands).replace(",", ".")
    try:
        return Decimal(digits).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


_ARTICLES = {"la", "le", "les", "l'", "the", "el", "and", "et", "y", "e", "&"}


def parse_states(text: str) -> tuple[list[str], list[str]]:
    """Member states written several to a line ("El Salvador Honduras", "Costa Rica, Panamá"):
    their alpha-2 codes in page order, and the words that name no country."""
    names = countries()
    words = re.findall(r"[^\s,;/·]+(?:'(?=\w))?", fold(text).replace("l'", "l' "))
    codes: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(6, len(words) - i), 0, -1):
            code = names.get(" ".join(words[i : i + size]))
            if code:
                if code not in codes:
                    codes.append(code)
                i += size
                break
        else:
            if words[i] not in _ARTICLES:
                unknown.append(words[i])
            i += 1
    return codes, unknown


def parse_date(text: str) -> datetime.date | None:
    folded = fold(text)
    patterns = (
        (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", ("y", "m", "d")),
        (r"\b(\d{1,2})(?:er|o)? (?:de )?([a-z]+)\.?,? (?:de )?(\d{4})\b", ("d", "M", "y")),
        (r"\b([a-z]+)\.? (\d{1,2}), (\d{4})\b", ("M", "d", "y")),
        (r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", ("d", "m", "y")),
    )
    for pattern, order in patterns:
        for match in re.finditer(pattern, folded):
            parts = dict(zip(order, match.groups(), strict=True))
            month = MONTHS.get(parts["M"]) if "M" in parts else int(parts["m"])
            if not month:
                continue
            try:
                return datetime.date(int(parts["y"]), month, int(parts["d"]))
            except ValueError:
                continue
    return None


# --- project pages --------------------------------------------------------------------------------


def _strip_bullet(line: str) -> str:
    return re.sub(r"^[-•*·▪–]\s+", "", line)


def match_label(line: str) -> tuple[str, str, bool] | None:
    """(field, value written after the label, whether a colon or tab separated them)."""
    body = _strip_bullet(line)
    folded = fold(body)
    for variant, name in _LABEL_LIST:
        if not folded.startswith(variant):
            continue
        after = body[len(variant) :]
        if after and after[0].isalnum():
            continue
        longer = re.match(r"([^:\t|\d]{1,70})[:\t|]\s*(.*)$", after)  # "... que reúnen los requisitos: Haití"
        if longer and not re.match(r"\s*[:\t|]", after):
            return name, longer.group(2).strip(" -–—"), True
        separated = bool(re.match(r"\s*[:\t|]", after))
        return name, after.strip(" :\t|-–—"), separated
    states = STATES_LABEL.match(folded)
    if states and len(states.group(1)) <= 90:  # "Eligible Member State(s) Beneficiaries", "Pays bénéficiaires"
        value = body[states.end(1) :]
        return "member_states", value.strip(" :\t|-–—"), bool(re.match(r"\s*[:\t|]", value))
    return None


STATES_LABEL = re.compile(
    r"^((?:eligible |benefiting |beneficiary |beneficiaires? |beneficiarios? )*"
    r"(?:member states?|member state\(s\)|etats? membres?|etat\(s\) membre\(s\)|estados? miembros?|estado\(s\) miembro\(s\)|"
    r"pays|paises|countries|country\(ies\))\b[^:\t|\d]{0,70}?)\s*(?=[:\t|]|$)"
)


def _value_ok(name: str, value: str) -> bool:
    """Whether what follows a label (without a colon) reads as that field: a sentence is not a value."""
    checks = {
        "start_year": lambda v: YEAR.match(v) is not None,
        "end_year": lambda v: YEAR.match(v) is not None,
        "year": lambda v: YEAR.match(v) is not None,
        "budget_usd": lambda v: parse_amount(v) is not None,
        "prima_id": lambda v: PRIMA_ID.match(v.upper()) is not None,
        "project_id": lambda v: PROJECT_ID.match(v.upper()) is not None,
        "member_states": lambda v: not parse_states(v)[1],
        "status": lambda v: _lookup(v, STATUS_WORDS) is not None,
        "coverage": lambda v: _lookup(v, COVERAGE_WORDS) is not None,
        "region": lambda v: _lookup(v, REGIONS) is not None,
        "project_type": lambda v: project_type_of(v) is not None,
    }
    return checks[name](value)


def _is_paragraph(line: str) -> bool:
    return len(line) >= 120 and len(line.split()) >= 15


def _bare_value(line: str, among_facts: bool = False) -> tuple[str, object] | None:
    """A value printed without its label, recognised by its shape; among other facts, a project type
    is also recognised by the words that tell it (a title may hold those words too)."""
    text = _strip_bullet(line).strip()
    upper = text.upper()
    if PROJECT_ID.match(upper):
        return "project_id", upper
    if PRIMA_ID.match(upper):
        return "prima_id", upper
    if YEAR.match(text):
        return "year_value", int(text)
    for name, table in (("status", STATUS_WORDS), ("coverage", COVERAGE_WORDS), ("region", REGIONS)):
        found = _lookup(text, table)
        if found:
            return name, found
    amount = parse_amount(text)
    if amount is not None and (amount >= 1000 or "." in text or "," in text):
        return "budget_usd", amount
    codes, unknown = parse_states(text)
    if codes and not unknown:
        return "member_states", codes
    kind = project_type_of(text) if among_facts else None
    if kind and len(text.split()) <= 10 and not re.search(r"\d|[.:]$", text):
        return "project_type", kind
    return None


def _set(page: Page, name: str, raw: str) -> bool:
    """Store a labelled value; False (and a line in the report) when it cannot be read."""
    value = raw.strip()
    if name in ("start_year", "end_year", "year"):
        year = parse_year(value)
        if year is None:
            page.unread.append(f"{name}: {value!r}")
            return False
        setattr(page, name, year)
    elif name == "budget_usd":
        amount = parse_amount(value)
        if amount is None:
            page.unread.append(f"budget_usd: {value!r}")
            return False
        page.budget_usd = amount
    elif name == "member_states":
        codes, unknown = parse_states(value)
        page.member_states += [c for c in codes if c not in page.member_states]
        if unknown:
            page.unread.append(f"member_states: {' '.join(unknown)!r}")
        if not codes:
            return False
    elif name == "status":
        page.status = parse_status(value)
    elif name == "coverage":
        page.coverage = _lookup(value, COVERAGE_WORDS) or value
    elif name == "region":
        page.region = _lookup(value, REGIONS) or value
    elif name == "project_type":
        page.project_type = project_type_of(value) or value
    elif name in ("prima_id", "project_id"):
        setattr(page, name, value.upper())
    if name not in page.read:
        page.read.append(name)
    return True


def _read_facts(page: Page, lines: list[str]) -> tuple[int, int] | None:
    """Read the project's facts; the indexes of the first and last line that held one."""
    first = last = None
    bare: list[tuple[str, object]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        label = match_label(line)
        if first is not None and _is_paragraph(line) and not (label and label[1] and _value_ok(label[0], label[1])):
            break  # the description begins (a long label with its value on the line is still a fact)
        if label and line != "-":
            name, value, separated = label
            if value and not separated and not _value_ok(name, value):
                # A longer wording of the label ("Couverture géographique") when its value follows alone.
                label = (name, "", False) if len(line) <= 90 and _value_follows(lines, i + 1, name) else None
        if label:
            name, value, _separated = label
            first = i if first is None else first
            last = i
            if not value:  # the value is on the next line that is not a lone "-"
                j = i + 1
                while j < len(lines) and lines[j] == "-":
                    j += 1
                if j < len(lines) and not match_label(lines[j]) and not _is_paragraph(lines[j]):
                    _set(page, name, lines[j])
                    last = i = j
                    if name == "member_states":  # states may go on over several lines
                        while i + 1 < len(lines):
                            codes, unknown = parse_states(lines[i + 1])
                            if not codes or unknown:
                                break
                            _set(page, name, lines[i + 1])
                            last = i = i + 1
                else:
                    page.unread.append(f"{name}: —")
            else:
                _set(page, name, value)
            i += 1
            continue
        shaped = _bare_value(line, among_facts=first is not None) if line not in ("-",) and fold(line) not in NAVIGATION else None
        if shaped and (first is not None or shaped[0] in ("project_id", "prima_id", "budget_usd", "status")):
            if first is None:  # bare start and end years come before the status
                first = i
                while first > 0 and (lines[first - 1] == "-" or YEAR.match(lines[first - 1])):
                    first -= 1
                bare += [("year_value", int(line)) for line in lines[first:i] if YEAR.match(line)]
            last = i
            bare.append(shaped)
        i += 1
    if bare:
        _place_bare(page, bare)
    return (first, last if last is not None else first) if first is not None else None


def _value_follows(lines: list[str], j: int, name: str) -> bool:
    while j < len(lines) and lines[j] == "-":
        j += 1
    return j < len(lines) and not match_label(lines[j]) and _value_ok(name, _strip_bullet(lines[j]))


def _place_bare(page: Page, values: list[tuple[str, object]]) -> None:
    """Values printed without labels, in the order IOM prints them: years before the status are the
    start and end (one alone is the end), a year after the coverage is the page's year."""
    before: list[int] = []
    after: list[int] = []
    seen_coverage = bare_states = False
    for name, value in values:
        if name == "coverage":
            seen_coverage = True
        if name == "year_value":
            (after if seen_coverage else before).append(int(str(value)))
            continue
        if name == "member_states" and (not page.member_states or bare_states):  # one state per line goes on
            bare_states = True
            page.member_states += [code for code in value if code not in page.member_states]  # type: ignore[attr-defined]
            if name not in page.read:
                page.read.append(name)
        elif getattr(page, name) in (None, []):
            setattr(page, name, value)
            page.read.append(name)
    if len(before) == 1 and page.end_year is None:
        page.end_year = before[0]
        page.read.append("end_year")
    elif len(before) >= 2:
        for name, year in (("start_year", before[0]), ("end_year", before[1])):
            if getattr(page, name) is None:
                setattr(page, name, year)
                page.read.append(name)
    if after and page.year is None:
        page.year = after[0]
        page.read.append("year")


def _title_before(lines: list[str], index: int) -> str | None:
    for j in range(index - 1, -1, -1):
        line = lines[j]
        if line == "-" or fold(line) in NAVIGATION or match_label(line) or _bare_value(line):
            continue
        if line.startswith("- "):
            return None
        if len(line) < 40 and parse_date(line):  # a date printed under the title
            continue
        return line
    return None


# --- news pages ---------------------------------------------------------------------------------

DATELINE = re.compile(r"^(?P<where>[^.!?]{2,90}?)\s+[-–—]\s+(?P<rest>\S.*)$")


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes ("GHS 15,000", "PHP 2,500"): money, not organisations nor counts."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies) - KNOWN_ACRONYMS


@cache
def world_cities() -> dict[str, str]:
    """Every capital, every city of 100,000 people or more and the towns of the countries served first
    (GeoNames, see ``data/cities.tsv``), folded name → alpha-2; the short list above comes first."""
    table: dict[str, str] = {}
    path = Path(__file__).resolve().parent / "data" / "cities.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, code, _people = line.split("\t")
            table[name] = code
    return {**table, **CITIES}


def place_country(text: str) -> str | None:
    """The country a dateline's place names: a country ("El Salvador"), a city ("Tegucigalpa",
    "Genève"), or a city named with its country ("Santiago de Chile", "Ciudad de Panamá")."""
    key = fold(text).strip(" .")
    if not key or re.search(r"\d", key):
        return None
    codes, unknown = parse_states(key)
    if codes and not unknown:
        return codes[-1]
    if key in world_cities():
        return world_cities()[key]
    if codes and len(key.split()) <= 5:
        return codes[-1]
    return None


def _find_dateline(lines: list[str]) -> tuple[int, str | None, datetime.date | None] | None:
    """The line that opens the story: "Place – ..." or "Place, date – ..."; its place's country and date.
    A line shaped like a dateline whose place is not known is still the story's start (country None)."""
    unknown_place = None
    for i, line in enumerate(lines):
        match = DATELINE.match(line)
        if not match or len(match.group("rest")) < 40:
            continue
        where = match.group("where")
        parts = [p for p in re.split(r"\s*,\s*|\s+[–—-]\s+|\s*\(\s*|\s*\)\s*", where) if p]
        country = next((c for c in map(place_country, reversed(parts)) if c), None)
        if country:
            return i, country, parse_date(where)
        if unknown_place is None and len(where.split()) <= 6 and where[:1].isupper():
            unknown_place = (i, None, parse_date(where))
    return unknown_place


CONTACT_START = re.compile(
    r"(?:(?:for (?:more|further) information|pour (?:plus|de plus amples) d'informations?|para mas informacion)[\s,:;.-]*"
    r"(?:(?:please )?(?:veuillez contacter|contactar a|contactar con|contacte a|contacte con|contacter|contactez|contact|"
    r"comuniquese con|comunicarse con|pongase en contacto con|escriba a|ecrire a|write to)\b\s*:?\s*)?"
    r"|please contact|veuillez contacter|contacter|contactez|contacte a|contacte con|contactar a|contactar con|"
    r"comuniquese con|comunicarse con|pongase en contacto con|contact(?:os?|s)?\b)\s*:?\s*",
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(
    r"(?:tel(?:ephone|efono|ephone)?|phone|mobile|movil|cel(?:ular)?|whatsapp|tel\.)\s*\.?\s*:?\s*(\+?\d[\d ().-]{5,}\d)", re.IGNORECASE
)


def read_contacts(text: str) -> tuple[list[Contact], int]:
    """Contacts written after "please contact"/"veuillez contacter"/"comuníquese con"; where they start."""
    folded = fold(text)
    starts = list(CONTACT_START.finditer(folded))
    match = starts[-1] if starts else None
    if match is None or not EMAIL.search(text[match.end() :]) and not PHONE.search(folded[match.end() :]):
        return [], len(text)
    start = match.end()
    body = text[start:]
    contacts = []
    # Each contact ends with its e-mail address (or its phone when it gives none).
    ends = [m.end() for m in EMAIL.finditer(body)] or [m.end() for m in PHONE.finditer(fold(body))]
    cursor = 0
    for end in ends:
        chunk = body[cursor:end]
        cursor = end
        contact = _contact(chunk)
        if contact:
            contacts.append(contact)
    return contacts, match.start()


def _contact(chunk: str) -> Contact | None:
    email_match = EMAIL.search(chunk)
    phone_match = PHONE.search(fold(chunk))
    cut = min(m.start() for m in (email_match, phone_match) if m) if (email_match or phone_match) else len(chunk)
    head = re.sub(r"^[\s,;.]*(?:(?:or|ou|o|y|and|et)\s+)?", "", chunk[:cut])
    head = re.sub(r"(?i)[\s,;]*(?:e-?mail|courriel|correo(?: electr[oó]nico)?)\s*:?\s*$", "", head)
    head = re.sub(r"(?i)[\s,;]*(?:tel(?:\.|éfono|ephone)?|tél(?:\.|éphone)?|phone)\s*:?\s*$", "", head).strip(" ,;.")
    if not head:
        return None
    head = head.strip(" :")
    name, office = head, None
    at = re.search(r"\s+(?:at|à l'|à|en la|de la|en)\s+(?=[A-Z])", head)
    if "," in head:
        name, office = (p.strip(" :") for p in head.split(",", 1))
    elif at:
        name, office = head[: at.start()].strip(), head[at.end() :].strip(" :")
    phone = phone_match.group(1).strip() if phone_match else None
    if phone:  # the phone as written, not folded
        phone = chunk[phone_match.start(1) : phone_match.end(1)].strip()  # type: ignore[union-attr]
    return Contact(name=name, office=office or None, phone=phone, email=email_match.group(0) if email_match else None)


KNOWN_ACRONYMS = {
    "OIM", "IOM", "HCR", "UNHCR", "ACNUR", "CICR", "ICRC", "UNICEF", "USAID", "PRM", "PNUD", "UNDP", "OEA", "OAS", "SICA",
    "CRM", "RCM", "DGME", "CONNA", "ISNA", "DINAF", "RNCOM", "RROCM", "OCHA", "BID", "IDB", "OIT", "ILO", "OMS", "WHO",
    "OPS", "PAHO", "PMA", "WFP", "UNFPA", "FNUAP", "ONUSIDA", "UNODC", "ONUDD", "SNF", "DIF", "COMAR",
}  # fmt: skip
ORG_HEADS = tuple(
    fold(h)
    for h in (
        "Direction générale", "Dirección General", "Directorate General", "Haut-Commissariat", "Mayor's Office", "Haut Conseil", "Alto Comisionado",
        "High Commission", "Board",
        "Ministère", "Ministerio", "Ministry", "Direction", "Dirección", "Directorate", "Bureau", "Oficina", "Office",
        "Mairie", "Alcaldía", "Municipality", "Médiateur", "Defensoría", "Procuraduría", "Ombudsman", "Conseil", "Consejo",
        "Council", "Institut", "Instituto", "Institute", "Secrétariat", "Secretaría", "Secretariat", "Réseau", "Red",
        "Network", "Conférence", "Conferencia", "Conference", "Organisation", "Organización", "Organization", "Comité",
        "Committee", "Fonds", "Fondo", "Fund", "Agence", "Agencia", "Agency", "Département", "Departamento", "Department",
        "Cancillería", "Embassy", "Ambassade", "Embajada", "Municipalidad", "Gobernación", "Governorate", "Préfecture", "Prefectura",
        "Chambre", "Chamber", "Cámara", "Superintendencia", "Superintendance", "Superintendence", "Municipio", "Mesa",
        "Fundación", "Fondation", "Foundation", "Servicio", "Service", "Commission", "Comisión", "Autorité", "Autoridad",
        "Authority", "Administration", "Administración", "Unidad", "Unité", "Universidad", "Université", "University",
        "Police", "Policía", "Fiscalía", "Tribunal", "Corte", "Cour", "Asociación", "Association", "Federación", "Fédération",
        "Federation", "Coalition", "Coalición", "Confederación", "Junta", "Asamblea", "Assemblée", "Assembly", "Congreso",
        "Sénat", "Senado", "Senate", "Parlement", "Parliament", "Parlamento", "Société", "Sociedad", "Society", "Union", "Unión",
        "Mission", "Misión", "Delegación", "Délégation", "Delegation", "Coordination", "Coordinadora", "Coordinación",
        "Observatoire", "Observatorio", "Observatory", "Registro", "Registre", "Registry", "Bank", "Banque", "Banco",
        "Communauté", "Comunidad", "Community", "Mancomunidad", "Centre", "Center", "Centro", "Ville",
        "Commune", "Ayuntamiento", "Gouvernorat", "Akimat", "Diocese", "Diocèse", "Diócesis", "Archdiocese", "Archidiocèse",
        "Arquidiócesis", "Vicariato", "Vicariat", "Church", "Église", "Iglesia", "Ligue", "Liga", "League", "Movement",
        "Mouvement", "Movimiento", "Group", "Groupe", "Grupo", "Plateforme", "Plataforma", "Platform", "Registraduría",
        "Pastoral", "Empresa", "Cooperativa", "Coopérative", "Cooperative", "Cabildo", "Corporación", "Corporation",
        "Ejército", "Armée", "Army", "Armada", "Congress", "Congrès", "Division", "División",
        "Provincial Government", "Regional Government", "Local Government", "County Government", "Gobierno Autónomo",
        "Gobierno Municipal", "Gobierno Regional", "Gobierno Departamental", "Gobierno Local", "Gobierno Provincial",
    )
)  # fmt: skip


@cache
def known_names() -> tuple[str, ...]:
    """Organisations known by a name with no institution word to start it ("World Food Programme",
    "Cruz Roja", "Mercy Corps"), folded, longest first (``data/organisations.txt``)."""
    path = Path(__file__).resolve().parent / "data" / "organisations.txt"
    names = {fold(line.strip()) for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


@cache
def _known_names_pattern() -> re.Pattern[str]:
    """One pattern for every known name over folded text, the longest name first at each place."""
    names = (re.escape(name).replace(r"\ ", r"\s+") for name in known_names())
    return re.compile(rf"(?<![\w-])(?:{'|'.join(names)})(?![\w-])")


@cache
def _known_keys() -> frozenset[str]:
    return frozenset(name.replace(" ", "") for name in known_names())


# The institution words by their first word, the longest first ("Direction générale" before "Direction").
_HEADS_BY_FIRST_WORD: dict[str, list[list[str]]] = {}
for _head in sorted(ORG_HEADS, key=lambda h: -len(h.split())):
    _HEADS_BY_FIRST_WORD.setdefault(_head.split()[0], []).append(_head.split())
# Institution words that end an English name ("Norwegian Refugee Council"): the capitalised words before them belong to it.
TRAILING_HEADS = {fold(h) for h in ("Council", "Committee", "Commission", "Agency", "Service", "Foundation", "Fund", "Institute",
                                       "Administration", "Authority", "Society", "Association", "Federation", "Coalition",
                                       "Network", "University", "Office", "Bureau", "Secretariat", "Police", "Organization",
                                       "Organisation", "Union", "Bank", "Community", "Board", "Centre", "Center",
                                       "Movement", "Group", "Church", "Diocese", "League", "Platform", "Municipality",
                                       "Cooperative", "Corporation", "Army", "Department", "Division", "Unit")}  # fmt: skip
# Words in capitals that start a sentence rather than a name.
SENTENCE_WORDS = {"the", "in", "on", "at", "by", "for", "from", "and", "a", "an", "this", "with", "as", "its", "their", "our", "to",
                  "le", "la", "les", "l'", "une", "un", "des", "du", "au", "avec", "par", "selon", "el", "los", "las", "una",
                  "del", "al", "con", "por", "segun", "according", "both", "each", "while", "after", "since", "during"}  # fmt: skip
CONJUNCTIONS = {"and", "et", "y", "&"}
# Capitalised English adjectives that open an institution's name before its institution word.
RANK_WORDS = {"national", "provincial", "regional", "general", "federal", "municipal", "central", "state", "district",
              "departmental", "local", "county", "supreme", "high", "metropolitan", "city"}  # fmt: skip
# Arabic article particles inside a capitalised name ("Dreib al-Awsat", "Deir ez-Zor").
ARABIC_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|ez|es)-[A-Z]")
# Participles that tie a people to the ministry for its citizens abroad ("des Guinéens établis à l'étranger").
ABROAD_PARTICIPLES = {fold(w) for w in ("établis", "résidant", "vivant", "installés", "residentes", "radicados", "living", "residing")}
# Words that say what kind of company the name after them is ("la empresa naviera ...", "the mobile operator ...").
COMPANY_WORDS = {fold(w) for w in ("empresa", "compañía", "company", "operator", "opérateur", "operadora", "société", "firm", "firma",
                                   "textil", "naviera", "aerolínea", "airline", "compagnie", "entreprise", "supermarket", "supermercado",
                                   "cadena", "chain", "maquila", "maquiladora", "cooperativa", "coopérative", "cooperative", "agency",
                                   "agence", "agencia", "ngo", "ong", "fundación", "fondation", "foundation", "association",
                                   "asociación", "charity", "organisation", "organization", "organización")}  # fmt: skip
COMPANY_SUFFIX = re.compile(r"\s+(?:S\.A\.(?:\s+de\s+C\.V\.)?|S\.A\.S\.|S\.R\.L\.|Ltd\.?|Ltda\.?|Inc\.|SARL|LLC|PLC|GmbH)")
# Words after which a name in capitals is a place ("la région SAVA").
PLACE_WORDS = (
    r"\b(?:région|region|región|province|provincia|département|departamento|district|distrito|state|estado|wilaya|governorate|gouvernorat)"
)
# A people's name that an association of its diaspora carries ("Unión Venezolana en Perú").
DIASPORA = r"(anas?|anos?|enses?|enas?|enos?|ais|aises|iens|iennes|ese|ians?)$"
# A capitalised word before a known name that makes it a country's own ("Lebanese Red Cross").
DEMONYM = r"(ese|ian|an|ish|i|ine|ch)$"
# Institution words that also name a ministry's domain ("Ministère de l'Intérieur et de l'Administration du territoire").
DOMAIN_HEADS = {"administration", "administracion"}
# A known organisation's local branch: "du canton d'Una-Sana", "de la región de Tarapacá", "of the Tigray region".
BRANCH = re.compile(
    r"\s+(?:du|de la|del|de l[’']|de|of the)\s+(?:canton|région|region|región|province|provincia|département|departamento|"
    r"district|distrito|county|comté|état|estado|state|municipio|commune|wilaya|gouvernorat|governorate)"
    r"\s+(?:de\s+|d[’']|del\s+|of\s+)?[A-ZÀ-Ý][\w’'-]*(?:\s+[A-ZÀ-Ý][\w’'-]*)*"
)
# What ties a name to the acronym before it: "(CERF) de las Naciones Unidas", "(PRM) of the US Department of State".
OF_ACRONYM = re.compile(r"\)\s*(?:de las|de los|de la|del|de|des|du|of the|of)\s*$")
# "and the X (ACR)": the acronym is X's, the next item of a list (not "pour l'emploi et le travail indépendant (ANETI)").
NEXT_ITEM = {("and", "the"), ("et", "la"), ("et", "le"), ("et", "les"), ("et", "l'")}
# Articles that open the next item of a list after a comma.
LIST_ARTICLES = {"the", "la", "le", "les", "l'", "el", "los", "las"}
# Institution words French and Spanish may write in lowercase ("le ministère de l'Intérieur").
LOWERCASE_HEADS = {"ministere", "ministerio"}
# Countries written by their initials ("the US Bureau of ...", "EE. UU."), not organisations.
COUNTRY_ABBREVIATIONS = {"US", "USA", "UK", "UAE", "RD", "DR", "RDC", "DRC", "EEUU", "EAU", "RU", "PNG", "RCA", "CAR"}
ACRONYM = re.compile(r"(?=.{2})[A-Z][A-Za-z0-9]{0,14}(?:[-/][A-Z0-9][A-Za-z0-9]{0,6})*")
# Prepositions a name may hold before a capitalised word ("Mesa ... para la Prevención y Combate a la Trata de Personas").
NAME_PREPOSITIONS = {"para", "pour", "for", "contra", "contre", "against", "a", "à", "sobre", "sur", "on", "from", "under"}
# Words that end the search back from "(ACR)" for the start of its name ("... con el apoyo del Sistema ... (SICA)").
BACK_STOPS = {"con", "with", "avec", "que", "qui", "that", "which", "por", "par", "by", "en", "in", "dans"}
# A lowercase word after another part of a name goes on only when it reads as an adjective
# ("Ministère des affaires étrangères", "Département d'Etat américain"), not a verb ("... ont lancé").
ADJECTIVE = r"(ain|aine|ais|aise|ien|ienne|ano|ana|anos|anas|ense|ese|ois|oise|iques?|icos?|icas?|eres?|al|ales?|aux|elles?|iles?|aires?|ieure?s?|ives?|ivos?|ivas?|eens?|eennes?|eos?|eas?|antes?|ientes?)$"
# Words that start the name of a plan, a tool or a campaign, not of an organisation.
NOT_ORGANISATION_WORDS = {fold(w) for w in ("Permiso", "Permit", "Permis", "Tarjeta", "Carte", "Card", "Documento", "Estatuto",
                                            "Statut", "Plan", "Matriz", "Matrix", "Matrice", "Estrategia", "Strategy", "Stratégie",
                                            "Initiative", "Iniciativa", "Campaign", "Campagne", "Campaña", "Sistema de Información")}  # fmt: skip
# A name that describes the acronym just before it ("UNHCR, the UN Refugee Agency,").
APPOSITION = re.compile(r"\b[A-Z]{2,8}(?:['’]s)?\s*,\s*(?:the|la|el|le|l['’])\s*(?:UN|ONU)\s+$")
# An apposition that says a name is an organisation's ("(OKUP), a migrant-led NGO").
APPOSITION_ORGANISATION = re.compile(
    r"\s*,\s*(?:a|an|un|une|una)\s+[\w\s-]{0,30}?\b(?:NGO|ONG|organi[sz]ation|organización|association|asociación|network|réseau|red)\b",
    re.IGNORECASE,
)
# The last word of a programme's or project's name ("Cyclone Preparedness Programme (CPP)").
PROGRAMME_WORDS = {fold(w) for w in ("Programme", "Program", "Programa", "Project", "Projet", "Proyecto", "Strategy",
                                     "Stratégie", "Estrategia", "Initiative", "Iniciativa", "Plan", "Campaign", "Campagne")}  # fmt: skip
NOT_ORGANISATIONS = {
    "GDP",
    "SIM",
    "PIB",
    "GIE",
    "CFA",
    "DTM",
    "RMRP",
    "HRP",
    "UN",
    "USD",
    "EUR",
    "COVID",
    "VIH",
    "HIV",
    "SIDA",
    "AIDS",
    "II",
    "III",
    "IV",
    "VI",
    "PDF",
    "TV",
    "SMS",
    "ID",
    "OK",
    "NNA",
    "UTC",
    "AM",
    "PM",
    "NGO",
    "NGOs",
    "ONG",
    "ONGs",
    "CSO",
    "CSOs",
    "OSC",
    "SOS",
    "GMT",
    "IT",
    "ICT",
    "TIC",
    "GBV",
    "VBG",
    "SGBV",
    "MHPSS",
    "SMSPS",
    "LGBTI",
    "LGBTIQ",
    "FAQ",
    "CV",
    "QR",
}
CONNECTORS = {"de", "du", "des", "la", "le", "les", "l'", "d'", "of", "the", "for", "on", "del", "el", "los", "las"}
NAME_STOPS = {"et", "and", "y", "pour", "para", "por", "par", "with", "avec", "con", "in", "en", "a", "à", "au", "to", "that", "qui", "que",
              "sur", "sobre", "un", "une", "una", "were", "where", "here", "there", "are", "more"}  # fmt: skip
TOKEN = re.compile(r"[A-Za-zÀ-ÿ]+['’](?=\w)(?!s\b)|[A-Za-zÀ-ÿ]+s['’](?=\s)|[\w][\w\-]*(?:['’]s\b)?|[^\w\s]")


def read_organizations(text: str) -> list[str]:
    """Organisations named in a news story, each once, in order: by the acronym the page gives
    ("Bureau de la population ... (PRM)" is PRM), otherwise by their name as written."""
    tokens = [(m.group(0), m.start()) for m in TOKEN.finditer(text)]
    found: list[tuple[int, str]] = []  # by acronym, and acronyms used alone
    names_at: list[tuple[int, int, str]] = []  # names as written: (start, end, name)
    masked: set[int] = set()
    defined: set[str] = set()
    ignored: set[str] = set()
    # 1. "Name (ACR)": listed by its acronym, at the place where its name starts.
    for i in range(1, len(tokens) - 2):
        close = next((k for k in range(i + 2, min(i + 12, len(tokens))) if tokens[k][0] == ")"), None)
        if tokens[i][0] != "(" or close is None:
            continue
        acronym = text[tokens[i + 1][1] : tokens[close][1]].strip()  # "SENCE", "R4V", "DGEC-M/R", "MoLSA"
        acronym, _comma, said = acronym.partition(",")
        if said and not re.search(r"sigl|acronym|ingl|anglais|english|franc|espa", fold(said)):
            continue  # "(RRRC, por sus siglas en inglés)" is RRRC; "(Dakar, Sénégal)" is no acronym
        word_like = sum(c.isupper() for c in acronym) < 2  # "(Fedasil)", "(Enabel)": only after an institution word
        short, _space, country = acronym.partition(" ")
        not_one = acronym in NOT_ORGANISATIONS or not word_like and acronym.upper() in NOT_ORGANISATIONS  # "(Sida)" is no "SIDA"
        if not ACRONYM.fullmatch(short) or country and fold(country) not in countries() or not_one:
            continue  # "(AmCham Moldova)" is an acronym with its country
        if word_like and place_country(acronym) and not _known_before(tokens, i):
            continue
        start = _acronym_name_start(tokens, i, word_like)
        if start is None:
            continue
        masked.update(range(start, close + 1))
        called_organisation = re.search(
            r"\b(?:organi[sz]ation|organisation|NGO|ONG|association|asociación)\s+(?:\w+\s+){0,2}$",
            text[max(0, tokens[start][1] - 40) : tokens[start][1]],
        )  # "the local organization Sudanese Development Initiative (SUDIA)"
        named_as_plan = (
            not called_organisation
            and fold(tokens[i - 1][0]) in PROGRAMME_WORDS
            and not _known_name_size(tokens, start)
            and not APPOSITION_ORGANISATION.match(text[tokens[close][1] + 1 :])  # "... Program (OKUP), a migrant-led NGO"
            or re.match(r"\s*(project|programme|program|proyecto|programa|projet)\b", text[tokens[close][1] + 1 :], re.I) is not None
        )  # "the ... (SIMIG) project"
        if fold(tokens[start][0]) in NOT_ORGANISATION_WORDS or named_as_plan:  # "Plan Regional ... (RMRP)", "... Programme (CPP)"
            ignored.add(acronym)  # and "PPT" alone later on
            continue
        defined.add(acronym)
        found.append((tokens[start][1], acronym))
    # 2. Names that begin with a head word ("Ministère des affaires étrangères").
    i = 0
    while i < len(tokens):
        if i in masked or not _head_at(tokens, i):
            i += 1
            continue
        head_size = _head_size(tokens, i)
        first, last = i, i + head_size - 1
        j = i + head_size
        previous = "head"
        complemented = False
        while j < len(tokens) and j not in masked:
            word = tokens[j][0]
            low = fold(word)
            following = tokens[j + 1][0] if j + 1 < len(tokens) else ""
            if word == "," and previous == "lower" and _name_goes_on(tokens, j + 1):
                previous = "connector"  # "Chambre de commerce, d'industrie et d'agriculture"
            elif word == "," and previous == "name" and _name_goes_on(tokens, j + 1):
                previous = "connector"  # "Ministère de l'Intérieur, de la Sécurité publique et de l'Administration du territoire"
            elif word == "," and previous == "name" and _enumeration_follows(tokens, j + 1):
                previous = "connector"  # "Ministry of Humanitarian Affairs, Disaster Management and Social Development"
            elif not re.match(r"\w", word):
                break
            elif low in CONJUNCTIONS:
                after_trailing = fold(tokens[j - 1][0]) in TRAILING_HEADS and not complemented
                if previous == "head" or after_trailing or _known_name_at(tokens, j + 1):
                    break  # "Makerere University and Safaricom", "Organization and UN-Habitat"
                capital_follows = following[:1].isupper() and not following.isupper()
                if capital_follows and (not _head_at(tokens, j + 1) or fold(following) in DOMAIN_HEADS) and complemented:
                    previous = "connector"  # "Ministry of Labour and Social Welfare", not "Banco Industrial y Cementos Progreso"
                elif previous in ("lower", "name") and _name_goes_on(tokens, j + 1):
                    previous = "connector"  # "Ministère des affaires sociales et du travail"
                elif complemented and _article_name_follows(tokens, j + 1):
                    previous = "connector"  # "Dirección General de Protección a la Infancia y las Familias"
                elif previous == "lower" and _lowercase_pair_follows(tokens, j + 1):
                    previous = "connector"  # "Conseil des imams et dignitaires musulmans du Cameroun"
                else:
                    break
            elif low in NAME_PREPOSITIONS and previous == "name" and _capital_follows(tokens, j + 1):
                previous = "connector"  # "Mesa Interinstitucional para la Prevención ..."
            elif low == "en" and [fold(t) for t, _a in tokens[j + 1 : j + 3]] == ["el", "despacho"]:
                previous = "connector"  # Honduras: "Secretaría de Estado en el Despacho de Trabajo y Seguridad Social"
            elif low in ("en", "in") and previous == "name" and _people_named(tokens, i, j) and _country_at(tokens, j + 1):
                previous = "connector"  # a diaspora's association: "Unión Venezolana en Perú", "Maliens en France"
            elif low in ("pour", "para") and previous in ("name", "lower") and _purpose_follows(tokens, j + 1):
                previous = "connector"  # "Agence d'État pour la promotion de l'emploi"
            elif low in NAME_STOPS:
                break
            elif low in CONNECTORS or low.endswith("'"):
                previous = "connector"
                complemented = True
            elif word[0].isupper() or ARABIC_PARTICLE.match(word):
                previous = "name"  # "Union of Municipalities of Dreib al-Awsat"
            elif previous == "name" and low in ABROAD_PARTICIPLES and (abroad := _abroad_size(tokens, j + 1)):
                j += abroad  # "Ministère ... des Guinéens établis à l'étranger"
            elif previous == "connector" or (previous in ("head", "lower", "name") and re.search(ADJECTIVE, low)):
                previous = "lower"  # "Direction régionale de la protection civile"
            elif previous == "lower" and fold(tokens[j - 1][0]) in BEFORE_NOUN_FOLDED:
                previous = "lower"  # "de la petite enfance"
            elif previous == "lower" and low not in ALL_STOPS and _complement_follows(tokens, j + 1):
                previous = "lower"  # "des imams et dignitaires musulmans du Cameroun"
            else:
                break
            if previous in ("name", "lower"):
                last = j
            j += 1
        # "Norwegian Refugee Council", "Philippine Overseas Employment Administration", "Kenya Red Cross Society"
        if fold(tokens[i][0]) in TRAILING_HEADS or fold(tokens[last][0]) in TRAILING_HEADS:
            first = _english_name_start(tokens, first, masked)
            if first == i and fold(tokens[i][0]) in ("group", "bank") and first > 0 and re.fullmatch(r"[A-Z]{2,6}", tokens[first - 1][0]):
                first -= 1  # a company's initials: "BI Group", "HSBC Bank"
        first = _adjectives_before(tokens, first, masked)  # "Provincial Directorate of Labour", "National Chamber of ..."
        end = tokens[last][1] + len(tokens[last][0])
        if _country_holds_head(tokens, first, i):  # "Russian Federation" is a country, not an institution
            i = max(j, i + 1)
            continue
        apposition = APPOSITION.search(text[max(0, tokens[first][1] - 40) : tokens[first][1]]) is not None
        unit_of = (
            apposition or last > i and tokens[last][0].isupper() and all(fold(t) in CONNECTORS for t, _a in tokens[i + head_size : last])
        )
        if unit_of:  # "Misión de la OIM" is IOM; "UNHCR, the UN Refugee Agency," is UNHCR
            pass
        elif last >= i + head_size or first < i:  # a head word alone ("the Ministry said") names no one
            name = re.sub(r"['’]s$", "", " ".join(text[tokens[first][1] : end].split()))
            names_at.append((tokens[first][1], end, name))
        i = max(j, i + 1)
    # 2b. Companies named after what they are: "la empresa naviera Fluviales del Orinoco", "the mobile operator Movitel".
    names_at += _company_names(text, tokens, masked)
    # 3. Organisations known by a name without an institution word ("Migración Colombia", "Cruz Roja").
    for hit in _known_names_pattern().finditer(fold(text)):
        if not text[hit.start()].isupper():  # "global fund" in a sentence is no name
            continue
        named_by_acronym = re.match(r"\s*\([A-Z]", text[hit.end() :]) is not None
        start, end = _known_name_span(text, hit.start(), hit.end())
        covered = {k for k, (word, at) in enumerate(tokens) if hit.start() <= at < end}
        of_acronym = OF_ACRONYM.search(text[: hit.start()]) is not None
        if of_acronym:  # "(CERF) de las Naciones Unidas" is part of the acronym's name
            masked |= covered
        elif not named_by_acronym and not covered & masked:
            names_at.append((start, end, " ".join(text[start:end].split())))
    # Where two names overlap the longer holds the other ("Kenya Red Cross Society", "Fonds des
    # Nations Unies pour l'enfance"); an acronym inside a name is part of it.
    kept: list[tuple[int, int, str]] = []
    for start, end, name in sorted(names_at, key=lambda n: (n[0] - n[1], n[0])):
        if all(end <= s or start >= e for s, e, _n in kept):
            kept.append((start, end, name))
    found += [(start, name) for start, _end, name in kept]
    masked |= {k for k, (_word, at) in enumerate(tokens) if any(s <= at < e for s, e, _n in kept)}
    # 4. Acronyms used alone ("IOM", "IOM's", "EU-funded"), but not a place written in capitals.
    for i, (token, at) in enumerate(tokens):
        word = re.sub(r"^([A-Z]{2,8})(?:['’]s|-[a-z]+)$", r"\1", token)
        alone = (
            re.fullmatch(r"[A-Z]{2,8}", word)
            and word not in NOT_ORGANISATIONS
            and word not in currency_codes()
            and word not in COUNTRY_ABBREVIATIONS
            and text[at + len(token) : at + len(token) + 1] != "$"  # "RD$ 4 millones"
            and place_country(word) is None
        )
        project = re.match(r"\s+(project|programme|program|proyecto|programa|projet)\b", text[at + len(token) :], re.IGNORECASE)
        project = project or re.search(PLACE_WORDS + r"\s+(?:de\s+|of\s+)?$", text[max(0, at - 30) : at], re.IGNORECASE)  # "la région SAVA"
        if i not in masked and word not in ignored and not project and (word in KNOWN_ACRONYMS or word in defined or alone):
            found.append((at, word))
    names: list[str] = []
    for _at, name in sorted(found):
        if name in names or any(n.startswith(name + " ") for n in names):
            continue
        names.append(name)
    return names


def _company_names(text: str, tokens: list[tuple[str, int]], masked: set[int]) -> list[tuple[int, int, str]]:
    """Companies named after a word that says what they are ("la empresa naviera Fluviales del Orinoco",
    "la textil Hilados del Sur S.A."): (start, end, name) of each."""
    names_at: list[tuple[int, int, str]] = []
    for i, (token, _at) in enumerate(tokens):
        if fold(token) not in COMPANY_WORDS or not (token.islower() or token in ("NGO", "ONG")) or i in masked:
            continue
        k = i + 1
        while k < len(tokens) and k - i <= 3 and re.fullmatch(r"[a-zà-ÿ-]+", tokens[k][0]) and fold(tokens[k][0]) not in ALL_STOPS:
            k += 1  # "naviera", "mobile network"
        last = k - 1
        while k < len(tokens) and k not in masked:
            if (
                _name_word_before(tokens[k][0])
                or tokens[k][0][:1].isupper()
                and _head_at(tokens, k)
                or re.fullmatch(r"[A-Z]{2,6}", tokens[k][0])
            ):
                last = k  # "Fluviales del Orinoco", "GHL Hoteles"
            elif not (fold(tokens[k][0]) in ("de", "del", "du", "of") and k + 1 < len(tokens) and tokens[k + 1][0][:1].isupper()):
                break
            k += 1
        if last >= i + 1 and tokens[last][0][:1].isupper():
            first = next(m for m in range(i + 1, last + 1) if tokens[m][0][:1].isupper())
            end = tokens[last][1] + len(tokens[last][0])
            end += len(m.group(0)) if (m := COMPANY_SUFFIX.match(text[end:])) else 0
            if re.match(r"[^.;,]{0,60}\(", text[end:]):
                continue  # "l'organisation confessionnelle Secours catholique et développement (SECADEV)": by its acronym
            if fold(text[tokens[first][1] : end]) not in countries() and fold(text[tokens[first][1] : end]) not in world_cities():
                names_at.append((tokens[first][1], end, " ".join(text[tokens[first][1] : end].split())))
    return names_at


def _known_name_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A known name found at ``start:end`` with what the page adds to it: an adjective ("Croissant-Rouge
    mauritanien", "Caritas Diocesana de Pemba"), its country ("Caritas Niger", "Croix-Rouge de Belgique"),
    "International", a branch ("du canton d'Una-Sana"), a people before it ("Lebanese Red Cross")."""
    after = re.match(r"\s+([a-zà-ÿ]+)\b(?:\s+(?:de|du|del|d['’])\s*[A-ZÀ-Ý][\w’'-]*)?", text[end:])
    if after and re.search(ADJECTIVE, after.group(1)):  # "Croissant-Rouge mauritanien", "Caritas diocésaine de Daloa"
        end += after.end()
    elif (
        (own := re.match(r"\s+([A-ZÀ-Ý][a-zà-ÿ]+)(?:\s+(?:de|del|du|of)\s+[A-ZÀ-Ý][\w’'-]*)?", text[end:]))
        and re.search(ADJECTIVE, fold(own.group(1)))
        and not place_country(own.group(1))
    ):
        end += own.end()  # "Caritas Diocesana de Pemba"
    end += _country_after(text[end:])  # "Caritas Niger", "Aldeas Infantiles SOS Colombia", "Croix-Rouge de Belgique"
    city = re.match(r"\s+([A-ZÀ-Ý][\w’'-]+)", text[end:])
    if city and not _country_after(text[end:]) and fold(city.group(1)) in world_cities():
        end += city.end()  # "Caritas Kolda"
    international = re.match(r"\s+(?:International|Internationale|Internacional|Worldwide)\b", text[end:])
    end += international.end() if international else 0
    branch = BRANCH.match(text[end:])  # "Croix-Rouge du canton d'Una-Sana"
    end += branch.end() if branch else 0
    window = max(0, start - 40)
    before = re.search(r"\b([A-Z][a-zà-ÿ]+)\s+$", text[window:start])
    if before and _name_word_before(before.group(1)) and (place_country(before.group(1)) or re.search(DEMONYM, before.group(1))):
        start = window + before.start(1)  # "Lebanese Red Cross", "Kenya Red Cross"
    return start, end


def _acronym_name_start(tokens: list[tuple[str, int]], i: int, word_like: bool) -> int | None:
    """Where the name that "(ACR)" at token ``i`` abbreviates starts: a known name right before it, else the
    institution word it opens with (or the longer name that holds it), else the capitalised words before it;
    None for a word in parentheses that no institution word comes before ("(Fedasil)" needs "Agence ...")."""
    # A known name right before "(" is the acronym's name, unless it ends a longer one ("... of the United Nations").
    start = next((j for j in range(max(0, i - 14), i) if _known_name_size(tokens, j) == i - j), i)
    prior = start - 1
    while prior > 0 and fold(tokens[prior][0]) in CONNECTORS:
        prior -= 1
    longer = _name_word_before(tokens[prior][0]) or _head_at(tokens, prior)  # "Organization of the United Nations (FAO)"
    start = i if prior < start - 1 and longer else start
    while start < i and start > 0 and _name_word_before(tokens[start - 1][0]):
        start -= 1  # "the United Nations Central Emergency Response Fund (CERF)"
    for j in range(i - 1 if start == i else -1, max(-1, i - 16), -1):
        despacho = [fold(t) for t, _a in tokens[j : j + 3]] == ["en", "el", "despacho"]  # "Secretaría de Estado en el Despacho"
        inside = tokens[j + 1][0][:1].isupper() and tokens[j + 1][0] != "(" or despacho  # "Trafficking in Persons (NAPTIP)"
        if tokens[j][0] in '.;:«»"()' or fold(tokens[j][0]) in BACK_STOPS and not inside:
            break
        next_item = (fold(tokens[j][0]), fold(tokens[j + 1][0])) in NEXT_ITEM and j + 2 < i and tokens[j + 2][0][:1].isupper()
        if tokens[j][0] == "," and fold(tokens[j + 1][0]) in LIST_ARTICLES or next_item:
            break  # "the African Union Commission, the Economic Community ... (ECOWAS)", "... and the State Water Corporation (SWC)"
        if _head_at(tokens, j):
            start = j
            while (outer := _outer_head(tokens, start)) is not None:  # "Oficina de ... para la Coordinación de ... (OCHA)"
                start = outer
            if fold(tokens[j][0]) in TRAILING_HEADS:  # "Ethiopian Red Cross Society (ERCS)"
                start = _english_name_start(tokens, start)
            start = _adjectives_before(tokens, start)
            known = next((m for m in range(max(0, start - 8), start) if _known_name_size(tokens, m) == start - m), None)
            start = known if known is not None else start  # "the United Nations Mission in South Sudan (UNMISS)"
            break
    if start == i and word_like:
        return None
    if start == i:  # no institution word: the capitalised words just before ("Civil Protection and Humanitarian Aid")
        while (
            start > 0
            and i - start < 14
            and (
                tokens[start - 1][0][:1].isupper()
                or fold(tokens[start - 1][0]) in CONNECTORS
                or fold(tokens[start - 1][0]) in ("por", "para", "pour", "for")  # "Permiso por Protección Temporal (PPT)"
                and start > 1
                and tokens[start - 2][0][:1].isupper()
                or fold(tokens[start - 1][0]) in CONJUNCTIONS
                and start > 1
                and _name_word_before(tokens[start - 2][0])
                and tokens[start][0][:1].isupper()  # not "de la Cruz Roja Chilena y de Médicos Sin Fronteras (MSF)"
            )
        ):
            start -= 1
        while start < i and fold(tokens[start][0]) in CONNECTORS:
            start += 1  # a name does not start with its article
    return start


def _name_goes_on(tokens: list[tuple[str, int]], k: int) -> bool:
    """After "et"/"and" or a comma inside a name: "de"/"du"/"d'" and a lowercase word ("et du travail"),
    or a capitalised one ("et de l'Administration du territoire"); not another institution word, which
    starts the next name of a list (", de la Direction régionale ...", "y del Gobierno Autónomo ...")."""
    connectors = []
    while k < len(tokens) and (fold(tokens[k][0]) in CONNECTORS or fold(tokens[k][0]) in ("l'", "d'")):
        connectors.append(fold(tokens[k][0]))
        k += 1
    if not set(connectors) & {"de", "du", "des", "d'", "of", "del", "for", "pour", "para"} or k >= len(tokens):
        return False
    word = tokens[k][0]
    if fold(word) in DOMAIN_HEADS:
        return True  # "et de l'Administration du territoire"
    if _capital_follows(tokens, k) and not _known_name_at(tokens, k) and not _head_at(tokens, k):
        return True  # "Ministère de l'Intérieur et de la Sécurité publique"
    return re.match(r"[^\W\d_]", word) is not None and word[0].islower() and fold(word) not in NAME_STOPS


def _complement_follows(tokens: list[tuple[str, int]], k: int) -> bool:
    """ "du"/"de"/"del" and a capitalised name: the complement that ends a name ("du Cameroun")."""
    return k + 1 < len(tokens) and fold(tokens[k][0]) in ("du", "de", "des", "del", "d'") and _name_word_before(tokens[k + 1][0])


def _article_name_follows(tokens: list[tuple[str, int]], k: int) -> bool:
    """After "y"/"et"/"and" inside a name's complement: an article and a capitalised word that opens no other
    name ("y las Familias"), not "y la Cruz Roja" nor "and the State Water Corporation"."""
    if k + 1 >= len(tokens) or fold(tokens[k][0]) not in ("la", "las", "los", "les", "le", "l'"):
        return False
    word = tokens[k + 1][0]
    nothing_after = k + 2 >= len(tokens) or not (_name_word_before(tokens[k + 2][0]) or _head_at(tokens, k + 2))
    return _name_word_before(word) and nothing_after and not _known_name_at(tokens, k + 1) and place_country(word) is None


def _lowercase_pair_follows(tokens: list[tuple[str, int]], k: int) -> bool:
    """After "et"/"y"/"and" between two lowercase nouns of a name: the second noun, maybe an adjective,
    then the complement that ends the name ("et dignitaires musulmans du Cameroun")."""
    if k >= len(tokens) or not re.fullmatch(r"[a-zà-ÿ]+s", tokens[k][0]) or fold(tokens[k][0]) in ALL_STOPS:
        return False
    for m in range(k + 1, min(k + 3, len(tokens) - 1)):
        word = tokens[m][0]
        if _complement_follows(tokens, m):
            return True
        if not re.fullmatch(r"[a-zà-ÿ]+", word) or fold(word) in ALL_STOPS:
            return False
    return False


def _english_name_start(tokens: list[tuple[str, int]], first: int, masked: set[int] = frozenset()) -> int:  # type: ignore[assignment]
    """Where an English name ended by its institution word starts: the capitalised words before it, other
    institution words and "and" between them included ("Immigration and Citizenship Service", "Ethiopian
    Orthodox Tewahedo Church Development and Inter-Church Aid Commission")."""
    k = first
    while k > 0 and k - 1 not in masked:
        word = tokens[k - 1][0]
        if _name_word_before(word) or word[:1].isupper() and _head_at(tokens, k - 1):
            k -= 1
            first = k
        elif (
            fold(word) in ("and", "&")
            and k > 1
            and (_name_word_before(tokens[k - 2][0]) or _head_at(tokens, k - 2))
            and fold(tokens[k - 2][0]) not in TRAILING_HEADS  # "Anti-Racism Movement and Amel Association" are two
            and not _known_before(tokens, k - 1)  # "Tcell and Alif Bank" are two
        ):
            k -= 1
        else:
            break
    return first


def _adjectives_before(tokens: list[tuple[str, int]], first: int, masked: set[int] = frozenset()) -> int:  # type: ignore[assignment]
    """Where a name starts that an English adjective of rank or level opens ("General Directorate of ...")."""
    while first > 0 and first - 1 not in masked and tokens[first - 1][0][:1].isupper() and fold(tokens[first - 1][0]) in RANK_WORDS:
        first -= 1
    return first


def _outer_head(tokens: list[tuple[str, int]], j: int) -> int | None:
    """The institution word of a longer name that holds the one at ``j`` after a preposition: "Oficina de las
    Naciones Unidas para la Coordinación ..." holds "Coordinación ..."."""
    k, preposition = j - 1, False
    while k >= 0 and (fold(tokens[k][0]) in CONNECTORS or fold(tokens[k][0]) in NAME_PREPOSITIONS):
        preposition = preposition or fold(tokens[k][0]) in NAME_PREPOSITIONS
        k -= 1
    if not preposition:
        return None
    for m in range(k, max(-1, k - 8), -1):
        if _head_at(tokens, m):
            return m
        if not (_name_word_before(tokens[m][0]) or fold(tokens[m][0]) in CONNECTORS):
            return None
    return None


def _abroad_size(tokens: list[tuple[str, int]], k: int) -> int:
    """How many tokens say "à l'étranger", "à l'extérieur", "en el exterior", "abroad" after a people's name
    in a ministry's name; 0 if they do not."""
    for size in (1, 3):
        if re.fullmatch(
            r"a l' (etranger|exterieur)|en el (exterior|extranjero)|abroad|overseas", fold(" ".join(t for t, _ in tokens[k : k + size]))
        ):
            return size
    return 0


def _people_named(tokens: list[tuple[str, int]], i: int, j: int) -> bool:
    """Whether a capitalised people's name is among the name's words ("Association of Ukrainian Women")."""
    return any(
        tokens[m][0][:1].isupper() and (re.search(DIASPORA, fold(tokens[m][0])) or fold(tokens[m][0]) in countries())
        for m in range(i + 1, j)
    )  # "Association of Ukrainian Women", "Asociación Civil Venezuela"


def _known_before(tokens: list[tuple[str, int]], i: int) -> bool:
    """Whether a known name ends right before token ``i`` ("... Cooperation Agency (Sida)")."""
    return any(_known_name_size(tokens, j) == i - j for j in range(max(0, i - 14), i))


def _country_at(tokens: list[tuple[str, int]], k: int) -> bool:
    return k < len(tokens) and _name_word_before(tokens[k][0]) and _country_holds_head(tokens, k, k)


def _purpose_follows(tokens: list[tuple[str, int]], k: int) -> bool:
    """After "pour"/"para" in a name: an article, a lowercase noun of action and its complement
    ("pour la promotion de l'emploi", "para la protección de ..."), which a name may hold."""
    if k + 2 >= len(tokens) or fold(tokens[k][0]) not in ("la", "le", "l'", "el", "les", "los", "las"):
        return False
    noun = tokens[k + 1][0]
    return (
        noun[:1].islower()
        and re.search(r"(tion|cion|sion|ment|miento)$", fold(noun)) is not None
        and fold(tokens[k + 2][0]) in ("de", "des", "du", "d'", "del")
    )


def _known_name_at(tokens: list[tuple[str, int]], k: int) -> bool:
    """Whether a known name ("Croix-Rouge", "Save the Children") starts at token ``k``."""
    return _known_name_size(tokens, k) > 0


def _known_name_size(tokens: list[tuple[str, int]], k: int) -> int:
    """How many tokens the longest known name starting at token ``k`` holds; 0 if none starts there."""
    if not tokens[k][0][:1].isupper():
        return 0
    joined, size = "", 0
    for n, (token, _at) in enumerate(tokens[k : k + 14], start=1):
        joined += fold(token)
        size = n if joined in _known_keys() else size
    return size


def _enumeration_follows(tokens: list[tuple[str, int]], k: int) -> bool:
    if k < len(tokens) and fold(tokens[k][0]) in LIST_ARTICLES:
        return False  # ", the Immigration and Citizenship Service" is the next name of a list
    """After a comma inside a name: capitalised words, then "and"/"y"/"et" and capitalised words, with no
    acronym, institution word or known name among them ("..., Disaster Management and Social Development")."""
    seen_conjunction = False
    while k < len(tokens):
        word = tokens[k][0]
        low = fold(word)
        if low in CONJUNCTIONS:
            if seen_conjunction:
                return False
            seen_conjunction = True
        elif low in CONNECTORS or word == ",":
            pass
        elif _name_word_before(word) and not _known_name_at(tokens, k):
            if seen_conjunction and not (k + 1 < len(tokens) and _name_word_before(tokens[k + 1][0])):
                return True
        else:
            return False
        k += 1
    return False


def _country_after(text: str) -> int:
    """The length of a country's name (with its space) that opens ``text``, else 0."""
    words = re.match(r"(?:\s+(?:de|du|del|of))?\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})", text)
    if not words:
        return 0
    parts = words.group(1).split()
    for size in range(len(parts), 0, -1):
        name = " ".join(parts[:size])
        if fold(name) in countries():
            return words.start(1) + len(name)
    return 0


def _country_holds_head(tokens: list[tuple[str, int]], first: int, head: int) -> bool:
    """Whether the name starts with a country whose own name holds the institution word ("Russian
    Federation and ..."), unlike a country's institution ("Kenya Red Cross Society")."""
    names = countries()
    return any(fold(" ".join(t for t, _ in tokens[first : head + size])) in names for size in range(1, 4))


def _capital_follows(tokens: list[tuple[str, int]], k: int) -> bool:
    """After a preposition inside a name: maybe articles, then a capitalised word that is not a place
    nor an acronym ("para la Prevención", "pour le Développement")."""
    while k < len(tokens) and fold(tokens[k][0]) in CONNECTORS:
        k += 1
    if k >= len(tokens):
        return False
    word = tokens[k][0]
    return _name_word_before(word) and place_country(word) is None


def _name_word_before(word: str) -> bool:
    """A capitalised word that belongs to the name whose institution word follows it (not a country's
    possessive: "Germany's Federal Foreign Office" is the Federal Foreign Office)."""
    possessive = re.match(r"(.+)['’]s$", word)
    if possessive and (place_country(possessive.group(1)) or possessive.group(1).isupper()):
        return False  # "Germany's Federal Foreign Office", "USAID's Bureau for Humanitarian Assistance"
    return (
        (word[:1].isupper() or re.match(r"(?:al|el|ad|ar|as|ash|at|az|an)-[A-Z]", word) is not None)
        and not word.isupper()
        and re.match(r"[^\W\d_]", word) is not None
        and fold(word) not in SENTENCE_WORDS
        and fold(word) not in ORG_HEADS
    )


def _head_size(tokens: list[tuple[str, int]], i: int) -> int:
    """How many words the institution word at token ``i`` has ("Direction générale" two), 0 if none starts there."""
    first = fold(tokens[i][0])
    for parts in _HEADS_BY_FIRST_WORD.get(first, ()):
        if all(i + k < len(tokens) and fold(tokens[i + k][0]) == part for k, part in enumerate(parts[1:], start=1)):
            if tokens[i][0][0].isupper():
                return len(parts)
            lowercase_ok = first in LOWERCASE_HEADS and i + 1 < len(tokens) and fold(tokens[i + 1][0]) in ("de", "des", "du", "d'", "del")
            return len(parts) if lowercase_ok else 0
    return 0


def _head_at(tokens: list[tuple[str, int]], i: int) -> bool:
    return _head_size(tokens, i) > 0


UNITS = {"km", "kilometres", "kilometers", "kilometros", "m", "kg", "%", "h", "heures", "hours", "horas", "ans", "years", "anos"}
UNITS |= {"weeks", "semaines", "semanas", "week", "semaine", "semana", "nights", "nuits", "noches", "miles", "km2", "ha",
          "hectares", "hectareas", "tonnes", "tons", "toneladas", "litres", "liters", "litros", "metres", "meters", "metros",
          "mois", "month", "mes", "day", "jour", "dia", "hour", "heure", "hora", "year", "ano", "an", "times", "fois", "veces",
          "pesos", "lempiras", "quetzales", "francs", "fcfa", "cfa", "euro", "dollar", "dolar", "percentage", "pourcent",
          "dinars", "dirhams", "shillings", "rupees", "roupies", "rupias", "soles", "reais", "bolivares", "colones", "cordobas",
          "nairas", "naira", "cedis", "birr", "rands", "kwachas", "leones", "ouguiyas", "takas", "afghanis", "riyals", "pounds",
          "livres", "libras", "yuan", "yen", "mm", "cm", "millimetres", "millimeters", "milimetros", "centimetres",
          "centimeters", "centimetros", "degrees", "degres", "grados", "kilos", "kilogrammes", "kilogramos", "grammes"}  # fmt: skip
UNITS |= {"gourdes", "gourde", "ariary", "kwanzas", "meticais", "metical", "bolivianos", "guaranies", "tenge", "somoni", "soms",
          "lari", "manats", "kips", "kyats", "riels", "dongs", "baht", "pesos", "lempira", "quetzal", "cordoba", "colon",
          "dirham", "dinar", "shilling", "rupee", "taka", "afghani", "riyal", "pound", "rand", "naira", "cedi", "leone",
          "ouguiya", "francs", "xof", "xaf", "mzn", "htg", "ves", "bs"}  # fmt: skip
UNITS |= {
    "per",
    "percent",
    "pour",
    "por",
    "usd",
    "dollars",
    "dolares",
    "euros",
    "mn",
    "minutes",
    "minutos",
    "jours",
    "days",
    "dias",
    "mois",
    "months",
    "meses",
}
FIGURE_SKIP = {"of", "them", "d'entre", "eux", "elles", "de", "d'", "ellos", "ellas", "eran", "were", "etaient", "sont", "son", "are"}
FIGURE_STOPS = {"to", "in", "a", "au", "aux", "en", "who", "qui", "que", "that", "from", "de", "des", "du", "sont", "ont", "were"}
FIGURE_STOPS |= {"are", "have", "han", "eran", "son", "et", "and", "y", "dont", "of", "with", "con", "avec", "por", "par", "by"}
FIGURE_STOPS |= {"or", "but", "nor", "when", "where", "while", "if", "because", "they", "we", "it", "he", "she", "you", "i",
                 "ou", "mais", "quand", "lorsque", "ils", "il", "elle", "on", "o", "u", "pero", "cuando", "ni", "donde"}  # fmt: skip
NUMBER = re.compile(
    r"(?<![\w.,+/-])(\d+[.,]\d{1,2}(?=\s+(?:millions?|millones|millón|million)\b)|\d{1,3}(?:[ ,.]\d{3})+|\d+)"
    r"(?:\s+(millions?|millones|millón|million))?(?![\w/])"
)


# Words that end what a figure counts: articles, pronouns, prepositions other than "de", adverbs and
# verbs that often follow a count ("3 700 migrants sont rentrés", "95 víctimas, en su mayoría").
PHRASE_STOPS = {
    "en": {"of", "were", "was", "are", "is", "have", "has", "had", "will", "would", "who", "which", "that", "than", "more",
           "less", "this", "these", "those", "their", "its", "his", "her", "per", "each", "so", "also", "such", "as", "at",
           "into", "across", "between", "among", "through", "since", "during", "under", "over", "after", "before", "via"},
    "fr": {"sont", "ont", "étaient", "etaient", "seront", "avaient", "dans", "sous", "sans", "vers", "chez", "depuis", "plus",
           "moins", "tous", "toutes", "les", "des", "ces", "ses", "leurs", "nos", "vos", "mes", "puis", "alors", "ainsi", "après",
           "apres", "très", "tres", "pas", "parmi", "lors", "dès", "fois", "selon", "entre", "pendant", "jusqu", "dont",
           "cette", "cet", "ce", "leur", "qui", "que", "elles", "ils", "nous", "vous", "aussi", "déjà", "deja", "encore",
           "ici", "ailleurs", "aujourd"},
    "es": {"más", "mas", "menos", "los", "las", "sus", "unos", "unas", "es", "entre", "tras", "hasta", "desde", "mientras",
           "pues", "además", "ademas", "después", "despues", "antes", "veces", "todos", "todas", "estos", "estas", "esos",
           "esas", "nuestros", "nuestras", "les", "nos", "ellos", "ellas", "muchos", "muchas", "algunos", "algunas", "son",
           "fueron", "eran", "han", "hemos", "están", "estan", "según", "segun", "durante", "cuyos", "cuyas", "quienes", "que",
           "también", "tambien", "ya", "aún", "aun", "mediante", "sobre", "bajo"},
}  # fmt: skip
ALL_STOPS = {
    fold(w)
    for w in FIGURE_STOPS
    | set().union(*PHRASE_STOPS.values())
    | {
        "el",
        "la",
        "le",
        "l'",
        "un",
        "une",
        "una",
        "uno",
        "the",
        "an",
        "mon",
        "ma",
        "son",
        "sa",
        "notre",
        "votre",
        "mi",
        "mis",
        "su",
        "tu",
        "tus",
        "nuestro",
        "nuestra",
        "nuestros",
        "nuestras",
        "my",
        "our",
        "your",
    }
}
# Adjectives that come before a French or Spanish noun ("3 nouveaux centres", "450 jeunes migrants").
BEFORE_NOUN = {"nouveaux", "nouvelles", "nouveau", "nouvelle", "jeunes", "petits", "petites", "grands", "grandes", "anciens",
               "anciennes", "premiers", "premières", "autres", "nuevos", "nuevas", "nuevo", "nueva", "jóvenes", "jovenes",
               "pequeños", "pequenos", "pequeñas", "antiguos", "antiguas", "primeros", "primeras", "otros", "otras"}  # fmt: skip
_BEFORE_NOUN = {fold(w) for w in BEFORE_NOUN}
BEFORE_NOUN_FOLDED = _BEFORE_NOUN | {"petite", "petit", "grand", "grande", "haute", "haut", "jeune", "pequena", "pequeno"}
IRREGULAR_PLURALS = {"people", "children", "women", "men", "staff", "personnel", "police", "youth", "livestock", "cattle"}
# Endings of French and Spanish adjectives in the singular ("formación técnica", "centre médical").
SINGULAR_ADJECTIVE = r"(ique|ica|ico|al|el|aire|ario|aria|ivo|iva|if|ive|ien|ienne|ano|ana|eño|eña|ense|ais|aise|ois|oise|ier|ière|ero|era|oso|osa|eux|euse|ble|ente|ante)$"
PARTICIPLE = r"(é|ée|és|ées|ado|ada|ados|adas|ido|ida|idos|idas)$"


def _plural_noun(word: str) -> bool:
    return fold(word) in IRREGULAR_PLURALS or bool(re.search(r"(s|ren|ple)$", word.lower())) and not word.lower().endswith("ss")


def _content_word(word: str) -> bool:
    """A lowercase word that may belong to a counted noun phrase."""
    low = fold(word)
    return re.match(r"[^\W\d_]", word) is not None and not word[0].isupper() and low not in ALL_STOPS and low not in UNITS


def _agrees(word: str, plural: bool) -> bool:
    """A French or Spanish adjective or participle that agrees with a plural (or singular) noun."""
    low = word.lower()
    return bool(re.search(r"[sx]$", low)) if plural else bool(re.search(SINGULAR_ADJECTIVE + "|" + PARTICIPLE, low))


def _plural_noun_ahead(words: list[str], k: int, limit: int = 3) -> bool:
    """Whether a plural noun comes within ``limit`` words from ``k``, every word before it belonging to the phrase."""
    for word in words[k : k + limit]:
        if not _content_word(word):
            return False
        if _plural_noun(word):
            return True
    return False


def noun_phrase(words: list[str], language: str, value: int) -> list[str]:
    """The noun phrase at the start of ``words`` that names what a figure counts (see bench/pages/README.md):
    in English the modifiers up to the plural noun ("water purification kits"); in French and Spanish
    the noun with the adjectives after it and a "de" complement ("sites d'hébergement temporaires",
    "enfants non accompagnés", "centros de formación técnica")."""
    if not words or not _content_word(words[0]):
        return []
    if language == "en":
        phrase: list[str] = []
        for n, word in enumerate(words[:6]):
            ahead = _plural_noun_ahead(words, n + 1)
            if word.lower() in ("and", "or") and phrase and ahead or re.fullmatch(r"[A-Z]{2,5}", word) and ahead:
                phrase.append(word)  # "unaccompanied and separated children", "free SIM cards"
                continue
            participle = word.lower().endswith("ed") and not (phrase and phrase[-1].endswith("ly"))
            if not _content_word(word) or (phrase and participle and not ahead):
                break  # "1 shelter opened" stops; "internally displaced persons", "young displaced people" go on
            phrase.append(word)
            if _plural_noun(word) and not (word.lower() in ("women", "men") and ahead) or value == 1 and len(phrase) > 1:
                break  # at the counted noun, but "women migrant workers" goes on
        if value != 1 and phrase and not _plural_noun(phrase[-1]):
            return []  # "aged 18 to 35 receive", "45 selected": no counted noun
        return phrase
    plural = value != 1
    phrase = [words[0]]
    i = 1
    if fold(words[0]) in _BEFORE_NOUN and len(words) > 1 and _content_word(words[1]):
        phrase.append(words[1])
        i = 2
    complemented = modified = False
    while i < len(words):
        word, low = words[i], fold(words[i])
        following = words[i + 1] if i + 1 < len(words) else ""
        if low in ("non", "no") and following and _content_word(following) and _agrees(following, plural):
            phrase += [word, following]
            modified = True
            i += 2
        elif low in ("de", "d'") and not complemented and following and _content_word(following):
            phrase += [word, following]
            complemented = True
            i += 2
        elif _content_word(word) and (
            _agrees(word, plural)
            and not ((complemented or modified) and re.search(PARTICIPLE, word.lower()))
            or complemented
            and re.search(SINGULAR_ADJECTIVE, word.lower())
        ):  # a participle right after the noun names a kind ("personnes déplacées"); later, it starts a clause
            phrase.append(word)
            modified = True
            i += 1
        else:
            break
    return phrase


# Words between a number and its unit of time ("12 derniers mois", "los 3 últimos años").
ORDER_WORDS = {fold(w) for w in ("derniers", "dernières", "prochains", "prochaines", "premiers", "premières", "últimos", "últimas",
                                  "próximos", "próximas", "primeros", "primeras", "last", "past", "next", "first")}  # fmt: skip


def read_figures(text: str, language: str = "en") -> list[Figure]:
    """Figures with what they count: "plus de 3 700 migrants ... dont 556 enfants" gives 3700 migrants
    and 556 enfants; "1,200 water purification kits" and "35 sites d'hébergement temporaires" keep
    their whole noun phrase. Years, dates, money, percentages and measures are not figures."""
    figures = []
    for match in NUMBER.finditer(text):
        written = match.group(1)
        before = fold(text[max(0, match.start() - 12) : match.start()]).split()
        if not match.group(2) and YEAR.match(written):
            continue
        if before and (
            before[-1] in MONTHS
            or before[-1].endswith("+")
            or before[-1] in {"usd", "us$", "eur", "$", "€", "under", "aged"}  # money; "under 18" is an age
            or before[-1].upper() in currency_codes()
        ):
            continue
        if match.group(2) and re.fullmatch(r"\d+[.,]\d{1,2}", written):  # "1.2 million", "1,5 millones"
            value = int(Decimal(written.replace(",", ".")) * 1_000_000)
        else:
            value = int(re.sub(r"[ ,.]", "", written)) * (1_000_000 if match.group(2) else 1)
        words = re.findall(r"[\w’'%-]+[’']?|[^\w\s]", text[match.end() : match.end() + 120])
        words = list(_split_elisions(words))
        while words and fold(words[0]) in FIGURE_SKIP:
            words.pop(0)
        if not words or fold(words[0]) in UNITS or fold(words[0]) in MONTHS:
            continue
        if len(words) > 1 and fold(words[0]) in ORDER_WORDS and fold(words[1]) in UNITS:
            continue  # "au cours des 12 derniers mois", "the past 6 months"
        what = noun_phrase(words, language, value)
        if what:
            figures.append(Figure(value=value, what=" ".join(what).replace("' ", "'").replace("’ ", "’")))
    return figures


def _split_elisions(words: list[str]) -> Iterable[str]:
    """ "d’hébergement" is two words, "d’" and "hébergement"."""
    for word in words:
        elided = re.match(r"^([dl]|qu)([’'])(\w.*)$", word, re.IGNORECASE)
        if elided:
            yield elided.group(1) + elided.group(2)
            yield elided.group(3)
        else:
            yield word


def _read_news(page: Page, lines: list[str], heading: str | None) -> bool:
    dateline = _find_dateline(lines)
    if dateline is None:
        return False
    index, country, date = dateline
    page.kind = "news"
    page.dateline_country = country
    if country is None:
        page.unread.append("dateline_country: —")
    page.title = heading or _title_before(lines, index)
    page.date = date
    if page.date is None:  # a date printed between the title and the story
        for line in lines[max(0, index - 3) : index]:
            if len(line) < 60:
                page.date = page.date or parse_date(line)
    body = "\n".join(lines[index:])
    opening = DATELINE.match(lines[index])
    page.contacts, contact_at = read_contacts(body)
    story = body[:contact_at]
    if opening:  # the dateline's place and date are not part of the story ("GENEVA, 3 May 2024 – ...")
        story = story[opening.start("rest") :]
    page.organizations = read_organizations(story)
    page.figures = read_figures(story, language_of(body))
    page.description = body
    page.read += [f for f in ("title", "dateline_country", "date") if getattr(page, f)]
    page.read += [f for f in ("organizations", "contacts", "figures") if getattr(page, f)]
    return True


# --- the entry point --------------------------------------------------------------------------------


def read_page(content: str, source: str = "") -> Page:
    heading = None
    if looks_like_html(content):
        content, heading = html_text(content)
    lines = lines_of(content)
    page = Page(source=source)
    facts = _read_facts(page, lines)
    if facts and (page.project_id or len(page.read) >= 3):
        first, last = facts
        page.kind = "project"
        page.title = heading or _title_before(lines, first)
        page.description = "\n\n".join(line for line in lines[last + 1 :] if line != "-" and fold(line) not in NAVIGATION)
        if page.title:
            page.read.insert(0, "title")
        if not page.project_id:
            page.unread.append("project_id: —")
    else:
        page = Page(source=source)
        if not _read_news(page, lines, heading):
            page.unread.append("neither a project page nor a news story")
    page.language = language_of(f"{page.title or ''} {page.description}")
    return page


def read_pages(contents: Iterable[tuple[str, str]]) -> list[Page]:
    return [read_page(text, source) for source, text in contents]
