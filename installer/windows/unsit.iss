; Inno Setup script for Unsit (Inno Setup 6.3 or later). build.ps1 runs it as:
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=<bundle folder> /DIconFile=<unsit.ico> /O<out dir> unsit.iss
;
; Per-user install (no administrator rights): %LOCALAPPDATA%\Programs\Unsit, a Start menu entry,
; and an optional "start when I sign in" (the same HKCU Run value the app's own setting uses).
; Uninstalling stops the running app and removes the program, the Start menu entry and the
; Run value; settings and history in %LOCALAPPDATA%\unsit are kept.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\build\windows\dist\unsit"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\windows\unsit.ico"
#endif

[Setup]
; The AppId identifies the app to Windows' uninstaller list: never change it.
AppId={{C9C80549-746A-4125-8905-DDED08598517}
AppName=Unsit
AppVersion={#AppVersion}
AppVerName=Unsit {#AppVersion}
AppPublisher=The Unsit developers
AppComments=Counts how long you have been sitting and nudges you to do a short hip drill.
DefaultDirName={autopf}\Unsit
DefaultGroupName=Unsit
DisableProgramGroupPage=yes
DisableDirPage=auto
; Per-user only: {autopf} becomes %LOCALAPPDATA%\Programs and {autoprograms} the user's Start menu.
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=unsit-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\unsit.exe
UninstallDisplayName=Unsit
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; The app holds the session mutex Local\UnsitRunning while it runs (unsit/platform/windows_instance.py):
; setup and uninstall ask the user to quit it first instead of replacing files under it.
AppMutex=UnsitRunning
; Let the Restart Manager close a running Unsit before files are replaced or removed.
CloseApplications=yes
RestartApplications=no
; The setup program's own version resource (the app's programs get theirs from unsit.spec).
VersionInfoVersion={#AppVersion}
VersionInfoProductName=Unsit
VersionInfoCompany=The Unsit developers
VersionInfoDescription=Unsit setup
VersionInfoCopyright=MIT licence, the Unsit developers

[Tasks]
Name: "startatlogin"; Description: "Start Unsit when I sign in"; GroupDescription: "Start-up:"

[InstallDelete]
; An upgrade replaces the bundle's libraries instead of overlaying them: a DLL or Qt plugin the new
; version no longer ships would otherwise stay in _internal and could be loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Unsit"; Filename: "{app}\unsit.exe"; WorkingDir: "{app}"; \
  Comment: "Counts how long you have been sitting and nudges you to stand up"

[Registry]
; Written only when the task is ticked; the app's settings window can turn it on or off later.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; \
  ValueName: "Unsit"; ValueData: """{app}\unsit.exe"""; Flags: uninsdeletevalue; Tasks: startatlogin
; Always removed on uninstall, even when the app itself turned start-at-login on.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: none; \
  ValueName: "Unsit"; Flags: uninsdeletevalue

[Run]
Filename: "{app}\unsit.exe"; Description: "Start Unsit now"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; Ask a running Unsit to quit so its files can be removed.
Filename: "{app}\unsit-cli.exe"; Parameters: "quit"; Flags: runhidden waituntilterminated; \
  RunOnceId: "QuitUnsit"

[UninstallDelete]
; Python byte-code caches or logs the app may have written next to itself.
Type: filesandordirs; Name: "{app}"
