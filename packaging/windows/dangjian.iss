; Inno Setup 6 script for 街道党建工作台 (build on Windows: see packaging/README.md).
; The version is passed by build_windows.ps1 as /DAppVersion=X.Y.Z.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1E2B7A-3C4D-4E5F-9A8B-7C6D5E4F3A2B}
AppName=街道党建工作台
AppVersion={#AppVersion}
AppPublisher=街道党建工作台开发组
DefaultDirName={autopf}\街道党建工作台
DefaultGroupName=街道党建工作台
; Per-user install works without administrator rights on locked-down office PCs.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=dangjian-{#AppVersion}-windows-setup
SetupIconFile=..\..\resources\icons\dangjian.ico
UninstallDisplayIcon={app}\dangjian.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0

[Languages]
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加快捷方式："

[Files]
Source: "..\..\dist\dangjian\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\街道党建工作台"; Filename: "{app}\dangjian.exe"
Name: "{group}\卸载街道党建工作台"; Filename: "{uninstallexe}"
Name: "{autodesktop}\街道党建工作台"; Filename: "{app}\dangjian.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\dangjian.exe"; Description: "立即启动街道党建工作台"; Flags: nowait postinstall skipifsilent

; The clerk's database lives in %LOCALAPPDATA%\dangjian and is never removed by the uninstaller.
