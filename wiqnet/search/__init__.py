"""Search by need: German text analysis, vocabulary, index, ranking, explanations, bridges."""

# The names are imported on first use (lazy_loader); __init__.pyi lists them for
# readers and type checkers, so the CLI starts without numpy or networkx.
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
