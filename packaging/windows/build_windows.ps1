# Build the Windows installer dist\dangjian-VERSION-windows-setup.exe.
# Run in PowerShell from the repository root on Windows 10/11 (x64), with Python 3.11+
# (x64, from python.org) and Inno Setup 6 installed -- see packaging\README.md:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
# Options: -Python "py -3.11" (default: python), -SkipInstaller (only the dist\dangjian folder).
# This file is ASCII on purpose: Windows PowerShell 5.1 reads BOM-less files as ANSI.
param(
    [string]$Python = "python",
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent (Split-Path -Parent $PSScriptRoot))

function Invoke-Checked([string]$what, [scriptblock]$block) {
    & $block
    if ($LASTEXITCODE -ne 0) { throw "$what failed (exit code $LASTEXITCODE)" }
}
$py = $Python.Split(" ")
$pyExe = $py[0]
$pyArgs = @($py | Select-Object -Skip 1)

Invoke-Checked "Python 3.11+ check" {
    & $pyExe @pyArgs -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) and sys.maxsize > 2**32 else 1)"
}
$version = (& $pyExe @pyArgs packaging\version.py).Trim()
if (-not $version) { throw "no version in pyproject.toml" }
Write-Host "Building dangjian $version"

# The project itself (its metadata carries the version shown in the About box) and PyInstaller.
Invoke-Checked "pip install" { & $pyExe @pyArgs -m pip install -e . "pyinstaller>=6.10,<7" }
# The spec fills in the version resource (packaging\windows\version_info.txt) and the icon itself.
Invoke-Checked "PyInstaller" {
    & $pyExe @pyArgs -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\dangjian.spec
}
foreach ($f in @("dangjian.exe", "dangjian-cli.exe", "_internal\resources\fonts\wqy-microhei.ttc",
                 "_internal\PySide6\translations\qtbase_zh_CN.qm", "_internal\licenses\LGPL-3.txt")) {
    if (-not (Test-Path "dist\dangjian\$f")) { Write-Warning "not in the bundle: dist\dangjian\$f" }
}
# Quick check of the built program: a demo database in a temporary data directory.
$env:DANGJIAN_DATA_DIR = Join-Path $env:TEMP "dangjian-build-check"
Remove-Item -Recurse -Force $env:DANGJIAN_DATA_DIR -ErrorAction SilentlyContinue
$check = Start-Process -FilePath "dist\dangjian\dangjian-cli.exe" -ArgumentList "demo", "--members", "50" -Wait -PassThru -NoNewWindow
if ($check.ExitCode -ne 0) { throw "dist\dangjian\dangjian-cli.exe demo failed (exit code $($check.ExitCode))" }
if (-not (Test-Path (Join-Path $env:DANGJIAN_DATA_DIR "dangjian.sqlite3"))) { throw "the built program did not create a database" }
Remove-Item Env:\DANGJIAN_DATA_DIR
Write-Host "dist\dangjian\dangjian.exe works"
if ($SkipInstaller) { return }

$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
          "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
          "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found; install it from https://jrsoftware.org/isdl.php" }
Invoke-Checked "Inno Setup" { & $iscc "/DAppVersion=$version" packaging\windows\dangjian.iss }
Write-Host "built dist\dangjian-$version-windows-setup.exe"
