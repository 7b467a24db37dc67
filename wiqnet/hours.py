"""Opening hours: parse OpenStreetMap expressions, tell open/closed, render them for people.

All times are naive local times in Krefeld (Europe/Berlin); public holidays are German ones.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import opening_hours

from .errors import UsageError

WEEKDAYS = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "tr": ("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"),
    "ar": ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}
_TEXT = {
    "de": {"open": "jetzt geöffnet (bis {until})", "always": "rund um die Uhr geöffnet",
           "opens": "öffnet {when}", "closed": "geschlossen", "today": "heute",
           "tomorrow": "morgen", "daily": "täglich", "and": " und ", "24/7": "rund um die Uhr",
           "from": "ab {time}", "open_now": "jetzt geöffnet"},
    "en": {"open": "open now (until {until})", "always": "open 24/7",
           "opens": "opens {when}", "closed": "closed", "today": "today",
           "tomorrow": "tomorrow", "daily": "daily", "and": " and ", "24/7": "24/7",
           "from": "from {time}", "open_now": "open now"},
    "tr": {"open": "şu an açık ({until} saatine kadar)", "always": "7/24 açık",
           "opens": "açılış: {when}", "closed": "kapalı", "today": "bugün",
           "tomorrow": "yarın", "daily": "her gün", "and": " ve ", "24/7": "7/24",
           "from": "{time} itibaren", "open_now": "şu an açık"},
    "ar": {"open": "مفتوح الآن (حتى {until})", "always": "مفتوح على مدار الساعة",
           "opens": "يفتح {when}", "closed": "مغلق", "today": "اليوم",
           "tomorrow": "غدًا", "daily": "يوميًا", "and": " و ", "24/7": "على مدار الساعة",
           "from": "من {time}", "open_now": "مفتوح الآن"},
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LOOKAHEAD = timedelta(days=366)


# The parser's exception class is missing from the library's type stub.
_PARSER_ERROR: type[Exception] = getattr(opening_hours, "ParserError", SyntaxError)


class HoursSyntaxError(ValueError):
    """An opening hours expression that does not parse, with a readable reason."""


@lru_cache(maxsize=8192)
def _compile(expr: str) -> opening_hours.OpeningHours | HoursSyntaxError:
    """Parse expr once; return the parsed hours or the error explaining why not."""
    try:
        return opening_hours.OpeningHours(expr, country="DE")
    except _PARSER_ERROR as exc:
        return HoursSyntaxError(_explain(expr, str(exc)))


def _explain(expr: str, raw: str) -> str:
    """Turn the parser's multi-line message into one line with a hint."""
    where = re.search(r"-->\s*\d+:(\d+)", raw)
    col = int(where.group(1)) if where else 1
    rest = expr[col - 1:]
    col += len(rest) - len(rest.lstrip())
    found = f"unexpected '{rest.strip()[:12]}' at character {col}" if rest.strip() else "the expression ends early"
    hint = "write it like 'Mo-Fr 09:00-17:00; Sa 10:00-12:00'"
    if re.search(r"\b(Di|Mi|Do|So|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b", expr):
        hint = "use the day abbreviations Mo Tu We Th Fr Sa Su"
    elif re.search(r"(?<![\d:])\d{1,2}(?=\s*-)|-\s*\d{1,2}(?![\d:])", expr):
        hint = "write times with minutes, like 08:00-16:00"
    elif re.search(r"uhr|vereinbarung|termin", expr, re.IGNORECASE):
        hint = "put free text in double quotes, like 'Mo 10:00-12:00 \"nach Vereinbarung\"'"
    return f"{found}; {hint}"


def parse(expr: str | None) -> opening_hours.OpeningHours | None:
    """Return the parsed expression (cached), or None when it is empty or invalid."""
    if not expr or not expr.strip():
        return None
    result = _compile(expr.strip())
    return None if isinstance(result, HoursSyntaxError) else result


def check(expr: str) -> str | None:
    """Return why the expression does not parse, or None when it is fine."""
    if not expr.strip():
        return "the opening hours are empty; remove the line or fill them in"
    result = _compile(expr.strip())
    return str(result) if isinstance(result, HoursSyntaxError) else None


def is_open(expr: str | None, at: datetime) -> bool | None:
    """Return whether the place is open at `at`; None if unknown or not parseable."""
    hours = parse(expr)
    if hours is None or hours.is_unknown(at):
        return None
    return hours.is_open(at)


