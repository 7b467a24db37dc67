"""Maps: folium maps of the directory, search and network, their assets, the slip's small map."""

# The names are imported on first use (lazy_loader); __init__.pyi lists them for
# readers and type checkers, so `import wiqnet.cli` stays free of heavy libraries.
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
