<#
.SYNOPSIS
  Checks on a real Windows (the CI workflow's Windows job): install the setup program silently with
  "Start Unsit when I sign in", then prove what issue 25 asks of the installed app.

.DESCRIPTION
  1. the Run value "Unsit" exists after the install;
  2. the first launch (no settings file yet) keeps it and saves start_at_login = true;
  3. unsit-cli status --json answers from the running app, as JSON;
  4. a second launch exits and leaves one unsit.exe;
  5. unsit-cli quit ends it; the silent uninstall removes the program and the Run value.
  Never run from the machine this was written on (Linux); a failing step names what it expected.
#>
param([Parameter(Mandatory = $true)][string]$Setup)
$ErrorActionPreference = "Stop"

function Fail([string]$Message) { Write-Host "::error::$Message"; exit 1 }
function Wait-Until([scriptblock]$Condition, [int]$Seconds, [string]$What) {
    $deadline = (Get-Date).AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ((Get-Date) -gt $deadline) { Fail "timed out after $Seconds s waiting for $What" }
        Start-Sleep -Milliseconds 250
    }
}
$RunKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Run"
function Get-RunValue { (Get-ItemProperty -Path $RunKey -Name "Unsit" -ErrorAction SilentlyContinue).Unsit }

Write-Host "== Installing $Setup silently, with start at login"
$install = Start-Process -FilePath $Setup -Wait -PassThru -ArgumentList @(
    "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/TASKS=startatlogin", "/LOG=$env:RUNNER_TEMP\unsit-setup.log")
if ($install.ExitCode -ne 0) { Fail "the setup program exited with $($install.ExitCode)" }
$App = Join-Path $env:LOCALAPPDATA "Programs\Unsit"
$Gui = Join-Path $App "unsit.exe"
$Cli = Join-Path $App "unsit-cli.exe"
foreach ($file in @($Gui, $Cli)) { if (-not (Test-Path $file)) { Fail "$file is missing after the install" } }
$run = Get-RunValue
if (-not $run) { Fail "the installer wrote no Run value 'Unsit'" }
Write-Host "Run value: $run"
$version = (Get-Item $Gui).VersionInfo
if ($version.ProductName -ne "Unsit") { Fail "unsit.exe has no version resource (ProductName '$($version.ProductName)')" }
Write-Host "version resource: $($version.ProductName) $($version.FileVersion)"

Write-Host "== First launch"
$first = Start-Process -FilePath $Gui -PassThru
Wait-Until { & $Cli status --json *> $null; $LASTEXITCODE -eq 0 } 60 "unsit-cli status to answer"
$status = (& $Cli status --json) | ConvertFrom-Json
if ($null -eq $status.phase) { Fail "status --json has no 'phase': $status" }
Write-Host "status: phase=$($status.phase) idle=$($status.idle_source)"
Wait-Until { $settings = Get-ChildItem -Path $env:LOCALAPPDATA -Recurse -Filter settings.toml -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -match "unsit" } | Select-Object -First 1
    $settings -and (Select-String -Path $settings.FullName -Pattern "start_at_login = true" -Quiet) } 15 `
    "the adopted start_at_login = true in the settings file"
if (-not (Get-RunValue)) { Fail "the first launch removed the installer's Run value" }

Write-Host "== Second launch"
$second = Start-Process -FilePath $Gui -PassThru
if (-not $second.WaitForExit(30000)) { Fail "the second launch is still running after 30 s" }
$running = @(Get-Process -Name unsit -ErrorAction SilentlyContinue)
if ($running.Count -ne 1) { Fail "$($running.Count) unsit.exe processes after a double launch (one expected)" }
if ($first.HasExited) { Fail "the first instance exited" }

Write-Host "== Quit and uninstall"
& $Cli quit
Wait-Until { $first.HasExited } 20 "the app to quit"
$uninstaller = Get-ChildItem -Path $App -Filter "unins*.exe" | Select-Object -First 1
$remove = Start-Process -FilePath $uninstaller.FullName -Wait -PassThru -ArgumentList @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART")
if ($remove.ExitCode -ne 0) { Fail "the uninstaller exited with $($remove.ExitCode)" }
Wait-Until { -not (Test-Path $Gui) } 30 "the program to be removed"
if (Get-RunValue) { Fail "the uninstaller left the Run value" }
Write-Host "all Windows installer checks passed"
