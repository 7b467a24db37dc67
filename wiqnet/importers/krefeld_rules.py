"""Which services and need keys a Krefeld open-data record stands for, from its file and its text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A category label per open-data file (the file name without `.json`).
CATEGORIES: dict[str, str] = {
    "kindergartens": "Kita", "schools": "Schule", "schulen": "Schule", "schoolsothers": "Bildung",
    "youthcenter": "Jugendzentrum", "playgrounds": "Spielplatz", "sportsfields": "Sportplatz",
    "gymnasiums": "Sporthalle", "swimmingbaths": "Schwimmbad", "parks": "Park",
    "churches": "Glaubensgemeinschaft", "churcheothers": "Glaubensgemeinschaft",
    "chapels": "Glaubensgemeinschaft", "culture": "Kultur", "cultureothers": "Kultur",
    "theaters": "Theater", "museums": "Museum", "seniors": "Seniorenheim",
    "disabledfleets": "Wohnen bei Behinderung", "disabledothers": "Behindertenhilfe",
    "hospitals": "Krankenhaus", "administration": "Behörde", "administrationothers": "Behörde",
    "policestations": "Polizei", "libraries": "Bücherei", "universities": "Hochschule",
}

# What a description says when the sources name an offer but do not describe it.
UNKNOWN_OFFER = ("Was genau angeboten wird, ist in den Quellen nicht beschrieben; "
                 "bitte vor einer Verweisung bei der Einrichtung nachfragen.")
MIN_DESCRIPTION = 40  # characters; shorter open-data text does not describe an offer
# Categories of public places: what they offer is plain from what they are.
PUBLIC_PLACES = ("Spielplatz", "Sportplatz", "Sporthalle", "Schwimmbad", "Park")

# Records that are no referral target for a family, whatever file they are in.
NOT_A_TARGET = re.compile(
    r"^Behindertengerechte Toilette|Lehrerausbildung|Bundesfinanzverwaltung|Studieninstitut",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A service to create: id suffix, name, fallback description and need keys."""

    key: str
    name: str
    text: str
    needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A service that a record gets when `pattern` occurs in its title or description."""

    pattern: str
    spec: ServiceSpec
    datasets: tuple[str, ...]
    field: str = "any"  # "title", "description" or "any"

    def matches(self, dataset: str, title: str, description: str) -> bool:
        """Return whether the rule applies to this record."""
        if dataset not in self.datasets:
            return False
        text = {"title": title, "description": description}.get(self.field,
                                                                 f"{title} | {description}")
        return re.search(self.pattern, text, re.IGNORECASE) is not None


def _s(key: str, name: str, text: str, *needs: str) -> ServiceSpec:
    return ServiceSpec(key, name, text, needs)


_ADMIN = ("administration", "administrationothers")
_DISABLED = ("disabledothers", "disabledfleets")
RULES: tuple[Rule, ...] = (
    Rule("bürgerbüro", _s("buergerbuero", "Bürgerbüro", "Bürgerbüro des Fachbereichs Bürgerservice.",
                          "aemter"), _ADMIN, "title"),
    Rule("melde- und passwesen", _s("meldewesen", "Melde- und Passwesen",
                                    "Melde- und Passwesen.", "aemter"), _ADMIN, "description"),
    Rule("beurkundung", _s("standesamt", "Standesamt",
                           "Beurkundung von Geburten, Sterbefällen und Eheschließungen.", "aemter"),
         _ADMIN, "description"),
    Rule("aufenthaltsrecht", _s("aufenthaltsrecht", "Aufenthaltsrecht", "Aufenthaltsrecht.",
                                "migration", "aemter"), _ADMIN, "description"),
    Rule("flüchtlingskoordination", _s("fluechtlingskoordination", "Flüchtlingskoordination",
                                       "Flüchtlingskoordination der Stadt Krefeld.", "migration"),
         _ADMIN, "title"),
    Rule("integrationszentrum", _s("integrationszentrum", "Kommunales Integrationszentrum",
                                   "Kommunales Integrationszentrum.", "migration"),
         _ADMIN, "description"),
    Rule("sozialhilfe", _s("sozialhilfe", "Sozialhilfe", "Sozialhilfe.", "finanzen", "aemter"),
         _ADMIN, "description"),
    Rule("unterhaltsvorschuss", _s("unterhaltsvorschuss", "Unterhaltsvorschuss",
                                   "Unterhaltsvorschuss.", "partnerschaft", "finanzen"),
         _ADMIN, "description"),
    Rule("unterhaltsangelegenheiten", _s("unterhalt", "Unterhaltsangelegenheiten",
                                         "Unterhaltsangelegenheiten.", "partnerschaft"),
         _ADMIN, "description"),
    Rule("hilfen für menschen mit behinderung", _s(
        "behinderung", "Hilfen für Menschen mit Behinderungen",
        "Hilfen für Menschen mit Behinderungen.", "behinderung"), _ADMIN, "description"),
    Rule("seniorenangelegenheiten", _s("senioren", "Seniorenangelegenheiten",
                                       "Seniorenangelegenheiten.", "senioren"),
         _ADMIN, "description"),
    Rule(r"senioren\w* und wohnen$", _s("wohnen", "Wohnen", "Wohnen.", "wohnen"),
         _ADMIN, "description"),
    Rule("wohnberatung", _s("pflege-wohnberatung", "Pflege- und Wohnberatung",
                            "Pflege- und Wohnberatung.", "senioren", "wohnen"),
         _ADMIN, "description"),
    Rule("bildung und teilhabe", _s("bildung-und-teilhabe", "Bildung und Teilhabe",
                                    "Bildung und Teilhabe.", "finanzen", "schule"),
         _ADMIN, "description"),
    Rule("kinder, jugend, familien", _s("jugendhilfe", "Kinder-, Jugend- und Familienhilfe",
                                        "Kinder, Jugend, Familien.", "erziehung"),
         _ADMIN, "description"),
    Rule(r"beschäftigun\w*sförderung", _s("beschaeftigungsfoerderung", "Beschäftigungsförderung",
                                          "Beschäftigungsförderung.", "arbeit"),
         _ADMIN, "description"),
    Rule("bezirkssozialarbeit", _s("bezirkssozialarbeit", "Bezirkssozialarbeit",
                                   "Bezirkssozialarbeit.", "sozialberatung", "erziehung"),
         _ADMIN, "description"),
    Rule("hilfen für junge menschen", _s("hilfen-familien", "Hilfen für junge Menschen und ihre "
                                         "Familien", "Hilfen für junge Menschen und ihre Familien.",
                                         "erziehung"), _ADMIN, "description"),
    Rule("pflegekinder", _s("pflegekinder", "Adoptions- und Pflegekinderwesen",
                            "Adoptions- und Pflegekinderwesen.", "erziehung"),
         _ADMIN, "description"),
    Rule("beistandschaften", _s("beistandschaften", "Amtsvormundschaften und Beistandschaften",
                                "Amtsvormundschaften und Beistandschaften.", "partnerschaft",
                                "erziehung"), _ADMIN, "description"),
    Rule("kindeswohl", _s("kindeswohl", "Frühe Hilfen und Kindeswohl", "Frühe Hilfen und Kindeswohl.",
                          "erziehung", "schutz"), _ADMIN, "description"),
    Rule("schulamt", _s("schulamt", "Schulamt", "Schulamt der Stadt Krefeld.", "schule"),
         _ADMIN, "description"),
    Rule("psychologischer dienst", _s("psychologischer-dienst", "Psychologischer Dienst",
                                      "Psychologischer Dienst.", "schule", "erziehung"),
         _ADMIN, "description"),
    Rule("^fachbereich gesundheit$", _s("gesundheitsdienste", "Gesundheitsdienste der Stadt",
                                        "Gesundheitsamt der Stadt Krefeld.", "gesundheit"),
         _ADMIN, "title"),
    Rule("jobcenter", _s("jobcenter", "Jobcenter", "Jobcenter Krefeld: Anlaufstelle für "
                         "Arbeitsuchende und ihre Anträge.", "arbeit", "aemter"), _ADMIN, "title"),
    Rule("agentur für arbeit", _s("arbeitsagentur", "Agentur für Arbeit",
                                  "Bundesagentur für Arbeit.", "arbeit"), _ADMIN, "title"),
    Rule(r"familien-,", _s("familiensachen", "Familiensachen", "Familiensachen am Amtsgericht.",
                           "partnerschaft"), _ADMIN, "description"),
    Rule(r"i\w?solvenz", _s("insolvenzsachen", "Insolvenzsachen", "Insolvenzsachen am Amtsgericht.",
                            "finanzen"), _ADMIN, "description"),
    Rule("beratungshilfe", _s("beratungshilfe", "Beratungshilfe", "Beratungshilfe am Amtsgericht.",
                              "aemter"), _ADMIN, "description"),
    Rule("rentenversicherung", _s("rentenversicherung", "Service-Zentrum der Rentenversicherung",
                                  "Service-Zentrum Krefeld.", "aemter", "senioren"),
         _ADMIN, "title"),
    Rule("familienbildung|familien- und weiterbildung|haus der familie", _s(
        "familienbildung", "Familienbildung", "Familienbildung.", "erziehung"),
        ("schoolsothers",)),
    Rule("volkshochschule", _s("weiterbildung", "Volkshochschule", "Weiterbildung für Erwachsene.",
                               "schule"), ("schoolsothers",), "title"),
    Rule("ausbildungszentrum|bildungszentren|bildungszentrum|pflegebildungsinstitut|akademie", _s(
        "berufliche-bildung", "Berufliche Aus- und Weiterbildung", "Berufliche Bildung.", "arbeit"),
        ("schoolsothers",), "title"),
    Rule("ergänzungsschule", _s("ergaenzungsschule", "Ergänzungsschule",
                                "Anerkannte Ergänzungsschule.", "schule"),
         ("schoolsothers",), "description"),
    Rule("gesundheitskurse", _s("gesundheitskurse", "Gesundheitskurse", "Gesundheitskurse.",
                                "gesundheit"), ("schoolsothers",), "description"),
    Rule("projekte für kinder", _s("projekte", "Projekte für Kinder und Jugendliche",
                                   "Projekte für Kinder und Jugendliche.", "freizeit", "schule"),
         ("schoolsothers",), "description"),
    Rule("musikschule", _s("musikschule", "Musikschule", "Musikschule.", "freizeit"),
         ("schoolsothers",), "title"),
    Rule("selbsthilfe", _s("selbsthilfe", "Vermittlung von Selbsthilfegruppen",
                           "Vermittlung von Selbsthilfegruppen.", "gesundheit", "sozialberatung"),
         _DISABLED),
    Rule("frühförderung|säuglings", _s("fruehfoerderung", "Frühförderung",
                                       "Frühförderung.", "behinderung", "erziehung"), _DISABLED),
    Rule("berufsberatung", _s("berufsbegleitung", "Berufsberatung und -begleitung",
                              "Berufsberatung und -begleitung für behinderte Menschen.",
                              "behinderung", "arbeit"), _DISABLED),
    Rule("werkstatt", _s("werkstatt", "Werkstatt für Menschen mit Behinderung",
                         "Behindertenwerkstatt.", "behinderung", "arbeit"), _DISABLED),
    Rule("psychisch|sucht|psychiatr", _s("psychische-gesundheit", "Hilfen bei psychischer "
                                         "Erkrankung", "Hilfen bei psychischer Erkrankung.",
                                         "gesundheit", "behinderung"), _DISABLED),
    Rule("wohnen|wohnheim|wohnstätte|wohnhaus|haus ", _s(
        "wohnen", "Wohnen mit Unterstützung", "Wohnangebot für Menschen mit Behinderung.",
        "behinderung"), _DISABLED),
    Rule("treff|tagesstätte|tagesstruktur", _s("treff", "Tagestreff", "Tagestreff.",
                                               "behinderung", "freizeit"), _DISABLED),
    Rule("freizeit|sport", _s("freizeit", "Freizeit und Sport", "Freizeit und Sport.",
                              "behinderung", "freizeit"), _DISABLED),
    Rule("beratung", _s("beratung", "Beratung", "Beratung für Menschen mit Behinderung.",
                                "behinderung"), _DISABLED),
    Rule("kinder- und jugendpsychiatrie", _s("kinder-jugendpsychiatrie",
                                             "Kinder- und Jugendpsychiatrie",
                                             "Kinder- und Jugendpsychiatrie.", "gesundheit"),
         ("hospitals",), "description"),
    Rule(r"psychiatrisch|psychiatrie,", _s("psychiatrie", "Psychiatrie und Psychotherapie",
                                           "Psychiatrie und Psychotherapie.", "gesundheit"),
         ("hospitals",), "description"),
    Rule("notaufnahme", _s("notaufnahme", "Notaufnahme", "Notaufnahme.", "gesundheit"),
         ("hospitals",), "description"),
)

# The service a record gets when no rule above matched; files not listed need a rule.
DEFAULTS: dict[str, ServiceSpec] = {
    "schools": _s("schule", "Schule", "Schule.", "schule"),
    "schulen": _s("schule", "Schule", "Schule.", "schule"),
    "schoolsothers": _s("bildung", "Bildungsangebote", "Bildungseinrichtung.", "schule"),
    "youthcenter": _s("jugendtreff", "Treffpunkt für Kinder und Jugendliche",
                      "Jugendzentrum.", "freizeit"),
    "playgrounds": _s("spielplatz", "Öffentlicher Spielplatz", "Öffentlicher Spielplatz.",
                      "freizeit"),
    "sportsfields": _s("sport", "Sportplatz", "Sportplatz.", "freizeit"),
    "gymnasiums": _s("sport", "Sporthalle", "Sporthalle.", "freizeit"),
    "swimmingbaths": _s("schwimmen", "Schwimmbad", "Schwimmbad.", "freizeit"),
    "parks": _s("park", "Park", "Park und Grünanlage.", "freizeit"),
    "churches": _s("gemeinde", "Gemeinde und Begegnung", "Glaubensgemeinschaft.", "freizeit"),
    "churcheothers": _s("gemeinde", "Gemeinde und Begegnung", "Glaubensgemeinschaft.",
                        "freizeit"),
    "chapels": _s("gemeinde", "Gemeinde und Begegnung", "Kapelle.", "freizeit"),
    "culture": _s("kultur", "Kultur und Begegnung", "Kultureinrichtung.", "freizeit"),
    "cultureothers": _s("kultur", "Kultur und Begegnung", "Kultureinrichtung.", "freizeit"),
    "theaters": _s("theater", "Theater", "Theater.", "freizeit"),
    "museums": _s("museum", "Museum", "Museum.", "freizeit"),
    "seniors": _s("pflege", "Wohnen und Pflege im Alter", "Senioren- und Pflegeheim.",
                  "senioren"),
    "disabledfleets": _s("wohnen", "Wohnen mit Unterstützung",
                         "Wohnangebot für Menschen mit Behinderung.", "behinderung"),
    "disabledothers": _s("angebot", "Angebot für Menschen mit Behinderung",
                         "Angebot für Menschen mit Behinderung.", "behinderung"),
    "hospitals": _s("krankenhaus", "Krankenhaus", "Krankenhaus.", "gesundheit"),
    "policestations": _s("polizei", "Polizei", "Polizeidienststelle.", "schutz"),
    "libraries": _s("buecherei", "Bücherei", "Öffentliche Bücherei.", "schule", "freizeit"),
}

_SCHOOL_TYPES = ("Grundschule", "Hauptschule", "Realschule", "Gesamtschule", "Sekundarschule",
                 "Gymnasium", "Förderschule", "Berufskolleg", "Waldorfschule")


def service_specs(dataset: str, title: str, description: str) -> list[ServiceSpec]:
    """Return the services a record stands for; empty when it maps to no need."""
    specs: list[ServiceSpec] = []
    for rule in RULES:
        if rule.matches(dataset, title, description) and rule.spec.key not in {
                s.key for s in specs}:
            specs.append(rule.spec)
    if specs or dataset not in DEFAULTS:
        return specs
    default = DEFAULTS[dataset]
    if dataset in ("schools", "schulen"):
        kind = next((t for t in _SCHOOL_TYPES if t.lower() in f"{title} {description}".lower()),
                    None)
        if kind:
            default = _s(default.key, kind, f"{kind}.", *default.needs)
    return [default]


def kita_specs(title: str, description: str, focus: str, integrative: bool) -> list[ServiceSpec]:
    """Return the services of a Kita record: care, plus family centre and language support."""
    care_needs = ("kinderbetreuung", "behinderung") if integrative else ("kinderbetreuung",)
    specs = [_s("betreuung", "Kindertagesbetreuung", "Kindertageseinrichtung.", *care_needs)]
    if "familienzentrum" in f"{title} {description}".lower():
        specs.append(_s("familienzentrum", "Familienzentrum",
                        "Die Kita ist ein Familienzentrum.", "erziehung"))
    if "sprach" in focus.lower():
        specs.append(_s("sprachfoerderung", "Sprachförderung", f"{focus}.", "sprache",
                        "kinderbetreuung"))
    return specs


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def says_enough(text: str, *names: str) -> bool:
    """Return whether a description is long enough and more than a repeated name."""
    return len(text.strip()) >= MIN_DESCRIPTION and _plain(text) not in {_plain(n) for n in names}


def describe(name: str, text: str, title: str, category: str) -> str:
    """Return the open-data text if it says enough, else the kind of place and a check note."""
    if says_enough(text, name, title):
        return text.strip()
    kind = "" if _plain(category) in _plain(title) else f" ({category})"
    place = f"{title.rstrip('.')}{kind}"
    if category in PUBLIC_PLACES:
        return f"{name} {place}, in den Open Data der Stadt Krefeld von 2017 verzeichnet."
    lead = f"Angebot „{name}“ von {place}." if _plain(name) != _plain(title) else f"{place}."
    known = text.strip().rstrip(".")
    if known and _plain(known) not in {_plain(name), _plain(title), _plain(category)}:
        lead += f" In den Open Data von 2017 steht „{known}“."
    return f"{lead} {UNKNOWN_OFFER}"
