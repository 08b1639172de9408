"""packaging/build.py writes the OAuth client ids of the build environment for the bundle."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.test_packaging import Recorder, run_spec

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "SHOPDESK_GOOGLE_CLIENT_ID": "123-abc.apps.googleusercontent.com",
    "SHOPDESK_GOOGLE_CLIENT_SECRET": "GOCSPX-not-a-real-one",
    "SHOPDESK_MICROSOFT_CLIENT_ID": "00000000-1111-2222-3333-444444444444",
}


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shopdesk_build", ROOT / "packaging/build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_client_ids_are_written_in_the_shape_the_app_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = _build()
    assert build.OAUTH_CLIENTS == ROOT / "resources" / "oauth_clients.json"
    target = tmp_path / "resources" / "oauth_clients.json"
    assert build.write_oauth_clients({**ENV, "PATH": "/bin"}, target) == target
    assert json.loads(target.read_text(encoding="utf-8")) == {
        "google": {
            "client_id": ENV["SHOPDESK_GOOGLE_CLIENT_ID"],
            "client_secret": ENV["SHOPDESK_GOOGLE_CLIENT_SECRET"],
        },
        "microsoft": {"client_id": ENV["SHOPDESK_MICROSOFT_CLIENT_ID"]},
    }
    said = capsys.readouterr()
    assert "oauth_clients.json (google, microsoft)" in said.err
    assert not any(value in said.out + said.err for value in ENV.values())
    assert [p.name for p in target.parent.iterdir()] == ["oauth_clients.json"]


def test_only_the_providers_set_are_written_and_none_means_no_file(tmp_path: Path) -> None:
    build = _build()
    target = tmp_path / "oauth_clients.json"
    microsoft = {"SHOPDESK_MICROSOFT_CLIENT_ID": ENV["SHOPDESK_MICROSOFT_CLIENT_ID"]}
    build.write_oauth_clients(microsoft, target)
    assert json.loads(target.read_text(encoding="utf-8")) == {
        "microsoft": {"client_id": ENV["SHOPDESK_MICROSOFT_CLIENT_ID"]}
    }
    target.unlink()
    assert build.write_oauth_clients({"SHOPDESK_GOOGLE_CLIENT_ID": "  "}, target) is None
    assert not target.exists()
    with pytest.raises(SystemExit, match="SECRET is set without SHOPDESK_GOOGLE_CLIENT_ID"):
        build.write_oauth_clients({"SHOPDESK_GOOGLE_CLIENT_SECRET": "x"}, target)
    assert not target.exists()


def test_the_spec_bundles_the_file_with_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_spec(monkeypatch, "linux")
    resources = tmp_path / "resources"
    _build().write_oauth_clients(ENV, resources / "oauth_clients.json")
    tree = Recorder.spec["tree"]  # what the spec bundles of resources/
    assert tree(resources, "resources") == [(str(resources / "oauth_clients.json"), "resources")]


def test_the_file_is_never_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "resources/oauth_clients.json" in ignored
