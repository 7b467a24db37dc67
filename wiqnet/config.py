"""Settings, each declared once with its default and help text.

Precedence: defaults, then a config file (TOML, `WIQNET_CONFIG`), then `WIQNET_*`
environment variables, then explicit overrides (the test config).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import UsageError


def _setting(default: Any, help: str) -> Any:
    """Declare one setting: its default value and help text (a dataclass field)."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, eq=False)
class Settings(Mapping[str, Any]):
    """The effective settings: one typed attribute per setting.

    Also a read-only mapping by the setting's NAME (as in config files, `WIQNET_NAME` and
    Flask's app.config), so the web app can copy it into its config.
    """

    data: str = _setting("data/institutions.yaml", "Path of the directory data file.")
    cache_dir: str = _setting(".wiqnet-cache", "Folder for the geocoder and tile caches.")
    geocoder_url: str = _setting(
        "https://nominatim.openstreetmap.org", "Base URL of the Nominatim-compatible geocoder."
    )
    user_agent: str = _setting(
        "wiqnet/0.1 (WiQ Krefeld; wiq@krefeld.de)",
        "Identifying User-Agent sent to the geocoder and tile servers.",
    )
    geocoder_timeout: float = _setting(10.0, "Seconds to wait for one geocoder answer.")
    geocoder_min_interval: float = _setting(
        1.0, "Minimum seconds between geocoder requests (never below 1 for the public Nominatim)."
    )
    geocoder_search_wait: float = _setting(
        2.0, "Longest a search waits for the geocoder, queueing and answer together."
    )
    tiles: str = _setting(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Map tile URL template, or 'none' for a plain background.",
    )
    tiles_attribution: str = _setting(
        '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
        "Attribution shown with the map tiles.",
    )
    public_url: str = _setting(
        "",
        "Public URL of the directory, printed on flyers and in their QR codes; when empty "
        "the web app uses the URL it is served under and `wiqnet flyer` refuses.",
    )
    secret_key: str = _setting(
        "", "Secret for sessions and CSRF; when empty, one kept in INSTANCE_DIR/secret_key."
    )
    instance_dir: str = _setting(
        "instance", "Folder for the server's state: accounts.json, the state database, the secret."
    )
    admin_password_hash: str = _setting(
        "",
        "Deprecated: a password hash that logs in as coordinator account 'koordination' "
        "(use 'wiqnet user add' instead).",
    )
    trusted_proxies: int = _setting(
        0, "Reverse proxies in front of the server whose X-Forwarded-For/-Proto/-Host to trust."
    )
    stale_days: int = _setting(365, "Entries not verified for this many days are flagged as stale.")
    cors_origins: str = _setting(
        "", "Comma-separated origins allowed to call the API; empty: CORS off."
    )
    flyer_rate_limit: str = _setting(
        "6 per minute", "Flyers one address may have printed (cached flyers do not count)."
    )
    flyer_rate_limit_all: str = _setting(
        "4 per minute",
        "Flyers printed for everyone together, per server process (cached ones do not count).",
    )
    suggest_rate_limit: str = _setting(
        "10 per hour", "Suggestions one address may send (the public form on each institution)."
    )
    rate_limit_storage: str = _setting(
        "memory://",
        "Where rate limits are counted (Flask-Limiter storage URI, e.g. redis://host:6379); "
        "memory:// counts per worker process.",
    )
    home_institution: str = _setting("wiq", "Id of the institution that is WiQ's contact point.")
    git_commit: bool = _setting(
        False,
        "Commit each write of the data file (with its change log) to git, with the editor's "
        "account as author, when the data folder is a git repository.",
    )

    def __getitem__(self, name: str) -> Any:
        """Return a setting by its NAME (upper case)."""
        if name not in _NAMES:
            raise KeyError(name)
        return getattr(self, name.lower())

    def __iter__(self) -> Iterator[str]:
        """Iterate over the setting NAMEs."""
        return iter(_NAMES)

    def __len__(self) -> int:
        """Return the number of settings."""
        return len(_NAMES)


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as documented: its NAME, default value and help text."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name.upper(), f.default, f.metadata["help"]) for f in fields(Settings)
)
_NAMES = tuple(s.name for s in SETTINGS)
_BY_NAME = {s.name: s for s in SETTINGS}


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _coerce(setting: Setting, value: Any) -> Any:
    """Return the value in the setting's type, or raise UsageError naming the setting."""
    if isinstance(setting.default, bool):
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise UsageError(f"setting {setting.name} must be true or false, not {value!r}")
    if isinstance(setting.default, int) and not isinstance(value, int):
        try:
            return int(value)
        except ValueError:
            raise UsageError(
                f"setting {setting.name} must be a whole number, not {value!r}"
            ) from None
    if isinstance(setting.default, float):
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"setting {setting.name} must be a number, not {value!r}") from None
    if isinstance(setting.default, str):
        return "" if value is None else str(value)
    return value


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Return the effective settings: defaults < config file < WIQNET_* env < overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
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
            if name not in _BY_NAME:
                raise UsageError(f"{config_file}: unknown setting '{key}'")
            values[name] = _coerce(_BY_NAME[name], value)
    for name, setting in _BY_NAME.items():
        if f"WIQNET_{name}" in env:
            values[name] = _coerce(setting, env[f"WIQNET_{name}"])
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise UsageError(f"unknown setting '{name}'")
        values[name] = _coerce(_BY_NAME[name], value)
    return Settings(**{name.lower(): value for name, value in values.items()})
