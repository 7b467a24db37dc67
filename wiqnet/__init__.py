"""wiqnet: referral directory and cooperation network for WiQ – Wir im Quartier, Krefeld."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """Return `__version__` from the installed package's metadata (pyproject.toml), on demand."""
    if name == "__version__":
        from importlib.metadata import version

        return version("wiqnet")
    raise AttributeError(f"module 'wiqnet' has no attribute {name!r}")
