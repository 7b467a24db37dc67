"""Fixed flyer wording in German, English, Turkish and Arabic (names and addresses stay as they are)."""

from __future__ import annotations

from ..errors import UsageError

LANGS = ("de", "en", "tr", "ar")
RTL = frozenset({"ar"})

_LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Ihre Anlaufstellen im Quartier",
        "topics": "Themen",
        "all_topics": "Beratung und Hilfe für Familien",
        "contact": "Ihr Kontakt bei WiQ",
        "consultation": "Offene Sprechstunde",
        "phone": "Telefon",
        "tel": "Tel.",
        "email": "E-Mail",
        "online": "Alle Angebote online",
        "data_date": "Stand der Daten",
        "verified": "zuletzt geprüft",
        "file_date": "Datum der Datei",
        "map_data": "Kartendaten",
        "no_basemap": "Ohne Hintergrundkarte",
        "approximate": "Quartiersgrenzen ungefähr",
        "left_out": "Weitere {n} Anlaufstellen finden Sie online.",
        "scale": "Maßstab",
        "north": "N",
    },
    "en": {
        "title": "Your points of contact in the neighbourhood",
        "topics": "Topics",
        "all_topics": "Counselling and help for families",
        "contact": "Your contact at WiQ",
        "consultation": "Open consultation hour",
        "phone": "Phone",
        "tel": "Tel.",
        "email": "E-mail",
        "online": "All services online",
        "data_date": "Data as of",
        "verified": "last checked",
        "file_date": "date of the file",
        "map_data": "Map data",
        "no_basemap": "Without background map",
        "approximate": "Quarter boundaries approximate",
        "left_out": "{n} more places are listed online.",
        "scale": "Scale",
        "north": "N",
    },
    "tr": {
        "title": "Mahallenizdeki başvuru noktaları",
        "topics": "Konular",
        "all_topics": "Aileler için danışmanlık ve yardım",
        "contact": "WiQ'daki irtibat kişiniz",
        "consultation": "Açık danışma saati",
        "phone": "Telefon",
        "tel": "Tel.",
        "email": "E-posta",
        "online": "Tüm hizmetler çevrimiçi",
        "data_date": "Verilerin tarihi",
        "verified": "son kontrol",
        "file_date": "dosya tarihi",
        "map_data": "Harita verileri",
        "no_basemap": "Arka plan haritası olmadan",
        "approximate": "Mahalle sınırları yaklaşıktır",
        "left_out": "{n} başvuru noktası daha çevrimiçi listelenmiştir.",
        "scale": "Ölçek",
        "north": "N",
    },
    "ar": {
        "title": "جهات المساعدة في حيّك",
        "topics": "المواضيع",
        "all_topics": "استشارة ومساعدة للعائلات",
        "contact": "جهة الاتصال الخاصة بك في WiQ",
        "consultation": "ساعة الاستشارة المفتوحة",
        "phone": "الهاتف",
        "tel": "هاتف",
        "email": "البريد الإلكتروني",
        "online": "جميع الخدمات على الإنترنت",
        "data_date": "تاريخ البيانات",
        "verified": "آخر تحقق",
        "file_date": "تاريخ الملف",
        "map_data": "بيانات الخريطة",
        "no_basemap": "بدون خريطة خلفية",
        "approximate": "حدود الحي تقريبية",
        "left_out": "توجد {n} جهات أخرى على الإنترنت.",
        "scale": "مقياس الرسم",
        "north": "N",
    },
}

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
