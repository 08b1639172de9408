#!/usr/bin/env bash
# A compressed disk image holding Shopdesk.app and a link to /Applications (drag to install).
#   packaging/macos/make_dmg.sh dist/Shopdesk.app dist/Shopdesk-0.1.0-macos-arm64.dmg
set -euo pipefail

app="${1:?usage: make_dmg.sh APP DMG}"
dmg="${2:?usage: make_dmg.sh APP DMG}"
[[ -d "$app" ]] || { echo "make_dmg.sh: no app at $app" >&2; exit 1; }

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# ditto keeps symlinks, extended attributes and the code signature intact.
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "Shopdesk" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
echo "made $dmg ($(du -h "$dmg" | cut -f1))"
