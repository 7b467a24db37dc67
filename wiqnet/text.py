"""The catalogue of the core's user-facing wording, in every language wiqnet speaks.

German first; English for the language switch; Turkish and Arabic where slips and flyers need
them. A language a table lacks falls back to German. The web pages' own wording lives in the
gettext catalogues (wiqnet/translations); this module holds what the core writes: maps, the
network diagram, the reasons of search results, link kinds, and the names of languages.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

LANGUAGES = ("de", "en", "tr", "ar")

# Maps: popups, legend and layer switch (maps/).
MAP: dict[str, dict[str, str]] = {
    "de": {
        "languages": "Sprachen",
        "more": "Mehr zur Einrichtung",
        "website": "Website",
        "further": "und {n} weitere",
        "home": "WiQ-Anlaufstelle",
        "here": "Gesuchter Ort",
        "quarter": "Quartier",
        "quarters": "Quartiere",
        "approximate": "Umriss ungefähr",
        "legend": "Legende",
        "result": "Treffer",
        "services": "Angebote",
        "places": "Orte nach Anliegen",
        "links": "Verbindungen",
        "other": "Sonstiges",
        "temporarily_closed": "vorübergehend geschlossen",
        "map": "Karte",
    },
    "en": {
        "languages": "Languages",
        "more": "More about this place",
        "website": "Website",
        "further": "and {n} more",
        "home": "WiQ contact point",
        "here": "Searched place",
        "quarter": "Quarter",
        "quarters": "Quarters",
        "approximate": "approximate outline",
        "legend": "Legend",
        "result": "Result",
        "services": "Services",
        "places": "Places by need",
        "links": "Connections",
        "other": "Other",
        "temporarily_closed": "temporarily closed",
        "map": "Map",
    },
}

# The network diagram (network/draw.py) and its interactive view (network/explore.py).
NETWORK: dict[str, dict[str, str]] = {
    "de": {
        "title": "Kooperationsnetzwerk",
        "kinds": "Art der Verbindung",
        "needs": "Hauptanliegen (Farbe und Form)",
        "none": "ohne Angebot",
        "network": "Netzwerk",
        "event": "Veranstaltung",
        "stale": "blass: nicht bestätigt seit über {days} Tagen",
        "not_since": "nicht bestätigt seit {date}",
        "never": "ohne datierte Quelle",
        "shown": "{shown} von {total} vernetzten Einrichtungen gezeigt: die am besten vernetzten",
        "isolates": "Nicht gezeigt: {n} Einrichtungen ohne eingetragene Kooperation (siehe Tabelle)",
        "size": "Größe: Zahl der Partner",
        "quartier": "im Quartier",
        "naehe": "in der Nähe",
        "stadt": "stadtweit",
        "bund": "bundesweit",
        "partners": "Partner",
        "broker": "Brückenwert",
        "services": "Angebote",
        "view_shown": "{n} Einrichtungen und {e} Verbindungen gezeigt",
        "view_focus": "Fokus: {name}, {s} Schritt(e)",
    },
    "en": {
        "title": "Cooperation network",
        "kinds": "Kind of link",
        "needs": "Main need (colour and shape)",
        "none": "no service",
        "network": "Network",
        "event": "Event",
        "stale": "faint: not confirmed for over {days} days",
        "not_since": "not confirmed since {date}",
        "never": "no dated source",
        "shown": "{shown} of {total} linked institutions shown: the best connected",
        "isolates": "Not shown: {n} institutions without a recorded cooperation (see table)",
        "size": "Size: number of partners",
        "quartier": "in the quarter",
        "naehe": "nearby",
        "stadt": "city-wide",
        "bund": "nationwide",
        "partners": "Partners",
        "broker": "Broker score",
        "services": "Services",
        "view_shown": "{n} institutions and {e} links shown",
        "view_focus": "Focus: {name}, {s} step(s)",
    },
}

# `wiqnet stats`: places without a quarter (keys: geo's placements) and records without a category.
STATS: dict[str, dict[str, str]] = {
    "de": {
        "outside": "außerhalb der Quartiere",
        "no_location": "Adresse ohne Koordinaten",
        "no_address": "ohne Adresse (Telefon, online)",
        "no_category": "(ohne Kategorie)",
    },
}

# Why a suggested introduction should meet (network/introductions.py).
INTRODUCTION: dict[str, dict[str, str]] = {
    "de": {
        "adds": "{giver} ergänzt {taker} um {needs}",
        "audience": "beide sind für {labels} da",
        "apart": "{metres} m voneinander entfernt",
        "joins": " – der Kontakt verbindet zwei getrennte Teile des Netzwerks",
    },
    "en": {
        "adds": "{giver} adds {needs} to {taker}",
        "audience": "both serve {labels}",
        "apart": "{metres} m apart",
        "joins": " – the contact joins two separate parts of the network",
    },
}

# The coverage matrix's two columns besides the quarters (network/coverage.py).
COVERAGE: dict[str, dict[str, str]] = {
    "de": {"ausserhalb": "außerhalb", "ohne-adresse": "ohne Adresse"},
    "en": {"ausserhalb": "elsewhere", "ohne-adresse": "no address"},
}

# Age ranges of services (model.age_range_text); "dative" after "ab": "ab 4 Monaten".
AGES: dict[str, dict[str, str]] = {
    "de": {
        "month": "Monat",
        "months": "Monate",
        "months_dative": "Monaten",
        "year": "Jahr",
        "years": "Jahre",
        "years_dative": "Jahren",
        "from": "ab {age}",
        "up_to": "bis {age}",
        "decimal": ",",
    },
    "en": {
        "month": "month",
        "months": "months",
        "months_dative": "months",
        "year": "year",
        "years": "years",
        "years_dative": "years",
        "from": "from {age}",
        "up_to": "up to {age}",
        "decimal": ".",
    },
}

# Opening hours (hours.py): short weekday names, English month names, status phrases;
# "date" names a day more than a week ahead.
WEEKDAYS: dict[str, tuple[str, ...]] = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "tr": ("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"),
    "ar": ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}
HOURS: dict[str, dict[str, str]] = {
    "de": {
        "open": "jetzt geöffnet (bis {until})",
        "always": "rund um die Uhr geöffnet",
        "opens": "öffnet {when}",
        "closed": "geschlossen",
        "today": "heute",
        "tomorrow": "morgen",
        "daily": "täglich",
        "and": " und ",
        "24/7": "rund um die Uhr",
        "from": "ab {time}",
        "open_now": "jetzt geöffnet",
        "date": "{day:02d}.{month:02d}.",
    },
    "en": {
        "open": "open now (until {until})",
        "always": "open 24/7",
        "opens": "opens {when}",
        "closed": "closed",
        "today": "today",
        "tomorrow": "tomorrow",
        "daily": "daily",
        "and": " and ",
        "24/7": "24/7",
        "from": "from {time}",
        "open_now": "open now",
        "date": "{day:02d} {month_en}",
    },
    "tr": {
        "open": "şu an açık ({until} saatine kadar)",
        "always": "7/24 açık",
        "opens": "açılış: {when}",
        "closed": "kapalı",
        "today": "bugün",
        "tomorrow": "yarın",
        "daily": "her gün",
        "and": " ve ",
        "24/7": "7/24",
        "from": "{time} itibaren",
        "open_now": "şu an açık",
        "date": "{day:02d}.{month:02d}.",
    },
    "ar": {
        "open": "مفتوح الآن (حتى {until})",
        "always": "مفتوح على مدار الساعة",
        "opens": "يفتح {when}",
        "closed": "مغلق",
        "today": "اليوم",
        "tomorrow": "غدًا",
        "daily": "يوميًا",
        "and": " و ",
        "24/7": "على مدار الساعة",
        "from": "من {time}",
        "open_now": "مفتوح الآن",
        "date": "{day:02d}.{month:02d}.",
    },
}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The flyer's fixed wording (flyer/); names and addresses stay as they are.
FLYER: dict[str, dict[str, str]] = {
    "de": {
        "farther": "Weitere Anlaufstellen (nicht auf der Karte: weiter entfernt oder nur telefonisch)",
        "emergency": "Im Notfall",
        "police": "Polizei",
        "fire": "Feuerwehr und Rettungsdienst",
        "violence": "Hilfetelefon Gewalt gegen Frauen",
        "kummer": "Nummer gegen Kummer (Kinder und Jugendliche)",
        "seelsorge": "TelefonSeelsorge",
        "free_24": "kostenlos, rund um die Uhr",
        "venue": "Kontaktstelle in der {venue}",
        "checked_range": "Angaben geprüft zwischen {oldest} und {newest}",
        "checked_on": "Angaben geprüft am {newest}",
        "index": "Verzeichnis",
        "contents": "Inhalt",
        "page": "Seite",
        "places": "Anlaufstellen",
        "booklet_title": "Wegweiser für Familien",
        "title": "Ihre Anlaufstellen im Quartier",
        "topics": "Themen",
        "all_topics": "Beratung und Hilfe für Familien",
        "contact": "Ihr Kontakt bei WiQ",
        "consultation": "Offene Sprechstunde",
        "phone": "Telefon",
        "tel": "Tel.",
        "email": "E-Mail",
        "online": "Alle Angebote online",
        "map_data": "Kartendaten",
        "no_basemap": "Ohne Hintergrundkarte",
        "approximate": "Quartiersgrenzen ungefähr",
        "left_out": "Weitere {n} Anlaufstellen finden Sie online.",
        "scale": "Maßstab",
        "north": "N",
    },
    "en": {
        "farther": "More places (not on the map: farther away or by phone only)",
        "emergency": "In an emergency",
        "police": "Police",
        "fire": "Fire brigade and ambulance",
        "violence": "Violence against women helpline",
        "kummer": "Nummer gegen Kummer (children and young people)",
        "seelsorge": "TelefonSeelsorge (crisis line)",
        "free_24": "free of charge, day and night",
        "venue": "Contact point in the {venue}",
        "checked_range": "Details checked between {oldest} and {newest}",
        "checked_on": "Details checked on {newest}",
        "index": "Index",
        "contents": "Contents",
        "page": "Page",
        "places": "Places",
        "booklet_title": "Guide for families",
        "title": "Your points of contact in the neighbourhood",
        "topics": "Topics",
        "all_topics": "Counselling and help for families",
        "contact": "Your contact at WiQ",
        "consultation": "Open consultation hour",
        "phone": "Phone",
        "tel": "Tel.",
        "email": "E-mail",
        "online": "All services online",
        "map_data": "Map data",
        "no_basemap": "Without background map",
        "approximate": "Quarter boundaries approximate",
        "left_out": "{n} more places are listed online.",
        "scale": "Scale",
        "north": "N",
    },
    "tr": {
        "farther": "Diğer başvuru noktaları (haritada yok: daha uzak veya yalnızca telefonla)",
        "emergency": "Acil durumda",
        "police": "Polis",
        "fire": "İtfaiye ve ambulans",
        "violence": "Kadına yönelik şiddet yardım hattı",
        "kummer": "Nummer gegen Kummer (çocuklar ve gençler)",
        "seelsorge": "TelefonSeelsorge (kriz hattı)",
        "free_24": "ücretsiz, gece gündüz",
        "venue": "{venue} içindeki irtibat noktası",
        "checked_range": "Bilgiler {oldest} ile {newest} arasında kontrol edildi",
        "checked_on": "Bilgiler {newest} tarihinde kontrol edildi",
        "index": "Dizin",
        "contents": "İçindekiler",
        "page": "Sayfa",
        "places": "Başvuru noktaları",
        "booklet_title": "Aileler için rehber",
        "title": "Mahallenizdeki başvuru noktaları",
        "topics": "Konular",
        "all_topics": "Aileler için danışmanlık ve yardım",
        "contact": "WiQ'daki irtibat kişiniz",
        "consultation": "Açık danışma saati",
        "phone": "Telefon",
        "tel": "Tel.",
        "email": "E-posta",
        "online": "Tüm hizmetler çevrimiçi",
        "map_data": "Harita verileri",
        "no_basemap": "Arka plan haritası olmadan",
        "approximate": "Mahalle sınırları yaklaşıktır",
        "left_out": "{n} başvuru noktası daha çevrimiçi listelenmiştir.",
        "scale": "Ölçek",
        "north": "N",
    },
    "ar": {
        "farther": "جهات أخرى (غير موجودة على الخريطة: أبعد أو عبر الهاتف فقط)",
        "emergency": "في حالات الطوارئ",
        "police": "الشرطة",
        "fire": "الإطفاء والإسعاف",
        "violence": "خط المساعدة للنساء ضحايا العنف",
        "kummer": "Nummer gegen Kummer (للأطفال والشباب)",
        "seelsorge": "TelefonSeelsorge (خط الأزمات)",
        "free_24": "مجانًا، ليلًا ونهارًا",
        "venue": "نقطة الاتصال في {venue}",
        "checked_range": "تم التحقق من البيانات بين {oldest} و {newest}",
        "checked_on": "تم التحقق من البيانات في {newest}",
        "index": "الفهرس",
        "contents": "المحتويات",
        "page": "صفحة",
        "places": "جهات المساعدة",
        "booklet_title": "دليل للعائلات",
        "title": "جهات المساعدة في حيّك",
        "topics": "المواضيع",
        "all_topics": "استشارة ومساعدة للعائلات",
        "contact": "جهة الاتصال الخاصة بك في WiQ",
        "consultation": "ساعة الاستشارة المفتوحة",
        "phone": "الهاتف",
        "tel": "هاتف",
        "email": "البريد الإلكتروني",
        "online": "جميع الخدمات على الإنترنت",
        "map_data": "بيانات الخريطة",
        "no_basemap": "بدون خريطة خلفية",
        "approximate": "حدود الحي تقريبية",
        "left_out": "توجد {n} جهات أخرى على الإنترنت.",
        "scale": "مقياس الرسم",
        "north": "N",
    },
}

# Why a search result matches (search/explain.py), in short phrases.
REASONS: dict[str, dict[str, str]] = {
    "de": {
        "need": "Anliegen: {labels}",
        "word": "Stichwort: {words}",
        "topic": "Thema: {labels}",
        "quarter": "im Quartier {name}",
        "speaks": "spricht {language}",
        "audience": "für {audience}",
        "free": "kostenlos",
        "area": "zuständig für {postcode}",
        "open_at": "{when} geöffnet",
        "closed_at": "{when} geschlossen",
        "via": "über {names}",
        "direct": "direkter Kontakt von {name}",
        "own": "Angebot von {name}",
        "nearest": "im Quartier gibt es dafür kein Angebot – nächstes in der Stadt",
        "partners": "Kontakt möglich über {names}",
        "and": " und ",
        "km": "{km} km",
        "m": "{m} m",
    },
    "en": {
        "need": "Need: {labels}",
        "word": "Keyword: {words}",
        "topic": "Topic: {labels}",
        "quarter": "in the quarter {name}",
        "speaks": "speaks {language}",
        "audience": "for {audience}",
        "free": "free of charge",
        "area": "serves {postcode}",
        "open_at": "open {when}",
        "closed_at": "closed {when}",
        "via": "via {names}",
        "direct": "direct contact of {name}",
        "own": "offered by {name}",
        "nearest": "nothing in the quarter for this – nearest in the city",
        "partners": "can be reached through {names}",
        "and": " and ",
        "km": "{km} km",
        "m": "{m} m",
    },
}

# Link kinds, recorded and derived: kind -> language -> label.
LINK_KINDS: dict[str, dict[str, str]] = {
    "kooperation": {"de": "Kooperation", "en": "Cooperation"},
    "netzwerk": {"de": "Netzwerk", "en": "Network"},
    "sprechstunde_vor_ort": {"de": "Sprechstunde vor Ort", "en": "Consultation on site"},
    "vermittlung": {"de": "Vermittlung", "en": "Referral"},
    "traegerschaft": {"de": "Trägerschaft", "en": "Operated by"},
    "gemeinsames_angebot": {"de": "Gemeinsames Angebot", "en": "Joint offer"},
    "auftrag": {"de": "Auftrag oder Förderung", "en": "Commissioned or funded"},
    "mitglied": {"de": "Mitglied im Netzwerk", "en": "Network member"},
    "veranstaltung": {"de": "Teilnahme an Veranstaltung", "en": "Takes part in event"},
    "gleicher_standort": {"de": "gleicher Standort", "en": "same site"},
    "gleicher_traeger": {"de": "gleicher Träger", "en": "same operator"},
}


def language_of(table: dict[str, dict[str, str]], lang: str) -> str:
    """Return the language a table speaks for lang: lang itself, or German when it lacks it."""
    return lang if lang in table else "de"


def wording(table: dict[str, dict[str, str]], lang: str) -> dict[str, str]:
    """Return a table's wording in the language, German when the table lacks it."""
    return table[language_of(table, lang)]


def link_kind_label(kind: str, lang: str = "de") -> str:
    """Return the label of a link kind in the language, or the kind itself when unknown."""
    labels = LINK_KINDS.get(kind)
    return (labels.get(lang) or labels["de"]) if labels else kind


@cache
def _language_names(lang: str) -> dict[str, str]:
    """Return CLDR's names of languages in the language (German when it is unknown)."""
    try:
        return dict(Locale.parse(lang).languages)
    except (ValueError, TypeError, UnknownLocaleError):
        return dict(Locale.parse("de").languages) if lang != "de" else {}


def language_name(code: str, lang: str = "de") -> str:
    """Return a language's name in another language ('tr' in 'de' -> 'Türkisch').

    Total: an unknown or malformed code comes back as it is, never as an error.
    """
    return _language_names(lang).get(code, code)
