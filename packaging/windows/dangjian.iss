; Inno Setup 6 script for 街道党建工作台 (build on Windows: see packaging\README.md).
; packaging\windows\build_windows.ps1 runs PyInstaller first (dist\dangjian\) and then
;   ISCC.exe /DAppVersion=X.Y.Z packaging\windows\dangjian.iss
; This file is UTF-8 with a BOM (Inno Setup before 6.3 needs the BOM for Chinese text).
#ifndef AppVersion
  #error Pass the version: ISCC.exe /DAppVersion=X.Y.Z dangjian.iss (build_windows.ps1 does)
#endif

; Simplified Chinese messages: Inno Setup's own file if it ships one, else a copy placed
; beside this script (download ChineseSimplified.isl from https://jrsoftware.org/files/istrans/).
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\Unofficial\ChineseSimplified.isl"
#elif FileExists(SourcePath + "ChineseSimplified.isl")
  #define ChineseIsl SourcePath + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: copy it from https://jrsoftware.org/files/istrans/ into packaging\windows\
#endif

[Setup]
AppId={{6F1E2B7A-3C4D-4E5F-9A8B-7C6D5E4F3A2B}
AppName=街道党建工作台
AppVersion={#AppVersion}
AppVerName=街道党建工作台 {#AppVersion}
AppPublisher=街道党建工作台开发组
VersionInfoVersion={#AppVersion}
VersionInfoProductName=街道党建工作台
DefaultDirName={autopf}\街道党建工作台
DefaultGroupName=街道党建工作台
DisableProgramGroupPage=yes
; Per-user install works without administrator rights on locked-down office PCs;
; an administrator may still choose "install for all users".
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=dangjian-{#AppVersion}-windows-setup
SetupIconFile=..\..\resources\icons\dangjian.ico
UninstallDisplayIcon={app}\dangjian.exe
UninstallDisplayName=街道党建工作台 {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running copy before files are replaced on upgrade.
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："

[InstallDelete]
; Upgrades: files of the previous version's _internal folder are replaced as a whole.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\dangjian\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\街道党建工作台"; Filename: "{app}\dangjian.exe"
Name: "{group}\卸载街道党建工作台"; Filename: "{uninstallexe}"
Name: "{autodesktop}\街道党建工作台"; Filename: "{app}\dangjian.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\dangjian.exe"; Description: "立即启动街道党建工作台"; Flags: nowait postinstall skipifsilent

; The clerk's database lives in %LOCALAPPDATA%\dangjian\dangjian (platformdirs) and is
; never removed by the uninstaller, which deletes only what [Files] installed.
