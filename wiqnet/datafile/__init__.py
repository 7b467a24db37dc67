"""The data file: read with positions, validate, load into a Directory, edit, reload."""

# The names are imported on first use (lazy_loader); __init__.pyi lists them for
# readers and type checkers, so `import wiqnet.cli` stays free of heavy libraries.
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
