# Sign Windows files with signtool (SHA-256, RFC 3161 timestamp).
#   pwsh packaging/windows/sign.ps1 dist\Shopdesk\Shopdesk.exe
#   pwsh packaging/windows/sign.ps1 dist\Shopdesk-0.1.0-setup.exe
# Needs WINDOWS_CERT_PFX_BASE64 (the code-signing .pfx, base64) and WINDOWS_CERT_PASSWORD.
# The .pfx is written to the job's temporary folder and deleted at the end.
param([Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)][string[]]$Files)
$ErrorActionPreference = "Stop"

if (-not $env:WINDOWS_CERT_PFX_BASE64) { throw "WINDOWS_CERT_PFX_BASE64 is not set" }
if (-not $env:WINDOWS_CERT_PASSWORD) { throw "WINDOWS_CERT_PASSWORD is not set" }
$timestamp = if ($env:WINDOWS_TIMESTAMP_URL) { $env:WINDOWS_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }

# signtool from the newest Windows SDK on the machine (GitHub's Windows runners have one).
$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
    Sort-Object FullName -Descending | Select-Object -First 1
if (-not $signtool) { throw "signtool.exe not found: install the Windows SDK" }

$tmp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { $env:TEMP }
$pfx = Join-Path $tmp "shopdesk-signing.pfx"
[IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERT_PFX_BASE64))
try {
    foreach ($file in $Files) {
        & $signtool.FullName sign /f $pfx /p $env:WINDOWS_CERT_PASSWORD /fd SHA256 `
            /tr $timestamp /td SHA256 /d "Shopdesk" $file
        if ($LASTEXITCODE -ne 0) { throw "signtool could not sign $file" }
        & $signtool.FullName verify /pa /v $file | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "the signature of $file does not verify" }
        Write-Output "signed $file"
    }
}
finally {
    Remove-Item -Force $pfx -ErrorAction SilentlyContinue
}
