# Build the Windows installer. Run in PowerShell from the repository root on Windows 10/11
# with Python 3.11 (x64) and Inno Setup 6 installed:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
$ErrorActionPreference = "Stop"
$version = (python packaging\version.py).Trim()
$parts = ($version.Split(".") + @("0", "0", "0"))[0..3] -join ", "
(Get-Content packaging\windows\version_info.txt -Encoding UTF8) `
  -replace "filevers=\([^)]*\)", "filevers=($parts)" `
  -replace "prodvers=\([^)]*\)", "prodvers=($parts)" `
  -replace "'(FileVersion|ProductVersion)', '[^']*'", "'`$1', '$version'" |
  Set-Content packaging\windows\version_info.txt -Encoding UTF8
python -m pip install -e . "pyinstaller>=6.10"
python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\dangjian.spec
$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { $iscc = "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\dangjian.iss
Write-Host "built dist\dangjian-$version-windows-setup.exe"
