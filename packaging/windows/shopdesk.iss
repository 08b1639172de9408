; Inno Setup script: Shopdesk-<version>-setup.exe from the PyInstaller folder dist\Shopdesk.
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\Shopdesk /DOutputDir=..\..\dist packaging\windows\shopdesk.iss
; Per-user install (no administrator rights): %LOCALAPPDATA%\Programs\Shopdesk, a Start menu
; entry, an uninstaller. The merchant's data is in %LOCALAPPDATA%\Shopdesk (platformdirs), never
; in the install folder, so upgrades and uninstalling leave it alone.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\Shopdesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef OutputSuffix
  #define OutputSuffix ""
#endif

[Setup]
; The AppId ties every version together: a new installer upgrades the old install in place.
AppId={{C33A2E14-C910-439B-B36F-446C76BF3A08}
AppName=Shopdesk
AppVersion={#AppVersion}
AppVerName=Shopdesk {#AppVersion}
AppPublisher=Shopdesk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Shopdesk
DefaultGroupName=Shopdesk
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=Shopdesk-{#AppVersion}-setup{#OutputSuffix}
SetupIconFile=..\..\resources\icons\shopdesk.ico
UninstallDisplayIcon={app}\Shopdesk.exe
UninstallDisplayName=Shopdesk
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
MinVersion=10.0
#ifdef SignToolName
; Signed builds (iscc /DSignToolName=shopdesk "/Sshopdesk=pwsh ... sign.ps1 $f"): the installer
; and the uninstaller it writes are both signed by that tool.
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "finnish"; MessagesFile: "compiler:Languages\Finnish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The bundle is replaced whole on an upgrade: no library of the old version may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Shopdesk"; Filename: "{app}\Shopdesk.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\Shopdesk"; Filename: "{app}\Shopdesk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\Shopdesk.exe"; Description: "{cm:LaunchProgram,Shopdesk}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for the data folder: uninstalling keeps the merchant's mail and settings.
