"""The installers workflow read as GitHub reads it: what each signing setup makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"


def _job() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    job: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]
    return job


def _step(name_start: str) -> dict[str, Any]:
    [step] = [s for s in _job()["steps"] if s.get("name", "").startswith(name_start)]
    return step


def test_a_mac_certificate_without_notarising_secrets_signs_without_notarising() -> None:
    env = _job()["env"]
    have_notary = env["HAVE_NOTARY"]
    for secret in ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD", "APPLE_API_KEY_BASE64"):
        assert f"secrets.{secret} != ''" in have_notary
    assert "APPLE_API_KEY_ID" in have_notary and "APPLE_API_ISSUER_ID" in have_notary
    sign = _step("Sign, make the disk image")
    assert sign["if"] == "runner.os == 'macOS' && env.HAVE_MACOS_CERT == 'true'"
    # `a && '' || 'b'` is always 'b' in GitHub's expressions: the '1' must be the && branch
    assert sign["env"]["SKIP_NOTARIZE"] == "${{ env.HAVE_NOTARY != 'true' && '1' || '0' }}"
    assert "${{ env.HAVE_NOTARY != 'true' && '-not-notarized' || '' }}.dmg" in sign["run"]
    script = (ROOT / "packaging" / "macos" / "sign_and_notarize.sh").read_text()
    skip = script.index('if [[ "${SKIP_NOTARIZE:-}" == "1" ]]; then')
    assert skip < script.index("APPLE_ID:?")  # skipped before any notarising secret is needed
