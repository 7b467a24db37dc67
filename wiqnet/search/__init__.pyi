"""Search by need: German text analysis, vocabulary, index, ranking, explanations, bridges."""

from .engine import Result, SearchRequest, SearchResponse, search
from .explain import language_name
from .limits import DEFAULT_LIMIT, MAX_LIMIT
from .messages import SearchInputError
from .vocabulary import path_for, validate_vocabulary

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Result",
    "SearchInputError",
    "SearchRequest",
    "SearchResponse",
    "language_name",
    "path_for",
    "search",
    "validate_vocabulary",
]
