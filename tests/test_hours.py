"""Opening hours helpers: open/closed, next opening, human forms and parsing user times."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiqnet import hours
from wiqnet.errors import UsageError

WED_10 = datetime(2026, 11, 25, 10, 0)  # a Wednesday
KITA = "Mo-Th 07:00-16:30; Fr 07:00-15:00"


def test_parse_is_cached_and_tolerant() -> None:
    """Valid expressions parse once; empty or invalid ones give None."""
    assert hours.parse(KITA) is hours.parse(KITA)
    assert hours.parse("24/7") is not None
    assert hours.parse("") is None and hours.parse(None) is None
    assert hours.parse("Mo-Fr 8-16") is None


@pytest.mark.parametrize(("expr", "at", "expected"), [
    (KITA, WED_10, True),
    (KITA, datetime(2026, 11, 27, 15, 30), False),
    (KITA, datetime(2026, 11, 28, 10, 0), False),
    ("We 14:00-16:00", WED_10, False),
    ("24/7", WED_10, True),
    ("Mo-Su 08:00-18:00; PH off", datetime(2026, 12, 25, 10, 0), False),
    ("Mo-Fr 8-16", WED_10, None),
    (None, WED_10, None),
])
def test_is_open(expr: str | None, at: datetime, expected: bool | None) -> None:
    """is_open follows the expression, German public holidays included."""
    assert hours.is_open(expr, at) is expected


@pytest.mark.parametrize(("expr", "at", "de", "en"), [
    (KITA, WED_10, "jetzt geöffnet (bis 16:30)", "open now (until 16:30)"),
    ("We 14:00-16:00", WED_10, "öffnet heute 14:00", "opens today 14:00"),
    ("Th 09:00-12:00", WED_10, "öffnet morgen 09:00", "opens tomorrow 09:00"),
    ("Tu 10:00-12:00", WED_10, "öffnet Di 10:00", "opens Tue 10:00"),
    ("We 14:00-16:00", datetime(2026, 11, 25, 17, 0), "öffnet 02.12. 14:00", "opens 02 Dec 14:00"),
    ("24/7", WED_10, "rund um die Uhr geöffnet", "open 24/7"),
    ("Mo-Fr 22:00-02:00", datetime(2026, 11, 25, 23, 0), "jetzt geöffnet (bis morgen 02:00)",
     "open now (until tomorrow 02:00)"),
    ("off", WED_10, "geschlossen", "closed"),
    ("nonsense", WED_10, "", ""),
    (None, WED_10, "", ""),
])
def test_status_text(expr: str | None, at: datetime, de: str, en: str) -> None:
    """status_text says open-until, opens-when or closed, in German and English."""
    assert hours.status_text(expr, at) == de
    assert hours.status_text(expr, at, lang="en") == en


@pytest.mark.parametrize(("expr", "de", "en"), [
    (KITA, "Mo–Do 07:00–16:30, Fr 07:00–15:00", "Mon–Thu 07:00–16:30, Fri 07:00–15:00"),
    ("We 14:00-16:00", "Mi 14:00–16:00", "Wed 14:00–16:00"),
    ("Mo-Fr 09:00-12:00,14:00-16:00; Sa 10:00-12:00",
     "Mo–Fr 09:00–12:00 und 14:00–16:00, Sa 10:00–12:00",
     "Mon–Fri 09:00–12:00 and 14:00–16:00, Sat 10:00–12:00"),
    ("Mo-Su 08:00-20:00", "täglich 08:00–20:00", "daily 08:00–20:00"),
    ("24/7", "rund um die Uhr", "24/7"),
    ("Mo,We 09:00-12:00", "Mo 09:00–12:00, Mi 09:00–12:00", "Mon 09:00–12:00, Wed 09:00–12:00"),
    ("Mo-Fr 8-16", "Mo-Fr 8-16", "Mo-Fr 8-16"),
    ("", "", ""),
])
def test_short_hours(expr: str, de: str, en: str) -> None:
    """short_hours renders a compact week, or the raw text when it cannot."""
    assert hours.short_hours(expr, at=WED_10) == de
    assert hours.short_hours(expr, lang="en", at=WED_10) == en


@pytest.mark.parametrize(("lang", "week", "status"), [
    ("tr", "Pzt–Per 07:00–16:30, Cum 07:00–15:00", "şu an açık (16:30 saatine kadar)"),
    ("ar", "الإثنين–الخميس 07:00–16:30, الجمعة 07:00–15:00", "مفتوح الآن (حتى 16:30)"),
    ("xx", "Mo–Do 07:00–16:30, Fr 07:00–15:00", "jetzt geöffnet (bis 16:30)"),
])
def test_hours_speak_the_flyer_languages(lang: str, week: str, status: str) -> None:
    """Turkish and Arabic flyers get their own day names; unknown languages get German."""
    expr = "Mo-Th 07:00-16:30; Fr 07:00-15:00"
    assert hours.short_hours(expr, lang=lang, at=WED_10) == week
    assert hours.status_text(expr, WED_10, lang=lang) == status


@pytest.mark.parametrize(("expr", "reason"), [
    ("Mo-Fr 8-16", "unexpected '8-16' at character 7; write times with minutes, like 08:00-16:00"),
    ("Di 10:00-12:00", ("unexpected 'Di 10:00-12:' at character 1; use the day abbreviations "
                       "Mo Tu We Th Fr Sa Su")),
    ("Mo-Fr 09:00-", ("the expression ends early; write it like 'Mo-Fr 09:00-17:00; "
                     "Sa 10:00-12:00'")),
    ("  ", "the opening hours are empty; remove the line or fill them in"),
    ("24/7", None),
    ('Mo 10:00-12:00 "nach Vereinbarung"', None),
])
def test_check_explains(expr: str, reason: str | None) -> None:
    """check() says why an expression does not parse, with a fix."""
    assert hours.check(expr) == reason


@pytest.mark.parametrize(("text", "expected"), [
    ("Mi 15:00", datetime(2026, 11, 25, 15, 0)),
    ("Mittwoch 9 Uhr", datetime(2026, 12, 2, 9, 0)),
    ("wed 9:30", datetime(2026, 12, 2, 9, 30)),
    ("Do 8.15", datetime(2026, 11, 26, 8, 15)),
    ("Monday 10", datetime(2026, 11, 30, 10, 0)),
    ("heute 14:00", datetime(2026, 11, 25, 14, 0)),
    ("today 9", datetime(2026, 11, 25, 9, 0)),
    ("morgen 9", datetime(2026, 11, 26, 9, 0)),
    ("übermorgen 11:30", datetime(2026, 11, 27, 11, 30)),
    ("2026-12-01 10:00", datetime(2026, 12, 1, 10, 0)),
    ("2026-12-01T10:00", datetime(2026, 12, 1, 10, 0)),
    ("1.12. 10:00", datetime(2026, 12, 1, 10, 0)),
    ("01.12.2027 10:00", datetime(2027, 12, 1, 10, 0)),
    ("15", datetime(2026, 11, 25, 15, 0)),
    ("15 Uhr", datetime(2026, 11, 25, 15, 0)),
    ("morgen 10 Uhr", datetime(2026, 11, 26, 10, 0)),
    ("morgen um 10", datetime(2026, 11, 26, 10, 0)),
    ("Mo 9:30", datetime(2026, 11, 30, 9, 30)),
    ("jetzt", WED_10),
    ("  NOW ", WED_10),
])
def test_parse_when(text: str, expected: datetime) -> None:
    """parse_when reads German and English day words, dates and times."""
    assert hours.parse_when(text, WED_10) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("", ("no time given; e.g. 'Mi 15:00', 'heute 14:00', 'morgen 9', '2026-12-01 10:00' "
         "or 'jetzt'")),
    ("Mi", ("add a time to 'Mi', e.g. 'Mi 15:00', 'heute 14:00', 'morgen 9', "
           "'2026-12-01 10:00' or 'jetzt'")),
    ("Mi 25:00", "'25:00' is not a time of day (hours 0-23, minutes 0-59)"),
    ("2026-13-01 10:00", "'2026-13-01' is not a valid date"),
    ("irgendwann 10", ("cannot read 'irgendwann 10'; e.g. 'Mi 15:00', 'heute 14:00', "
                      "'morgen 9', '2026-12-01 10:00' or 'jetzt'")),
    ("heute abend", ("cannot read the time 'abend' in 'heute abend'; use HH:MM, e.g. "
                    "'Mi 15:00', 'heute 14:00', 'morgen 9', '2026-12-01 10:00' or 'jetzt'")),
])
def test_parse_when_errors(text: str, message: str) -> None:
    """Bad input raises UsageError with a clear message."""
    with pytest.raises(UsageError) as info:
        hours.parse_when(text, WED_10)
    assert str(info.value) == message


DAYS_DE = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
DAYS_EN = ["monday", "Tue", "wednesday", "Thu", "Friday", "sat", "Sunday"]
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1))


@settings(deadline=None)
@given(now=moments, day=st.integers(0, 6), hour=st.integers(0, 23), minute=st.integers(0, 59),
       english=st.booleans())
def test_parse_when_weekday_is_next_occurrence(now: datetime, day: int, hour: int, minute: int,
                                               english: bool) -> None:
    """A weekday and time give that weekday and time, within the coming week."""
    word = (DAYS_EN if english else DAYS_DE)[day]
    result = hours.parse_when(f"{word} {hour:02d}:{minute:02d}", now)
    start = now.replace(second=0, microsecond=0)
    assert result.weekday() == day and (result.hour, result.minute) == (hour, minute)
    assert start <= result < start + timedelta(days=7)


@settings(deadline=None)
@given(moment=moments, now=moments)
def test_parse_when_iso_round_trip(moment: datetime, now: datetime) -> None:
    """An ISO date and time comes back unchanged (to the minute)."""
    text = moment.strftime("%Y-%m-%d %H:%M")
    assert hours.parse_when(text, now) == moment.replace(second=0, microsecond=0)


@settings(deadline=None)
@given(text=st.text(max_size=30), now=moments)
def test_parse_when_never_crashes(text: str, now: datetime) -> None:
    """Any input either parses or raises UsageError; nothing else."""
    try:
        result = hours.parse_when(text, now)
    except UsageError as exc:
        assert str(exc)
    else:
        assert isinstance(result, datetime) and result.tzinfo is None


@settings(deadline=None)
@given(expr=st.text(max_size=40))
def test_hours_helpers_never_crash(expr: str) -> None:
    """Arbitrary hours text never raises from the helpers."""
    hours.is_open(expr, WED_10)
    hours.status_text(expr, WED_10)
    hours.short_hours(expr, at=WED_10)
    assert hours.check(expr) is None or isinstance(hours.check(expr), str)


@pytest.mark.parametrize(("lang", "week", "status"), [
    ("de", "Mi–Do ab 12:00", "jetzt geöffnet"),
    ("en", "Wed–Thu from 12:00", "open now"),
])
def test_open_ended_hours_do_not_claim_an_end(lang: str, week: str, status: str) -> None:
    """`12:00+` (from noon, end unknown) is never shown as open until midnight."""
    assert hours.short_hours("We,Th 12:00+", lang=lang, at=WED_10) == week
    assert hours.status_text("We,Th 12:00+", WED_10.replace(hour=13), lang=lang) == status
    assert hours.short_hours("Mo-Fr 08:00-24:00", at=WED_10) == "Mo–Fr 08:00–24:00"
