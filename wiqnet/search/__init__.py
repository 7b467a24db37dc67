"""Search by need: German text analysis, vocabulary, index, ranking, explanations, bridges."""

from .engine import SearchRequest, SearchResponse, search

__all__ = ["SearchRequest", "SearchResponse", "search"]
