"""The service topics ("Themen"): finer than needs, shipped as package data like needs.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml
from rapidfuzz import fuzz, process

from .needs import all_needs

LANGUAGES = ("de", "en", "tr", "ar")
KINDS = ("offer", "benefit", "treatment")


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: its need keys (the first is its home), kind, labels and everyday words."""

    key: str
    needs: tuple[str, ...]
    kind: str
    labels: dict[str, str]
    words: dict[str, tuple[str, ...]]

    def label(self, lang: str = "de") -> str:
        """Return the label in a language (German when there is none)."""
        return self.labels.get(lang) or self.labels["de"]

    @property
    def benefit(self) -> bool:
        """Return whether an authority processes this topic (a benefit or procedure)."""
        return self.kind == "benefit"

    @property
    def treatment(self) -> bool:
        """Return whether this topic is medical treatment (a doctor, a hospital)."""
        return self.kind == "treatment"


def _topic(key: str, raw: dict[str, object]) -> Topic:
    """Build one topic from its YAML mapping, checking it against the need keys."""
    needs = tuple(str(n) for n in raw["needs"])  # type: ignore[attr-defined]
    unknown = [n for n in needs if n not in all_needs()]
    if not needs or unknown:
        raise ValueError(f"topics.yaml: topic '{key}' has unknown need keys {unknown or '[]'}")
    labels = {str(k): str(v) for k, v in raw["label"].items()}  # type: ignore[attr-defined]
    words = {str(k): tuple(str(w) for w in v) for k, v in raw["words"].items()}  # type: ignore[attr-defined]
    missing = [lang for lang in LANGUAGES if not labels.get(lang) or not words.get(lang)]
    if missing:
        raise ValueError(f"topics.yaml: topic '{key}' lacks labels or words in {missing}")
    kind = str(raw.get("kind", "offer"))
    if kind not in KINDS:
        raise ValueError(f"topics.yaml: topic '{key}' has kind '{kind}'; use one of {KINDS}")
    return Topic(key, needs, kind, labels, words)


@cache
def all_topics() -> dict[str, Topic]:
    """Return the topics by key, in their contract order."""
    text = files("wiqnet").joinpath("topics.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["topics"]
    return {str(key): _topic(str(key), value) for key, value in raw.items()}


@cache
def topic_order() -> dict[str, int]:
    """Return each topic key's place in the contract order (ties between topics go by it)."""
    return {key: number for number, key in enumerate(all_topics())}


def topic_keys() -> tuple[str, ...]:
    """Return the topic keys in contract order."""
    return tuple(all_topics())


def topic_label(key: str, lang: str = "de") -> str:
    """Return a topic's label, or the key itself for an unknown key."""
    topic = all_topics().get(key)
    return topic.label(lang) if topic else key


@cache
def _choices() -> dict[str, str]:
    """Map topic keys and lower-cased German and English labels to keys."""
    found: dict[str, str] = {}
    for topic in all_topics().values():
        found[topic.key] = topic.key
        for lang in ("de", "en"):
            found[topic.label(lang).lower()] = topic.key
    return found


def suggest_topic(word: str) -> str | None:
    """Return the topic key meant by a word, e.g. 'schuldenberatung' -> 'schuldnerberatung'."""
    choices = _choices()
    best = process.extractOne(word.lower(), list(choices), scorer=fuzz.WRatio, score_cutoff=75)
    return choices[best[0]] if best else None
