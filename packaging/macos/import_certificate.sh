#!/usr/bin/env bash
# Put the Developer ID Application certificate into a temporary keychain for this CI job.
#   MACOS_CERT_P12_BASE64  the .p12 export (certificate and private key), base64-encoded
#   MACOS_CERT_PASSWORD    the .p12's password
# Prints nothing secret; the keychain is deleted by the runner when the job ends
# (or by `security delete-keychain "$RUNNER_TEMP/shopdesk-signing.keychain-db"`).
set -euo pipefail

: "${MACOS_CERT_P12_BASE64:?MACOS_CERT_P12_BASE64 is not set}"
: "${MACOS_CERT_PASSWORD:?MACOS_CERT_PASSWORD is not set}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
keychain="$temp/shopdesk-signing.keychain-db"
keychain_password="$(uuidgen)"
p12="$temp/shopdesk-signing.p12"

printf '%s' "$MACOS_CERT_P12_BASE64" | base64 --decode > "$p12"
security create-keychain -p "$keychain_password" "$keychain"
security set-keychain-settings -lut 21600 "$keychain"
security unlock-keychain -p "$keychain_password" "$keychain"
security import "$p12" -k "$keychain" -P "$MACOS_CERT_PASSWORD" -T /usr/bin/codesign -T /usr/bin/security
security set-key-partition-list -S apple-tool:,apple:,codesign: -s -k "$keychain_password" "$keychain" > /dev/null
# Search our keychain first, then the user's (for Apple's intermediate certificates).
security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')
rm -f "$p12"
security find-identity -v -p codesigning "$keychain" | sed -n '1,5p'
