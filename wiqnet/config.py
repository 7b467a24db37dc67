"""Settings, each declared once with its default and help text.

Precedence: defaults, then a config file (TOML, `WIQNET_CONFIG`), then `WIQNET_*`
environment variables, then explicit overrides (the test config).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its name, default value and help text."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA", "data/institutions.yaml", "Path of the directory data file."),
    Setting("CACHE_DIR", ".wiqnet-cache", "Folder for the geocoder and tile caches."),
    Setting("GEOCODER_URL", "https://nominatim.openstreetmap.org",
            "Base URL of the Nominatim-compatible geocoder."),
    Setting("USER_AGENT", "wiqnet/0.1 (WiQ Krefeld; wiq@krefeld.de)",
            "Identifying User-Agent sent to the geocoder and tile servers."),
    Setting("GEOCODER_TIMEOUT", 10.0, "Seconds to wait for one geocoder answer."),
    Setting("GEOCODER_MIN_INTERVAL", 1.0,
            "Minimum seconds between geocoder requests (never below 1 for the public Nominatim)."),
    Setting("TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "Map tile URL template, or 'none' for a plain background."),
    Setting("TILES_ATTRIBUTION",
            '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
            "Attribution shown with the map tiles."),
    Setting("PUBLIC_URL", "",
            "Public URL of the directory, printed on flyers and in their QR codes; when empty "
            "the web app uses the URL it is served under and `wiqnet flyer` refuses."),
    Setting("SECRET_KEY", "", "Secret for sessions and CSRF; random per start when empty."),
    Setting("ADMIN_PASSWORD_HASH", "",
            "Hashed coordinator password (werkzeug generate_password_hash); empty disables edits."),
    Setting("STALE_DAYS", 365, "Entries not verified for this many days are flagged as stale."),
    Setting("CORS_ORIGINS", "", "Comma-separated origins allowed to call the API; empty: CORS off."),
    Setting("HOME_INSTITUTION", "wiq", "Id of the institution that is WiQ's contact point."),
)


def _coerce(setting: Setting, value: Any) -> Any:
    if isinstance(setting.default, int) and not isinstance(value, int):
        try:
            return int(value)
        except ValueError:
            raise UsageError(
                f"setting {setting.name} must be a whole number, not {value!r}"
            ) from None
    if isinstance(setting.default, float) and not isinstance(value, (int, float)):
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"setting {setting.name} must be a number, not {value!r}") from None
    return value


def load_settings(overrides: dict[str, Any] | None = None,
                  environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the effective settings: defaults < config file < WIQNET_* env < overrides."""
    env = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    by_name = {s.name: s for s in SETTINGS}
    config_file = env.get("WIQNET_CONFIG")
    if config_file:
        try:
            from_file = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{config_file}: config file not found (WIQNET_CONFIG)") from None
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{config_file}: invalid TOML: {exc}") from None
        for key, value in from_file.items():
            name = key.upper()
            if name not in by_name:
                raise UsageError(f"{config_file}: unknown setting '{key}'")
            values[name] = _coerce(by_name[name], value)
    for name, setting in by_name.items():
        if f"WIQNET_{name}" in env:
            values[name] = _coerce(setting, env[f"WIQNET_{name}"])
    for key, value in (overrides or {}).items():
        values[key] = value
    return values
