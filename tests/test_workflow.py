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


def test_windows_signs_the_whole_bundle_then_self_tests_it_then_the_installer() -> None:
    names = [s.get("name", "") for s in _job()["steps"]]
    order = [
        "Build the bundle",
        "Sign the bundle",
        "Self-test of the signed bundle",
        "Inno Setup installer",
        "Check the installer's signature",
    ]
    assert [n for n in names if n in order or n.startswith(order[0])][1:] == order[1:]
    assert names.index("Self-test of the signed bundle") > names.index("Sign the bundle")
    assert _step("Sign the bundle")["run"] == "packaging/windows/sign.ps1 dist/Shopdesk"
    after = _step("Self-test of the signed bundle")
    assert after["if"] == "runner.os == 'Windows' && env.HAVE_WINDOWS_CERT == 'true'"
    assert after["run"] == "python packaging/build.py --skip-build --self-test"
    inno = _step("Inno Setup installer")
    assert "/DSignToolName=shopdesk" in inno["run"] and "sign.ps1" in inno["run"]
    assert "secrets.WINDOWS_CERT_PASSWORD" not in inno["run"]  # ISCC prints its sign command
    sign = (ROOT / "packaging" / "windows" / "sign.ps1").read_text()
    assert '".exe", ".dll", ".pyd"' in sign and '.Status -eq "NotSigned"' in sign
    iss = (ROOT / "packaging" / "windows" / "shopdesk.iss").read_text()
    guarded = iss.split("#ifdef SignToolName", 1)[1].split("#endif", 1)[0]
    assert "SignTool={#SignToolName}" in guarded and "SignedUninstaller=yes" in guarded
