"""Cheap checks of the packaging: the spec as PyInstaller runs it, icons, workflow, scripts."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest

import desktop_app

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


class Recorder:
    """Stands in for a PyInstaller build class (Analysis, EXE, ...): keeps its arguments."""

    made: dict[str, list[Recorder]]
    spec: dict[str, Any]  # the spec's own names, after it ran

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs
        self.scripts = self.pure = self.binaries = self.datas = []
        Recorder.made.setdefault(kind, []).append(self)


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str) -> dict[str, Recorder]:
    """Execute packaging/shopdesk.spec as PyInstaller would, with recording stand-ins."""
    Recorder.made = {}
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package: [(f"<{package} data>", package)]  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package: [f"{package}.<all>"]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda dist: [(f"<{dist} metadata>", ".")]  # type: ignore[attr-defined]
    versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in (
        "FixedFileInfo", "StringFileInfo", "StringStruct", "StringTable", "VarFileInfo",
        "VarStruct", "VSVersionInfo",
    ):
        setattr(versioninfo, name, lambda *a, _n=name, **k: (_n, a, k))
    for name, module in {
        "PyInstaller": types.ModuleType("PyInstaller"),
        "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
        "PyInstaller.utils.hooks": hooks,
        "PyInstaller.utils.win32": types.ModuleType("PyInstaller.utils.win32"),
        "PyInstaller.utils.win32.versioninfo": versioninfo,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(sys, "platform", platform)
    spec = PACKAGING / "shopdesk.spec"
    names: dict[str, Any] = {"SPECPATH": str(PACKAGING), "__file__": str(spec)}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        names[kind] = lambda *a, _k=kind, **k: Recorder(_k, *a, **k)
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), names)
    Recorder.spec = names
    return {kind: made[0] for kind, made in Recorder.made.items()}


def test_the_version_is_one_and_comes_from_pyproject(monkeypatch: pytest.MonkeyPatch) -> None:
    assert desktop_app.__version__ == VERSION
    spec = (PACKAGING / "shopdesk.spec").read_text()
    assert VERSION not in spec  # read at build time, never written into the spec
    made = run_spec(monkeypatch, "darwin")
    plist = made["BUNDLE"].kwargs["info_plist"]
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == VERSION
    assert made["BUNDLE"].kwargs["version"] == VERSION


def test_the_spec_bundles_what_the_app_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    made = run_spec(monkeypatch, "linux")
    analysis = made["Analysis"]
    assert analysis.args[0] == [str(ROOT / "main.py")]
    datas = {(Path(src).resolve(), dest) for src, dest in analysis.kwargs["datas"]}
    migrations = ROOT / "desktop_app" / "core" / "store" / "migrations"
    for path in [migrations / "env.py", *migrations.glob("versions/*.py")]:
        dest = str(Path("desktop_app/core/store/migrations") / path.parent.relative_to(migrations))
        assert (path, dest) in datas, path
    for path in [
        *ROOT.glob("resources/templates/*/*.j2"),
        *ROOT.glob("resources/translations/*.qm"),
        ROOT / "resources" / "demo" / "orders.csv",
        ROOT / "resources" / "intents" / "de.txt",
        ICONS / "shopdesk.png",
    ]:
        assert (path, str(Path("resources") / path.parent.relative_to(ROOT / "resources"))) in datas
    sources = {src.name for src, _dest in datas}
    assert not sources & {"make_icons.py", "update.py", "shopdesk_en.ts"}  # tools stay out
    raw = {src for src, _dest in analysis.kwargs["datas"]}
    for package in ("py3langid", "babel", "tzdata"):
        assert f"<{package} data>" in raw
    assert "<keyring metadata>" in raw  # its backends are found through entry points
    assert "alembic.op" in analysis.kwargs["hiddenimports"]
    assert {"keyrings.alt", "tkinter"} <= set(analysis.kwargs["excludes"])
    exe = made["EXE"].kwargs
    assert (exe["name"], exe["console"], exe["exclude_binaries"]) == ("Shopdesk", False, True)
    assert made["COLLECT"].kwargs["name"] == "Shopdesk"  # one folder: dist/Shopdesk
    assert "BUNDLE" not in made


def test_macos_and_windows_get_their_icon_and_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    mac = run_spec(monkeypatch, "darwin")
    bundle = mac["BUNDLE"].kwargs
    assert bundle["name"] == "Shopdesk.app"
    assert bundle["bundle_identifier"] == "app.shopdesk.Shopdesk"
    assert bundle["info_plist"]["NSHighResolutionCapable"] is True
    # numpy's wheels on the macOS 14/15 runners are macosx_14_0: the bundle needs 14 too
    assert bundle["info_plist"]["LSMinimumSystemVersion"] == "14.0"
    assert "**Mac (macOS 14 Sonoma or later):**" in (ROOT / "README.md").read_text()
    assert Path(bundle["icon"]) == ICONS / "shopdesk.icns"
    windows = run_spec(monkeypatch, "win32")
    assert Path(windows["EXE"].kwargs["icon"]) == ICONS / "shopdesk.ico"
    assert windows["EXE"].kwargs["version"][0] == "VSVersionInfo"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_icon_files_hold_every_size() -> None:
    for size in PNG_SIZES:
        assert _png_size((ICONS / f"shopdesk-{size}.png").read_bytes()) == (size, size)
    assert _png_size((ICONS / "shopdesk.png").read_bytes()) == (256, 256)

    ico = (ICONS / "shopdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, _h, _c, _r, _planes, _bits, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i]
        )
        side = w or 256
        assert _png_size(ico[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]

    icns = (ICONS / "shopdesk.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    found, at = {}, 8
    while at < len(icns):
        kind, length = icns[at : at + 4], struct.unpack(">I", icns[at + 4 : at + 8])[0]
        found[kind] = _png_size(icns[at + 8 : at + length])[0]
        at += length
    assert found[b"ic10"] == 1024 and found[b"ic07"] == 128 and found[b"icp4"] == 16
    assert found[b"ic14"] == 512 and found[b"ic11"] == 32


def _secrets_documented_in(text: str) -> set[str]:
    return set(re.findall(r"`?\b((?:WINDOWS|MACOS|APPLE|SHOPDESK)_[A-Z0-9_]+)\b`?", text))


def test_the_workflow_uses_exactly_the_secrets_it_documents() -> None:
    workflow = WORKFLOW.read_text()
    used = set(re.findall(r"secrets\.([A-Z0-9_]+)", workflow))
    header = "".join(line for line in workflow.splitlines(True) if line.startswith("#"))
    assert used == _secrets_documented_in(header)
    assert used <= _secrets_documented_in((PACKAGING / "README.md").read_text())
    build_section = (ROOT / "README.md").read_text().split("## Build installers", 1)[1]
    assert used <= _secrets_documented_in(build_section.split("\n## ", 1)[0])
    for runner in ("windows-latest", "macos-14", "macos-15-intel"):
        assert f"os: {runner}" in workflow
    assert "packaging/build.py --self-test" in workflow
    for script in re.findall(r"(packaging/[\w/]+\.(?:sh|ps1|iss|py))", workflow):
        assert (ROOT / script).is_file(), script


def test_the_workflow_is_valid_yaml() -> None:
    import yaml
    data = yaml.safe_load(WORKFLOW.read_text())
    triggers = data[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["tags"] == ["v*"] and "workflow_dispatch" in triggers
    oses = [row["os"] for row in data["jobs"]["build"]["strategy"]["matrix"]["include"]]
    assert oses == ["windows-latest", "macos-14", "macos-15-intel"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_shell_scripts_parse() -> None:
    for script in [*PACKAGING.glob("macos/*.sh"), ROOT / ".ci" / "run"]:
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, (script, done.stderr)
        assert "set -euo pipefail" in script.read_text()


def test_the_installer_script_is_per_user_and_finds_its_files() -> None:
    iss = (PACKAGING / "windows" / "shopdesk.iss").read_text()
    assert "PrivilegesRequired=lowest" in iss
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", iss, re.M)  # fixed: upgrades in place
    assert "OutputBaseFilename=Shopdesk-{#AppVersion}-setup" in iss
    assert not re.search(r"^\[UninstallDelete\]", iss, re.M)  # the merchant's data stays
    icon = re.search(r"^SetupIconFile=(.+)$", iss, re.M)
    assert icon and (PACKAGING / "windows" / icon.group(1).replace("\\", "/")).resolve() == (
        ICONS / "shopdesk.ico"
    )
    default_source = re.search(r'#define SourceDir "(.+)"', iss)
    assert default_source
    assert (PACKAGING / "windows" / default_source.group(1).replace("\\", "/")).resolve() == (
        ROOT / "dist" / "Shopdesk"
    )


def test_the_readme_still_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text().splitlines()
    assert lines[3].startswith("python3 scripts/dev.py app ")
    assert lines[4].startswith("python3 scripts/dev.py test ")
    assert "## Install" in lines and "## Build installers" in lines
