; Packdesk's Windows installer (Inno Setup 6). Build it on Windows after the app folder:
;     python dev.py package        (runs PyInstaller, then iscc on this script)
; or by hand:  iscc /DAppVersion=0.1.0 /O..\..\dist packdesk.iss
; It installs dist\packdesk\ (packdesk.exe for the command line, packdesk-gui.exe for the
; Start menu), per user (no administrator needed) or for all users of the PC, with a Start-menu
; entry, an optional desktop shortcut and an uninstaller. Upgrades replace the program (same
; AppId) and never touch the user's data: database, settings and logs live in
; %LOCALAPPDATA%\Packdesk (platformdirs), never in the install folder. The uninstaller asks
; whether to delete them too; the answer that is proposed is "keep".
; docs/installers.md explains the choices.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Packdesk"
#define DistDir "..\..\dist\packdesk"

[Setup]
; never change the AppId: it is how an upgrade finds (and replaces) the installed Packdesk
AppId={{6E0B7C1A-3F4D-4B8E-9A52-8D1C5E2F7A90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Packdesk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per user by default (no administrator); the first page offers "all users" as well
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsePreviousPrivileges=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\icons\packdesk.ico
UninstallDisplayIcon={app}\packdesk-gui.exe
UninstallDisplayName={#AppName}
LicenseFile=..\..\LICENSE
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; a running Packdesk is closed before its files are replaced (and started again after)
CloseApplications=yes
RestartApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[CustomMessages]
en.DeleteData=Also delete this PC's Packdesk data?%n%n%1%n%nIt holds the local database (orders, stock, users), the settings and the logs. Choose No to keep them for a later install (recommended).
en.OpenPackdesk=Start Packdesk
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
zh_CN.DeleteData=同时删除本机的 Packdesk 数据吗？%n%n%1%n%n其中有本地数据库（订单、库存、用户）、设置和日志。选择“否”可保留，以后重新安装时继续使用（推荐）。
zh_CN.OpenPackdesk=启动 Packdesk
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade starts from a clean program folder: files the old version had and the new one
; does not are not left behind (the user's data is elsewhere)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\packdesk-gui.exe"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\packdesk-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\packdesk-gui.exe"; Description: "{cm:OpenPackdesk}"; Flags: nowait postinstall skipifsilent

[Code]
{ The user's data folder: platformdirs' user data dir for "Packdesk" (app/config.py). }
function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\Packdesk');
end;

{ Asked after the program is gone: keep the data unless the user says Yes. A silent uninstall
  (an upgrade script, /SILENT) always keeps it. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(UserDataDir()) and
     (not UninstallSilent()) then
  begin
    if MsgBox(FmtMessage(CustomMessage('DeleteData'), [UserDataDir()]), mbConfirmation,
              MB_YESNO or MB_DEFBUTTON2) = IDYES then
      DelTree(UserDataDir(), True, True, True);
  end;
end;
