"""Settings → Registry connection: target, API key, TLS trust, Test connection.

The key goes to desktop.sync.credentials only (the OS keyring, or this session when there is
no secure keyring; a banner says which) and never into settings. The field is cleared once
saved: the key is never shown back.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import tasks
from desktop.config import Settings
from desktop.errors import KnownError
from desktop.sync import credentials
from desktop.sync.connection import (
    CA_BUNDLE,
    LOCAL,
    LOCAL_URL,
    LOCAL_URL_SETTING,
    MRETS_SANDBOX_URL,
    OS_TRUST,
    PRODUCTION,
    PRODUCTION_URL,
    TARGET,
    TARGETS,
    Reachability,
    check_reachable,
    target_named,
)

HELP = {
    "target": "Which registry Submit sends to. The local sandbox is a practice registry on "
    "this computer; the M-RETS sandbox needs sandbox credentials from M-RETS.",
    "production_url": "M-RETS has not published the production API address; enter the one "
    "M-RETS gave you (https://…).",
    "api_key": "Create an API key in the registry's portal (users with API permission) and "
    "paste it here. It is kept in the operating system's keyring, never in Registry Desk's files.",
    "ca_bundle": "Only for corporate networks that inspect TLS: a PEM file with your "
    "company's root certificate. Verification is always on.",
    "os_trust": "Trust the certificates installed in the operating system (corporate networks).",
}


class RegistryConnectionView(QWidget):
    key_saved = Signal(str)  # the target whose key changed
    connection_tested = Signal(bool, str)
    tested = Signal(object)  # the Reachability, for the sync service's registry state
    target_changed = Signal(str)  # another target or address

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registry_connection_view")
        self.settings = settings
        self._test_running = False

        self.banner = QLabel()
        self.banner.setObjectName("keyring_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff4ce; color: #5c4400; border: 1px solid #e0c060; padding: 6px;"
        )

        self.target = QComboBox()
        self._field(self.target, "registry.target", "Registry", HELP["target"])
        self.target.addItems(TARGETS)
        self.target.setCurrentText(str(settings.get(TARGET) or LOCAL))
        self.target.currentTextChanged.connect(self._target_changed)

        self.url = QLineEdit()
        self._field(self.url, "registry.production_url", "Address", HELP["production_url"])
        self.url.setPlaceholderText("https://…")
        self.url.editingFinished.connect(self._url_edited)

        self.key = QLineEdit()
        self._field(self.key, "api_key", "API key", HELP["api_key"])
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("paste the key, then Save key")
        self.save_key_button = QPushButton("Sa&ve key")
        self.save_key_button.setObjectName("save_api_key")
        self.save_key_button.setAccessibleName("Save API key")
        self.save_key_button.clicked.connect(self.save_key)
        self.forget_button = QPushButton("For&get key")
        self.forget_button.setObjectName("forget_api_key")
        self.forget_button.setAccessibleName("Forget API key")
        self.forget_button.clicked.connect(self.forget_key)
        self.key_state = QLabel()
        self.key_state.setObjectName("api_key_state")

        self.ca_bundle = QLineEdit(str(settings.get(CA_BUNDLE) or ""))
        self._field(self.ca_bundle, "registry.ca_bundle", "CA bundle", HELP["ca_bundle"])
        self.ca_bundle.setPlaceholderText("optional: a .pem file")
        self.ca_bundle.editingFinished.connect(
            lambda: self.settings.set(CA_BUNDLE, self.ca_bundle.text().strip())
        )
        browse = QPushButton("Bro&wse…")
        browse.setObjectName("browse_ca_bundle")
        browse.setAccessibleName("Browse for a CA bundle")
        browse.clicked.connect(self._browse)
        self.os_trust = QCheckBox("Use the operating system's certificate store")
        self._field(self.os_trust, "registry.os_trust_store", "OS trust store", HELP["os_trust"])
        self.os_trust.setChecked(bool(settings.get(OS_TRUST)))
        self.os_trust.toggled.connect(lambda on: self.settings.set(OS_TRUST, on))

        self.test_button = QPushButton("Test co&nnection")
        self.test_button.setObjectName("test_connection")
        self.test_button.setAccessibleName("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("test_result")
        self.test_result.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self._label("Registr&y:", self.target), self.target)
        form.addRow(self._label("A&ddress:", self.url), self.url)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.save_key_button)
        key_row.addWidget(self.forget_button)
        form.addRow(self._label("A&PI key *:", self.key), key_row)
        form.addRow("", self.key_state)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(browse)
        form.addRow(self._label("CA b&undle:", self.ca_bundle), ca_row)
        form.addRow("", self.os_trust)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addLayout(test_row)
        self._target_changed(self.target.currentText())

    def _field(self, widget: QWidget, key: str, label: str, help_text: str) -> None:
        widget.setObjectName(key)
        widget.setAccessibleName(label)
        widget.setToolTip(help_text)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def current_target(self) -> str:
        return self.target.currentText()

    def _target_changed(self, name: str) -> None:
        self.settings.set(TARGET, name)
        # the M-RETS sandbox's address is fixed; the practice registry's may move to a free port
        self.url.setReadOnly(name not in (PRODUCTION, LOCAL))
        shown = {
            LOCAL: str(self.settings.get("registry.local_url") or LOCAL_URL),
            PRODUCTION: str(self.settings.get(PRODUCTION_URL) or ""),
        }.get(name, MRETS_SANDBOX_URL)
        self.url.setText(shown)
        self.test_result.clear()
        self.refresh_key_state()
        self.target_changed.emit(name)

    def _url_edited(self) -> None:
        before = target_named(self.settings).url if self.current_target() == LOCAL else None
        if self.current_target() == PRODUCTION:
            before = str(self.settings.get(PRODUCTION_URL) or "")
            self.settings.set(PRODUCTION_URL, self.url.text().strip())
        elif self.current_target() == LOCAL:
            self.settings.set(LOCAL_URL_SETTING, self.url.text().strip() or LOCAL_URL)
        else:
            return
        if before != self.url.text().strip():
            self.target_changed.emit(self.current_target())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA bundle", "", "Certificates (*.pem *.crt);;All files (*)"
        )
        if path:
            self.ca_bundle.setText(path)
            self.settings.set(CA_BUNDLE, path)

    def refresh_key_state(self) -> None:
        note = credentials.storage_note()
        self.banner.setText(note or "")
        self.banner.setVisible(bool(note))
        has_key = credentials.get_key(self.current_target()) is not None
        if not has_key:
            self.key_state.setText("No key saved for this registry.")
        elif note:
            self.key_state.setText("A key is set for this session only.")
        else:
            self.key_state.setText("A key is saved in the operating system's keyring.")
        self.forget_button.setEnabled(has_key)

    def save_key(self) -> None:
        try:
            in_keyring = credentials.save_key(self.current_target(), self.key.text())
        except KnownError as exc:
            self.key_state.setText(str(exc))
            return
        self.key.clear()  # never shown back
        self.refresh_key_state()
        if not in_keyring:
            self.key_state.setText("Saved for this session only (no secure keyring).")
        self.key_saved.emit(self.current_target())

    def forget_key(self) -> None:
        credentials.forget_key(self.current_target())
        self.refresh_key_state()
        self.key_saved.emit(self.current_target())

    def test_connection(self) -> None:
        if self._test_running:
            return
        if self.key.text().strip():
            self.save_key()
        try:
            target_named(self.settings)
        except KnownError as exc:
            self.test_result.setText(str(exc))
            self.connection_tested.emit(False, str(exc))
            return
        self._test_running = True
        self.test_button.setEnabled(False)
        self.test_result.setText("Testing…")
        tasks.run(
            check_reachable,
            self.settings,
            on_done=self._tested,
            on_error=lambda exc, _tb: self._tested(Reachability(False, None, str(exc))),
        )

    def _tested(self, result: Reachability) -> None:
        self._test_running = False
        self.test_button.setEnabled(True)
        ok = result.online and result.key_ok is True
        mark = "✔" if ok else "✖"
        self.test_result.setText(f"{mark} {result.message}")
        self.connection_tested.emit(ok, result.message)
        self.tested.emit(result)
