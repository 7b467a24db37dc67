"""Settings precedence: defaults < config file < WIQNET_* environment < explicit overrides."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from wiqnet.config import SETTINGS, load_settings
from wiqnet.errors import UsageError
from wiqnet.web import create_app


def test_defaults_come_from_settings() -> None:
    values = load_settings(environ={})
    assert values == {s.name: s.default for s in SETTINGS}


def test_every_setting_has_help() -> None:
    assert all(s.help.endswith(".") for s in SETTINGS)


@pytest.mark.parametrize(
    "file, env, override, expected",
    [
        (None, None, None, 365),
        ("stale_days = 30", None, None, 30),
        ("stale_days = 30", "60", None, 60),
        ("stale_days = 30", "60", 90, 90),
        (None, "60", None, 60),
        (None, None, 90, 90),
    ],
)
def test_precedence(
    tmp_path: Path, file: str | None, env: str | None, override: int | None, expected: int
) -> None:
    environ: dict[str, str] = {}
    if file is not None:
        config = tmp_path / "wiqnet.toml"
        config.write_text(file, encoding="utf-8")
        environ["WIQNET_CONFIG"] = str(config)
    if env is not None:
        environ["WIQNET_STALE_DAYS"] = env
    overrides = {"STALE_DAYS": override} if override is not None else None
    assert load_settings(overrides, environ=environ)["STALE_DAYS"] == expected


@pytest.mark.parametrize(
    "content, message",
    [
        ("colour = 'red'", "wiqnet.toml: unknown setting 'colour'"),
        ("stale_days = ", "wiqnet.toml: invalid TOML: "),
        ("stale_days = 'viele'", "setting STALE_DAYS must be a whole number, not 'viele'"),
    ],
)
def test_bad_config_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "wiqnet.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        load_settings(environ={"WIQNET_CONFIG": str(config)})
    assert message in str(info.value)


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nothing\.toml: config file not found \(WIQNET_CONFIG\)"):
        load_settings(environ={"WIQNET_CONFIG": str(tmp_path / "nothing.toml")})


def test_bad_environment_value_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match="setting STALE_DAYS must be a whole number, not 'x'"):
        load_settings(environ={"WIQNET_STALE_DAYS": "x"})


@pytest.mark.parametrize(
    ("text", "value"), [("yes", True), ("1", True), ("On", True), ("false", False), ("", False)]
)
def test_a_switch_reads_yes_and_no(text: str, value: bool) -> None:
    assert load_settings(environ={"WIQNET_GIT_COMMIT": text}).git_commit is value


def test_a_bad_switch_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match="setting GIT_COMMIT must be true or false, not 'maybe'"):
        load_settings(environ={"WIQNET_GIT_COMMIT": "maybe"})


def test_the_app_uses_the_same_precedence(
    tmp_path: Path, data_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "wiqnet.toml"
    config.write_text(
        'stale_days = 30\ncors_origins = "https://file.example"\nhome_institution = "jobcenter"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WIQNET_CONFIG", str(config))
    monkeypatch.setenv("WIQNET_CORS_ORIGINS", "https://env.example")
    monkeypatch.setenv("WIQNET_HOME_INSTITUTION", "wiq")
    app = create_app({"TESTING": True, "DATA": str(data_path), "HOME_INSTITUTION": "jobcenter"})
    assert app.config["STALE_DAYS"] == 30
    assert app.config["CORS_ORIGINS"] == "https://env.example"
    assert app.config["HOME_INSTITUTION"] == "jobcenter"
    assert app.config["TESTING"] is True
    assert app.config["SECRET_KEY"]


def test_a_bad_setting_is_a_clean_cli_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from wiqnet.cli import main

    monkeypatch.setenv("WIQNET_STALE_DAYS", "abc")
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 2
    assert result.output == "Error: setting STALE_DAYS must be a whole number, not 'abc'\n"


def test_settings_are_typed_frozen_and_readable_by_name() -> None:
    settings = load_settings({"STALE_DAYS": "30", "GEOCODER_TIMEOUT": 3}, environ={})
    assert settings.stale_days == 30 and settings["STALE_DAYS"] == 30
    assert settings.geocoder_timeout == 3.0 and isinstance(settings.geocoder_timeout, float)
    assert list(settings) == [s.name for s in SETTINGS]
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.stale_days = 1  # type: ignore[misc]
    with pytest.raises(KeyError):
        settings["stale_days"]


def test_unknown_override_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match="unknown setting 'COLOUR'"):
        load_settings({"COLOUR": "red"}, environ={})
