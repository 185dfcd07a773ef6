; Registry Desk: Windows installer (NSIS 3, Unicode). Built on Windows from the PyInstaller
; bundle; the steps are in installers/windows/README.md:
;
;   makensis /DVERSION=0.1.0 installers\windows\registry-desk.nsi
;
; Optional: /DBUNDLE=<bundle folder> (default dist\registry-desk), /DOUTFILE=<setup .exe>
; (default dist\RegistryDesk-<version>-setup.exe). Paths default relative to this script.
; installers/windows/check_nsis.sh compiles it on Linux against a dummy bundle.
;
; Installs for all users into Program Files, a Start menu shortcut to the windowed
; RegistryDesk.exe, optionally a desktop shortcut, an "Apps & features" entry and an App Paths
; key for registry-desk.exe (the console program, for the command line). The uninstaller
; removes the program only: drafts and settings in %LOCALAPPDATA%\RegistryDesk stay.

Unicode true
!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!ifndef VERSION
  !error "Pass the version: makensis /DVERSION=x.y.z registry-desk.nsi"
!endif
!define /ifndef BUNDLE "${__FILEDIR__}\..\..\dist\registry-desk"
!define /ifndef OUTFILE "${__FILEDIR__}\..\..\dist\RegistryDesk-${VERSION}-setup.exe"
; Windows wants four numbers in the file version: 0.1.0 -> 0.1.0.0
!define /ifndef VERSION4 "${VERSION}.0"

!define APPNAME "Registry Desk"
!define PUBLISHER "Registry Desk maintainers"
!define GUI_EXE "RegistryDesk.exe"
!define CLI_EXE "registry-desk.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\RegistryDesk"
!define APPPATH_KEY "Software\Microsoft\Windows\CurrentVersion\App Paths\${CLI_EXE}"
!define ICON "${__FILEDIR__}\..\..\resources\icons\registry-desk.ico"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
ManifestDPIAware true
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=1033 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APPNAME} installer"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "MIT licence"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME} needs 64-bit Windows 10 or later."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${APPNAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the runtime folder instead of merging into it: a stale DLL beside new
  ; ones is how frozen Qt apps break after an update.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  WriteRegStr HKLM "${APPPATH_KEY}" "" "$INSTDIR\${CLI_EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${APPPATH_KEY}"
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd
