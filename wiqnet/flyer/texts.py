"""Fixed flyer wording in German, English, Turkish and Arabic (names and addresses stay as they are)."""

from __future__ import annotations

from ..errors import UsageError

LANGS = ("de", "en", "tr", "ar")
RTL = frozenset({"ar"})

_LABELS: dict[str, dict[str, str]] = {
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

# The fixed "Im Notfall" box: (label key, numbers). 110 and 112 are the German emergency
# numbers; the helplines are as in ../shared/krefeld-facts.md ("Nationwide phone services",
# Dec 2026) and data/institutions.yaml (tests/test_flyer_content.py checks they agree).
EMERGENCY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("police", ("110",)),
    ("fire", ("112",)),
    ("violence", ("116 016",)),
    ("kummer", ("116 111",)),
    ("seelsorge", ("0800 111 0 111", "0800 111 0 222")),
)


def check_lang(lang: str) -> str:
    """Return lang if the flyer speaks it, else raise UsageError naming the choices."""
    if lang not in LANGS:
        raise UsageError(f"unknown flyer language '{lang}'; choose one of {', '.join(LANGS)}")
    return lang


def labels(lang: str) -> dict[str, str]:
    """Return the fixed flyer wording in a language."""
    return _LABELS[check_lang(lang)]


def direction(lang: str) -> str:
    """Return the writing direction of a language: 'rtl' or 'ltr'."""
    return "rtl" if lang in RTL else "ltr"
