"""Client settings of ``kikan serve``: ``--client id:secret:scopes`` and ``--clients-file``."""

from __future__ import annotations

import json

import pytest

from reference_impl.settings import (
    ClientConfig,
    Settings,
    SettingsError,
    load_clients_file,
    parse_client_spec,
)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("a:s:juki:read,juki:write", ClientConfig("a", "s", ("juki:read", "juki:write"))),
        ("a:s:juki:read audit:read", ClientConfig("a", "s", ("juki:read", "audit:read"))),
        ("a:s", ClientConfig("a", "s", ())),
        ("a:s:*", ClientConfig("a", "s", ())),
    ],
)
def test_client_spec(spec, expected):
    assert parse_client_spec(spec) == expected


@pytest.mark.parametrize("spec", ["a", ":s", "a:", ""])
def test_bad_client_spec(spec):
    with pytest.raises(SettingsError):
        parse_client_spec(spec)


def test_clients_file_takes_the_ready_file_shape(tmp_path):
    path = tmp_path / "clients.json"
    path.write_text(
        json.dumps({"clients": [{"client_id": "x", "client_secret": "y", "scopes": ["juki:read"]}]})
    )
    assert load_clients_file(path) == (ClientConfig("x", "y", ("juki:read",)),)
    path.write_text(json.dumps([{"client_id": "x"}]))
    with pytest.raises(SettingsError, match="client #0"):
        load_clients_file(path)
    with pytest.raises(SettingsError, match="cannot read"):
        load_clients_file(tmp_path / "missing.json")


def test_development_client_only_when_none_is_configured():
    dev = Settings().with_development_client().clients
    assert len(dev) == 1 and dev[0].scopes == () and len(dev[0].client_secret) >= 24
    configured = Settings(clients=(ClientConfig("a", "b"),))
    assert configured.with_development_client() is configured
