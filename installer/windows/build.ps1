<#
.SYNOPSIS
  Build the Windows installer: dist\unsit-<version>-windows-x64-setup.exe

.DESCRIPTION
  Run on 64-bit Windows 10/11 from any folder:
    powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
  Needs Python 3.10+ (python.org or "py" launcher) and Inno Setup 6.3+ (ISCC.exe on PATH or in
  its default folder; e.g. "winget install JRSoftware.InnoSetup"). Makes a build venv in
  build\windows\venv, installs the project and PyInstaller there, freezes the app with
  installer\unsit.spec and packs it with installer\windows\unsit.iss.

.PARAMETER Python
  The Python to make the build venv with (default: "py -3" if the launcher exists, else "python").

.PARAMETER Out
  Where the setup program is written (default: dist in the repository).

.NOTES
  Signing: set UNSIT_SIGN_COMMAND to a command line with {file} where the file goes, e.g.
    signtool sign /fd sha256 /tr <your CA's timestamp URL> /td sha256 /n "<certificate subject>" "{file}"
  It runs for unsit.exe and unsit-cli.exe before packing and for the setup program after.
  Without it the build says so and leaves them unsigned (SmartScreen then warns on download).
  Both programs carry a version resource either way (installer\bundle_metadata.py).
#>
param(
    [string]$Python = "",
    [string]$Out = ""
)
$ErrorActionPreference = "Stop"
$PyInstallerVersion = "6.22.3"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
$Work = Join-Path $Root "build\windows"
if (-not $Out) { $Out = Join-Path $Root "dist" }
New-Item -ItemType Directory -Force -Path $Work, $Out | Out-Null

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# --- Build venv with the app and PyInstaller ----------------------------------------------
$Py = Join-Path $Work "venv\Scripts\python.exe"
if (-not (Test-Path $Py)) {
    Write-Host "== Making a build venv in $Work\venv"
    if ($Python) { $base = $Python -split " " }
    elseif (Get-Command py -ErrorAction SilentlyContinue) { $base = @("py", "-3") }
    else { $base = @("python") }
    $baseArgs = @()
    if ($base.Count -gt 1) { $baseArgs = $base[1..($base.Count - 1)] }
    Invoke-Checked $base[0] ($baseArgs + @("-m", "venv", (Join-Path $Work "venv")))
}
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
# Babel: the spec compiles the translations with it (a build requirement, not bundled).
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", $Root, "pyinstaller==$PyInstallerVersion", "babel>=2.12")
$Version = (& $Py -c "import unsit; print(unsit.__version__)").Trim()

# --- Icon and frozen app ------------------------------------------------------------------
Write-Host "== Freezing Unsit $Version"
$Icon = Join-Path $Work "unsit.ico"
Invoke-Checked $Py @((Join-Path $Root "scripts\render_icons.py"), "--svg", (Join-Path $Root "assets\icons\unsit.svg"), "--ico", $Icon)
$env:UNSIT_ICON = $Icon
$env:UNSIT_VERSION = $Version
Push-Location $Root
try {
    Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", (Join-Path $Work "dist"), "--workpath", (Join-Path $Work "pyinstaller"),
        "installer\unsit.spec")
} finally { Pop-Location }
$Bundle = Join-Path $Work "dist\unsit"
Invoke-Checked (Join-Path $Bundle "unsit-cli.exe") @("--version")

function Invoke-Signing {
    param([string]$File)
    if (-not $env:UNSIT_SIGN_COMMAND) { return }
    $line = $env:UNSIT_SIGN_COMMAND.Replace("{file}", $File)
    Write-Host "signing $File"
    & cmd.exe /d /c $line
    if ($LASTEXITCODE -ne 0) { throw "signing $File failed with exit code $LASTEXITCODE" }
}
if ($env:UNSIT_SIGN_COMMAND) {
    Invoke-Signing (Join-Path $Bundle "unsit.exe")
    Invoke-Signing (Join-Path $Bundle "unsit-cli.exe")
} else {
    Write-Host "UNSIT_SIGN_COMMAND is not set: unsit.exe, unsit-cli.exe and the setup program stay unsigned"
}

# --- Installer ----------------------------------------------------------------------------
Write-Host "== Packing with Inno Setup"
$Iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue
if ($Iscc) { $Iscc = $Iscc.Source }
else {
    $Iscc = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    ) | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) not found: install it, e.g. winget install JRSoftware.InnoSetup" }
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$Version", "/DSourceDir=$Bundle", "/DIconFile=$Icon",
    "/O$Out", (Join-Path $Root "installer\windows\unsit.iss"))

$Setup = Join-Path $Out "unsit-$Version-windows-x64-setup.exe"
Invoke-Signing $Setup
$BundleBytes = (Get-ChildItem $Bundle -Recurse -File | Measure-Object -Property Length -Sum).Sum
Write-Host ("bundle (unpacked): {0:N1} MiB" -f ($BundleBytes / 1MB))
Write-Host ("setup program:     {0:N1} MiB" -f ((Get-Item $Setup).Length / 1MB))
Write-Host $Setup
