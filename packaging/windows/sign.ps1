# Sign Windows files with signtool (SHA-256, RFC 3161 timestamp).
#   pwsh packaging/windows/sign.ps1 dist\Shopdesk              # every unsigned .exe/.dll/.pyd in it
#   pwsh packaging/windows/sign.ps1 dist\Shopdesk-0.1.0-setup.exe
# Inno Setup also calls it (SignTool, see shopdesk.iss) for the installer and its uninstaller.
# A folder is searched for .exe, .dll and .pyd files that carry no signature yet (Python's and
# Qt's own DLLs are signed by their makers and left as they are).
# Needs WINDOWS_CERT_PFX_BASE64 (the code-signing .pfx, base64) and WINDOWS_CERT_PASSWORD, read
# from the environment (never from the command line, which Inno Setup prints).
# The .pfx is written to the job's temporary folder and deleted at the end.
param([Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)][string[]]$Paths)
$ErrorActionPreference = "Stop"

if (-not $env:WINDOWS_CERT_PFX_BASE64) { throw "WINDOWS_CERT_PFX_BASE64 is not set" }
if (-not $env:WINDOWS_CERT_PASSWORD) { throw "WINDOWS_CERT_PASSWORD is not set" }
$timestamp = if ($env:WINDOWS_TIMESTAMP_URL) { $env:WINDOWS_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }

$files = @(foreach ($path in $Paths) {
    if (Test-Path -LiteralPath $path -PathType Container) {
        Get-ChildItem -LiteralPath $path -Recurse -File |
            Where-Object { $_.Extension -in ".exe", ".dll", ".pyd" } |
            Where-Object { (Get-AuthenticodeSignature -LiteralPath $_.FullName).Status -eq "NotSigned" } |
            ForEach-Object { $_.FullName }
    } else {
        $path
    }
})
if ($files.Count -eq 0) { Write-Output "nothing unsigned in $Paths"; exit 0 }

# signtool from the newest Windows SDK on the machine (GitHub's Windows runners have one).
$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
    Sort-Object FullName -Descending | Select-Object -First 1
if (-not $signtool) { throw "signtool.exe not found: install the Windows SDK" }

$tmp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { $env:TEMP }
$pfx = Join-Path $tmp "shopdesk-signing-$PID.pfx"
[IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERT_PFX_BASE64))
try {
    for ($i = 0; $i -lt $files.Count; $i += 50) {  # 50 files per signtool run
        $batch = $files[$i..([Math]::Min($i + 49, $files.Count - 1))]
        & $signtool.FullName sign /f $pfx /p $env:WINDOWS_CERT_PASSWORD /fd SHA256 `
            /tr $timestamp /td SHA256 /d "Shopdesk" @batch
        if ($LASTEXITCODE -ne 0) { throw "signtool could not sign $($batch -join ', ')" }
        & $signtool.FullName verify /pa @batch | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "a signature of $($batch -join ', ') does not verify" }
    }
    Write-Output "signed $($files.Count) files"
}
finally {
    Remove-Item -Force $pfx -ErrorAction SilentlyContinue
}