def _open_interval(expr: str | None, at: datetime) -> tuple[datetime, datetime | None] | None:
    """Return the first open interval that contains or follows `at` within a year."""
    hours = parse(expr)
    if hours is None:
        return None
    for start, end, state, _comment in hours.intervals(at, at + _LOOKAHEAD):
        if state == opening_hours.State.OPEN:
            return start, (None if end >= at + _LOOKAHEAD else end)
    return None


def _clock(moment: datetime, day: date | None = None) -> str:
    """Format a time as HH:MM, using 24:00 for midnight that ends `day`."""
    if day is not None and moment.date() == day + timedelta(days=1) and moment.time() == time(0):
        return "24:00"
    return moment.strftime("%H:%M")


def _day_name(moment: datetime, at: datetime, lang: str) -> str:
    """Name the day of moment relative to at: today, tomorrow, weekday or date."""
    text = _TEXT[_lang(lang)]
    delta = (moment.date() - at.date()).days
    if delta == 0:
        return text["today"]
    if delta == 1:
        return text["tomorrow"]
    if delta < 7:
        return WEEKDAYS[_lang(lang)][moment.weekday()]
    if _lang(lang) == "en":
        return f"{moment.day:02d} {_MONTHS_EN[moment.month - 1]}"
    return moment.strftime("%d.%m.")


def _lang(lang: str) -> str:
    """Return a supported language code (German by default)."""
    return lang if lang in WEEKDAYS else "de"


def status_text(expr: str | None, at: datetime, lang: str = "de") -> str:
    """Say whether it is open now and until when, or when it opens next ('' if unknown)."""
    text = _TEXT[_lang(lang)]
    interval = _open_interval(expr, at)
    if parse(expr) is None:
        return ""
    if interval is None:
        return text["closed"]
    start, end = interval
    if start <= at:
        if end is None:
            return text["always"]
        until = _clock(end, at.date())
        if until == "24:00" and _open_ended(expr or "") and "24:00" not in (expr or ""):
            return text["open_now"]  # `12:00+`: open, but the end is not known
        if end.date() > at.date() and until != "24:00":
            until = f"{_day_name(end, at, lang)} {until}"
        return text["open"].format(until=until)
    when = f"{_day_name(start, at, lang)} {_clock(start)}"
    return text["opens"].format(when=when)


def _open_ended(expr: str) -> set[str]:
    """Return the start times written open-ended (`12:00+`: from 12:00, end unknown)."""
    return set(re.findall(r"(\d{2}:\d{2})\+", expr))


def _week(expr: str, start: datetime) -> list[tuple[str, ...]] | None:
    """Return the open time ranges of each day of the week that begins at start."""
    hours = parse(expr)
    if hours is None:
        return None
    days: list[list[str]] = [[] for _ in range(7)]
    open_ended = _open_ended(expr)
    end = start + timedelta(days=7)
    for begin, finish, state, _comment in hours.intervals(start, end):
        if state != opening_hours.State.OPEN:
            continue
        moment = begin
        while moment < finish:
            day_end = datetime.combine(moment.date() + timedelta(days=1), time(0))
            stop = min(finish, day_end)
            index = (moment.date() - start.date()).days
            until = _clock(stop, moment.date())
            if until == "24:00" and _clock(moment) in open_ended:
                days[index].append(f"{_clock(moment)}+")
            else:
                days[index].append(f"{_clock(moment)}–{until}")
            moment = stop
    return [tuple(d) for d in days]


def short_hours(expr: str | None, lang: str = "de", at: datetime | None = None) -> str:
    """Render hours compactly, e.g. 'Mo–Do 07:00–16:30, Fr 07:00–15:00' (week of `at`)."""
    if not expr or not expr.strip():
        return ""
    reference = at or datetime.now()
    monday = datetime.combine(reference.date() - timedelta(days=reference.weekday()), time(0))
    week = _week(expr, monday)
    if week is None or not any(week):
        return expr.strip()
    text = _TEXT[_lang(lang)]
    names = WEEKDAYS[_lang(lang)]
    if all(day == ("00:00–24:00",) for day in week):
        return text["24/7"]
    groups: list[tuple[int, int, tuple[str, ...]]] = []
    for index, ranges in enumerate(week):
        if groups and groups[-1][2] == ranges and groups[-1][1] == index - 1:
            groups[-1] = (groups[-1][0], index, ranges)
        else:
            groups.append((index, index, ranges))
    parts = []
    for first, last, ranges in groups:
        if not ranges:
            continue
        if first == 0 and last == 6:
            days = text["daily"]
        elif first == last:
            days = names[first]
        else:
            days = f"{names[first]}–{names[last]}"
        shown = [text["from"].format(time=r[:-1]) if r.endswith("+") else r for r in ranges]
        parts.append(f"{days} {text['and'].join(shown)}")
    return ", ".join(parts)


