"""`wiqnet search`: find referral targets for a family's need, each with why it matches."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from ..search import DEFAULT_LIMIT

if TYPE_CHECKING:
    from ..search import Result, SearchResponse
from . import Context, main, pass_context, reports_errors


def _text(response: SearchResponse) -> list[str]:
    from ..search import language_name

    lines = [f"Note: {notice}" for notice in response.notices]
    if response.language != "de":
        lines.append(f"Query language: {language_name(response.language, 'en')}")
    if response.corrections:
        fixed = ", ".join(f"{k} -> {v}" for k, v in response.corrections.items())
        lines.append(f"Read as: {fixed}")
    if response.topics:
        lines.append(f"Topics: {', '.join(response.topics)}")
    if response.needs:
        lines.append(f"Needs: {', '.join(response.needs)}")
    if not response.results:
        lines.append(response.message or "No results.")
        if response.suggestions:
            keys = ", ".join(f"{s['need']} ({s['label']})" for s in response.suggestions)
            lines.append(f"Try a need category: {keys}")
        return lines
    lines.append(f"{response.total} matching service(s); the best {len(response.results)}:")
    numbered = list(enumerate(response.results, 1))
    if not response.groups:
        return lines + _results(numbered)
    lines.append(f"The query names {len(response.groups)} needs; the best for each:")
    for group in response.groups:
        lines.append(f"-- {group['label']} --")
        lines += _results([(n, r) for n, r in numbered if r.group == group["label"]])
    return lines


def _results(numbered: list[tuple[int, Result]]) -> list[str]:
    """Return the lines of some results, each with its rank number."""
    lines = []
    for number, result in numbered:
        lines.append(
            f"{number:>2}. {result.service} – {result.institution}  "
            f"[{result.service_id}, score {result.score:g}]"
        )
        lines.append(f"    {' · '.join(result.why)}")
        if len(result.path) > 1:
            lines.append(f"    path: {' -> '.join(result.path)}")
    return lines


@main.command("search")
@click.argument("query", required=False, default="")
@click.option("--need", metavar="KEY", help="Only services for this need category (key).")
@click.option("--language", metavar="CODE", help="Prefer services in this language (tr, ar, ...).")
@click.option(
    "--near", metavar="PLACE", help="Prefer services near an address, a postcode or 'lat,lon'."
)
@click.option(
    "--open-at",
    "open_at",
    metavar="WHEN",
    help="Prefer services open then: 'Mi 15:00', 'heute 14:00', 'jetzt'.",
)
@click.option("--audience", metavar="LABEL", help="Prefer services for this audience (Familien).")
@click.option(
    "--limit",
    type=int,
    default=DEFAULT_LIMIT,
    show_default=True,
    help="How many results to show (1-100).",
)
@click.option(
    "--from",
    "origin",
    metavar="ID",
    help="Show the cooperation path from this institution (default: WiQ).",
)
@click.option(
    "--include-home",
    "include_home",
    is_flag=True,
    help="Also list the home institution (WiQ), which is otherwise only the bridge.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@pass_context
@reports_errors
def search_command(
    ctx: Context,
    query: str,
    need: str | None,
    language: str | None,
    near: str | None,
    open_at: str | None,
    audience: str | None,
    limit: int,
    origin: str | None,
    include_home: bool,
    as_json: bool,
) -> None:
    """Find services for a family's need, typed in everyday German, English, Turkish or Arabic.

    Each result says why it matches (topic, need, language, distance, opening hours)
    and how WiQ reaches it over recorded cooperations. Typos, compounds and inflected
    words are understood; the topics are in wiqnet/topics.yaml, more words per need
    in vocabulary.yaml next to the data file. A query naming several needs gets the
    best services for each, under its label. WiQ itself is left out (it is the bridge)
    unless it is searched by name or --include-home is given.

    Example: wiqnet search "Mietschulden" --language tr --open-at "Mi 15:00"
    """
    from ..search import SearchRequest, search

    request = SearchRequest(
        query=query,
        need=need,
        language=language,
        near=near,
        open_at=open_at,
        audience=audience,
        limit=limit,
        origin=origin,
        include_home=include_home,
    )
    response = search(ctx.directory(), request, ctx.settings, notices_lang="en")
    if as_json:
        click.echo(json.dumps(response.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(_text(response)))
