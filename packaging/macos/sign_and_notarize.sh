#!/usr/bin/env bash
# Sign Shopdesk.app (every Mach-O innermost first, then each framework, then the app; hardened
# runtime and secure timestamp), make the .dmg, sign it, notarise it with notarytool and staple.
#   packaging/macos/sign_and_notarize.sh dist/Shopdesk.app dist/Shopdesk-0.1.0-macos-arm64.dmg
# Needs (see packaging/README.md):
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)", in an unlocked keychain
#                         (packaging/macos/import_certificate.sh puts it there on CI)
#   and for notarising, either an app-specific password:
#     APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD
#   or an App Store Connect API key:
#     APPLE_API_KEY_BASE64 (the .p8 file, base64), APPLE_API_KEY_ID, APPLE_API_ISSUER_ID
# SKIP_NOTARIZE=1 signs without notarising (a local check of the signatures).
set -euo pipefail

app="${1:?usage: sign_and_notarize.sh APP DMG}"
dmg="${2:?usage: sign_and_notarize.sh APP DMG}"
: "${MACOS_SIGN_IDENTITY:?MACOS_SIGN_IDENTITY is not set}"
here="$(cd "$(dirname "$0")" && pwd)"
entitlements="$here/entitlements.plist"

sign() {  # sign one file or bundle; executables get the entitlements
    local target="$1"
    shift
    codesign --force --timestamp --options runtime --sign "$MACOS_SIGN_IDENTITY" "$@" "$target"
}

by_depth() {  # paths on stdin, deepest first (macOS ships bash 3.2: no mapfile)
    awk -F/ '{ print NF "\t" $0 }' | sort -rn -k1,1 | cut -f2-
}

echo "== signing the Mach-O files inside $app, innermost first"
find "$app/Contents" -type f ! -path "$app/Contents/MacOS/*" -print | while IFS= read -r file; do
    if file -b "$file" | grep -q "Mach-O"; then printf '%s\n' "$file"; fi
done | by_depth | while IFS= read -r file; do
    if file -b "$file" | grep -q "executable"; then
        sign "$file" --entitlements "$entitlements"
    else
        sign "$file"
    fi
done

echo "== signing the frameworks and nested bundles"
find "$app/Contents" -type d \( -name "*.framework" -o -name "*.app" -o -name "*.bundle" \) \
    -print | by_depth | while IFS= read -r bundle; do
    sign "$bundle"
done

echo "== signing the app"
sign "$app" --entitlements "$entitlements"
codesign --verify --strict --deep --verbose=2 "$app"
codesign --display --verbose=2 "$app" 2>&1 | grep -E "Identifier|TeamIdentifier|flags|Timestamp"

echo "== the disk image"
"$here/make_dmg.sh" "$app" "$dmg"
codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
codesign --verify --verbose=2 "$dmg"

if [[ "${SKIP_NOTARIZE:-}" == "1" ]]; then
    echo "== SKIP_NOTARIZE=1: signed, not notarised"
    exit 0
fi

echo "== notarising (this waits for Apple, usually a few minutes)"
auth=()
if [[ -n "${APPLE_API_KEY_BASE64:-}" ]]; then
    : "${APPLE_API_KEY_ID:?APPLE_API_KEY_ID is not set}"
    : "${APPLE_API_ISSUER_ID:?APPLE_API_ISSUER_ID is not set}"
    key="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/AuthKey_${APPLE_API_KEY_ID}.p8"
    printf '%s' "$APPLE_API_KEY_BASE64" | base64 --decode > "$key"
    trap 'rm -f "$key"' EXIT
    auth=(--key "$key" --key-id "$APPLE_API_KEY_ID" --issuer "$APPLE_API_ISSUER_ID")
else
    : "${APPLE_ID:?APPLE_ID (or APPLE_API_KEY_BASE64) is not set}"
    : "${APPLE_TEAM_ID:?APPLE_TEAM_ID is not set}"
    : "${APPLE_APP_PASSWORD:?APPLE_APP_PASSWORD is not set}"
    auth=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
fi
result="$(xcrun notarytool submit "$dmg" "${auth[@]}" --wait --output-format json)"
echo "$result"
status="$(printf '%s' "$result" | plutil -extract status raw -o - -)"
if [[ "$status" != "Accepted" ]]; then
    id="$(printf '%s' "$result" | plutil -extract id raw -o - -)"
    xcrun notarytool log "$id" "${auth[@]}" || true
    echo "notarisation: $status" >&2
    exit 1
fi

echo "== stapling the ticket"
xcrun stapler staple "$dmg"
xcrun stapler validate "$dmg"
spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
