"""How many results a search may return: plain numbers, cheap to import for the CLI's options."""

MAX_LIMIT = 100
DEFAULT_LIMIT = 10