_WEEKDAY_WORDS: dict[str, int] = {}
for _index, _words in enumerate((
    ("mo", "mon", "montag", "monday"), ("di", "tu", "tue", "dienstag", "tuesday"),
    ("mi", "we", "wed", "mittwoch", "wednesday"), ("do", "th", "thu", "donnerstag", "thursday"),
    ("fr", "fri", "freitag", "friday"), ("sa", "sat", "samstag", "sonnabend", "saturday"),
    ("so", "su", "sun", "sonntag", "sunday"),
)):
    _WEEKDAY_WORDS.update({w: _index for w in _words})
_RELATIVE = {"heute": 0, "today": 0, "morgen": 1, "tomorrow": 1, "übermorgen": 2}
_NOW = {"jetzt", "now", "sofort"}
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr|h)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})?$")
_EXAMPLES = "e.g. 'Mi 15:00', 'heute 14:00', 'morgen 9', '2026-12-01 10:00' or 'jetzt'"


def _parse_time(text: str, original: str) -> time:
    """Read a clock time like 9, 09:30, 14.00 or 15 Uhr."""
    match = _TIME.match(text)
    if not match:
        raise UsageError(f"cannot read the time '{text}' in '{original}'; use HH:MM, {_EXAMPLES}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise UsageError(f"'{text}' is not a time of day (hours 0-23, minutes 0-59)")
    return time(hour, minute)


def _parse_day(word: str, now: datetime, original: str) -> date:
    """Read a relative day word or a date (ISO or German)."""
    if word in _RELATIVE:
        return now.date() + timedelta(days=_RELATIVE[word])
    for pattern, order in ((_ISO, (0, 1, 2)), (_GERMAN_DATE, (2, 1, 0))):
        match = pattern.match(word)
        if match:
            parts = match.groups()
            year = int(parts[order[0]]) if parts[order[0]] else now.year
            try:
                return date(year, int(parts[order[1]]), int(parts[order[2]]))
            except ValueError:
                raise UsageError(f"'{word}' is not a valid date") from None
    raise UsageError(f"cannot read '{original}'; {_EXAMPLES}")


def parse_when(text: str, now: datetime) -> datetime:
    """Read a moment typed by a user ('Mi 15:00', 'heute 14:00', 'morgen 9', ISO date)."""
    words = text.strip().lower().replace(",", " ").split()
    now = now.replace(second=0, microsecond=0, tzinfo=None)
    if not words:
        raise UsageError(f"no time given; {_EXAMPLES}")
    if len(words) == 1 and words[0] in _NOW:
        return now
    if len(words) == 1 and "t" in words[0] and _ISO.match(words[0].split("t")[0]):
        words = words[0].split("t", 1)
    words = [w for w in words if w not in ("um", "at", "ab", "gegen")] or words
    if len(words) >= 2 and words[-1] in ("uhr", "h"):
        words = [*words[:-2], words[-2] + words[-1]]
    if len(words) == 1:
        if _TIME.match(words[0]):
            return datetime.combine(now.date(), _parse_time(words[0], text))
        if words[0] in _WEEKDAY_WORDS or words[0] in _RELATIVE:
            raise UsageError(f"add a time to '{text.strip()}', {_EXAMPLES}")
    if len(words) != 2:
        raise UsageError(f"cannot read '{text.strip()}'; {_EXAMPLES}")
    day_word, time_word = words
    clock = _parse_time(time_word, text.strip())
    if day_word.rstrip(".") in _WEEKDAY_WORDS:
        offset = (_WEEKDAY_WORDS[day_word.rstrip(".")] - now.weekday()) % 7
        moment = datetime.combine(now.date() + timedelta(days=offset), clock)
        return moment + timedelta(days=7) if moment < now else moment
    return datetime.combine(_parse_day(day_word, now, text.strip()), clock)
