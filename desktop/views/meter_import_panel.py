"""Meter data in: the files, how to read them, a background read with progress, and every
problem located by file, line and column.

Files may be interval CSV/TXT, spreadsheets, Green Button XML or M-RETS monthly/hourly upload
files, mixed as the command line allows. A CSV or spreadsheet whose header is not recognised
gets the column mapping dialog. Reading runs `generation_pipeline.assemble` (the same chain as
`registry-desk generation`) on the thread pool through `desktop.tasks`; the window keeps
painting, a progress bar follows the bytes read, and Cancel stops between blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import tasks
from desktop.errors import KnownError
from desktop.exchange.import_profiles import (
    ImportProfile,
    mapping_from_json,
    mapping_to_json,
    profile_for,
    with_profile,
)
from desktop.exchange.meter_columns import ColumnMapping
from desktop.models import calendar as cal
from desktop.models.generation import vintage_ranges
from desktop.models.generator_draft import InputSettings
from desktop.models.intervals import EnergyUnit, IntervalOptions, StampMark
from desktop.views.meter_issues_table_model import MeterIssuesTableModel, for_window
from desktop.views.meter_mapping_dialog import MeterMappingDialog
from desktop.views.meter_read_options import ReadOptionsBox

# The zones meters in MISO's footprint and its neighbours log in, offered before the full list.
GB_FLOWS = {"forward": 1, "reverse": 19}
FILE_FILTER = (
    "Meter data (*.csv *.txt *.xlsx *.xlsm *.xls *.ods *.xml);;"
    "CSV or text (*.csv *.txt);;Spreadsheets (*.xlsx *.xlsm *.xls *.ods);;"
    "Green Button XML (*.xml);;All files (*)"
)
Context = Callable[[], tuple[cal.StandardTime, float | None]]
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")  # as meter_files reads them

if TYPE_CHECKING:
    # The readers load on first use: the window opens without them (start-up time).
    from desktop.exchange.generation_pipeline import Assembled, ReadRequest
    from desktop.exchange.meter_files import FileSniff


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "Green Button XML"
    if suffix in SPREADSHEET_SUFFIXES:
        return "Spreadsheet"
    from desktop.exchange.mrets_upload import looks_like_upload  # noqa: PLC0415 - see above

    if looks_like_upload(path):
        return "M-RETS upload file"
    return "Interval CSV"


def needs_columns(path: Path) -> bool:
    return file_kind(path) in ("Interval CSV", "Spreadsheet")


@tasks.with_progress
def read_job(request: ReadRequest, progress: tasks.Progress) -> Assembled:
    """Runs on a worker thread: the pipeline with progress in bytes and the cancel flag."""
    from desktop.exchange.generation_pipeline import assemble  # noqa: PLC0415 - see above
    from desktop.exchange.meter_files import ReadCancelledError  # noqa: PLC0415

    try:
        return assemble(
            request,
            progress=progress.update,
            cancelled=lambda: progress.cancelled,
        )
    except ReadCancelledError:
        raise tasks.Cancelled from None


class MeterImportPanel(QWidget):
    settings_changed = Signal()
    read_started = Signal()
    read_finished = Signal(object)  # Assembled
    read_stopped = Signal(str)  # cancelled or failed: the sentence shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meter_import_panel")
        self.context: Context = lambda: (cal.EST, None)
        # The generator's time zone (its months) and the boundary hours kept for it.
        self.months_context: Callable[[], tuple[str | None, dict[int, float]]] = lambda: (
            None,
            {},
        )
        self.mappings: dict[str, ColumnMapping] = {}
        self.profiles: list[ImportProfile] = []  # this generator's import profiles
        self.profile_of: dict[str, str] = {}  # file -> the profile that mapped it
        self.mapping_dialog: MeterMappingDialog | None = None
        self.progress: tasks.Progress | None = None
        self._poller: tasks.ProgressPoller | None = None
        self._loading = False

        # --- files
        self.files = QListWidget()
        self.files.setObjectName("meter_files")
        self.files.setAccessibleName("Meter files")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setMinimumHeight(60)
        self.files.setMaximumHeight(100)
        self.add_button = QPushButton("&Add files…")
        self.add_button.setObjectName("add_files")
        self.add_button.setToolTip("Add CSV, spreadsheet, Green Button or M-RETS upload files")
        self.add_button.clicked.connect(lambda _c=False: self.choose_files())
        self.remove_button = QPushButton("Re&move")
        self.remove_button.setObjectName("remove_files")
        self.remove_button.setToolTip("Remove the selected files from the list")
        self.remove_button.clicked.connect(lambda _c=False: self.remove_selected())
        self.map_button = QPushButton("Map &columns…")
        self.map_button.setObjectName("map_columns")
        self.map_button.setToolTip("Say which column of the selected file holds what")
        self.map_button.clicked.connect(lambda _c=False: self.map_selected())
        file_buttons = QVBoxLayout()
        for b in (self.add_button, self.remove_button, self.map_button):
            b.setAccessibleName(b.text().replace("&", "").rstrip("…"))
            file_buttons.addWidget(b)
        file_buttons.addStretch(1)
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addLayout(file_buttons)

        # --- options
        self.options = ReadOptionsBox()
        self.options.changed.connect(self._changed)
        self.tz = self.options.tz  # the one option other views set (a generator's own zone)

        # --- read
        self.read_button = QPushButton("&Read files")
        self.read_button.setObjectName("read_files")
        self.read_button.setAccessibleName("Read files")
        self.read_button.setToolTip("Read and check the files (Ctrl+R)")
        self.read_button.setDefault(True)
        self.read_button.clicked.connect(lambda _c=False: self.start_read())
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancel_read")
        self.cancel_button.setAccessibleName("Cancel reading")
        self.cancel_button.clicked.connect(lambda _c=False: self.cancel())
        self.cancel_button.hide()
        self.bar = QProgressBar()
        self.bar.setObjectName("read_progress")
        self.bar.setAccessibleName("Reading progress")
        self.bar.setRange(0, 1000)
        self.bar.hide()
        read_row = QHBoxLayout()
        read_row.addWidget(self.read_button)
        read_row.addWidget(self.bar, 1)
        read_row.addWidget(self.cancel_button)
        read_row.addStretch(0)
        QShortcut(QKeySequence("Ctrl+R"), self, self.start_read)

        # --- results
        self.summary = QLabel("No files read yet.")
        self.summary.setObjectName("read_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = QLabel()
        self.notes.setObjectName("read_notes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.hide()
        self.issues_model = MeterIssuesTableModel(self)
        self.issues = QTableView()
        self.issues.setObjectName("read_problems")
        self.issues.setAccessibleName("Problems found in the files")
        self.issues.setModel(self.issues_model)
        self.issues.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issues.verticalHeader().hide()
        self.issues.setWordWrap(True)  # problems are sentences; at most a few hundred rows
        header = self.issues.horizontalHeader()
        for col in range(4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        files_box = QGroupBox("Files")
        files_box.setLayout(files_row)
        # The boxes keep their height when results appear: the notes scroll instead of
        # squeezing the controls above them.
        for box in (files_box, self.options):
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        top_layout.addWidget(files_box)
        top_layout.addWidget(self.options)
        top_layout.addLayout(read_row)
        # The summary and notes scroll in the room left: word-wrapped labels under-report the
        # height they need, and the layout would squeeze the fixed boxes above to make it.
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.summary)
        results_layout.addWidget(self.notes)
        results_layout.addStretch(1)
        self.notes_scroll = QScrollArea()
        self.notes_scroll.setObjectName("read_notes_scroll")
        self.notes_scroll.setWidgetResizable(True)
        self.notes_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.notes_scroll.setWidget(results)
        self.notes_scroll.setMinimumHeight(4 * self.summary.fontMetrics().lineSpacing())
        top_layout.addWidget(self.notes_scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.issues)
        splitter.setStretchFactor(0, 1)  # the notes and the problems share the room left
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter)
        self.files.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # --- settings in and out -------------------------------------------------------------------

    def set_inputs(self, inputs: InputSettings) -> None:
        self._loading = True
        try:
            self.mappings = {}
            for name, raw in inputs.mappings.items():
                m = mapping_from_json(raw)
                if m is not None:
                    self.mappings[name] = m
            self.profiles = [
                p for p in map(ImportProfile.from_json, inputs.profiles) if p is not None
            ]
            self.profile_of = {}
            self.files.clear()
            for name in inputs.files:
                self._add_item(Path(name))
            self.options.set_inputs(inputs)
        finally:
            self._loading = False
        self._update_buttons()

    def inputs(self) -> InputSettings:
        files = self.paths()
        settings = self.options.settings(
            [str(p) for p in files],
            {
                str(p): mapping_to_json(self.mappings[str(p)])
                for p in files
                if str(p) in self.mappings
            },
        )
        settings.profiles = [p.to_json() for p in self.profiles]
        return settings

    def paths(self) -> list[Path]:
        return [
            Path(self.files.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.files.count())
        ]

    def _changed(self, *_: object) -> None:
        if not self._loading:
            self.settings_changed.emit()

    # --- files ---------------------------------------------------------------------------------

    def _add_item(self, path: Path) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.files.addItem(item)
        self._describe(item)
        return item

    def _describe(self, item: QListWidgetItem) -> None:
        path = Path(item.data(Qt.ItemDataRole.UserRole))
        if not path.is_file():
            item.setText(f"{path.name} — not found")
            item.setToolTip(f"{path}\nThe file is no longer there; remove it or add it again.")
            return
        kind = file_kind(path)
        text = f"{path.name} — {kind}"
        if str(path) in self.profile_of:
            text += f" · import profile: {self.profile_of[str(path)]}"
        elif str(path) in self.mappings:
            text += " (columns mapped by you)"
        item.setText(text)
        item.setToolTip(str(path))

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, "Add meter files", "", FILE_FILTER)
        self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        """Add files. An export whose header an import profile was made from is mapped by it;
        the first other one whose columns are not recognised (or that has several energy
        columns) opens the mapping dialog."""
        known = {str(p) for p in self.paths()}
        unmapped: list[Path] = []
        for path in paths:
            if str(path) in known:
                continue
            known.add(str(path))
            if needs_columns(path) and str(path) not in self.mappings:
                found = self._sniff(path)
                profile = profile_for(self.profiles, found.header) if found else None
                if profile is not None:
                    self.mappings[str(path)] = profile.mapping
                    self.profile_of[str(path)] = profile.name
                elif found is not None and (not found.guess.complete or found.guess.energy_choices):
                    unmapped.append(path)
            self._add_item(path)
        self._update_buttons()
        self.settings_changed.emit()
        if unmapped:
            self.open_mapping(unmapped[0])

    def _sniff(self, path: Path) -> FileSniff | None:
        from desktop.exchange.meter_files import sniff  # noqa: PLC0415 - see above

        try:
            return sniff(path)
        except (KnownError, OSError, UnicodeDecodeError) as exc:
            self.summary.setText(f"{path.name}: {exc}")
            return None

    def remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.mappings.pop(item.data(Qt.ItemDataRole.UserRole), None)
            self.profile_of.pop(item.data(Qt.ItemDataRole.UserRole), None)
            self.files.takeItem(self.files.row(item))
        self._update_buttons()
        self.settings_changed.emit()

    def map_selected(self) -> None:
        items = self.files.selectedItems()
        if items:
            self.open_mapping(Path(items[0].data(Qt.ItemDataRole.UserRole)))

    def open_mapping(self, path: Path) -> None:
        """Open the mapping dialog (window-modal, not blocking: the event loop keeps running)."""
        found = self._sniff(path)
        if found is None:
            return
        dialog = MeterMappingDialog(
            found,
            self.mappings.get(str(path)),
            self,
            zone=self.options.tz.currentData(),
            profile_name=self.profile_of.get(str(path), ""),
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.mapping_dialog = dialog

        def done(result: int) -> None:
            if result == MeterMappingDialog.DialogCode.Accepted:
                self.mappings[str(path)] = dialog.mapping()
                profile = dialog.profile()
                if profile is not None:
                    self.profiles = with_profile(self.profiles, profile)
                    self.profile_of[str(path)] = profile.name
                else:
                    self.profile_of.pop(str(path), None)
                for i in range(self.files.count()):
                    if self.files.item(i).data(Qt.ItemDataRole.UserRole) == str(path):
                        self._describe(self.files.item(i))
                self.settings_changed.emit()
            self.mapping_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()

    def _update_buttons(self) -> None:
        running = self.progress is not None
        selected = self.files.selectedItems()
        self.remove_button.setEnabled(bool(selected) and not running)
        self.map_button.setEnabled(
            len(selected) == 1
            and needs_columns(Path(selected[0].data(Qt.ItemDataRole.UserRole)))
            and not running
        )
        self.add_button.setEnabled(not running)
        self.read_button.setEnabled(self.files.count() > 0 and not running)

    # --- reading -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.progress is not None

    def request(self) -> ReadRequest:
        from desktop.exchange.generation_pipeline import ReadRequest  # noqa: PLC0415
        from desktop.exchange.meter_files import ReadOptions  # noqa: PLC0415

        std, nameplate = self.context()
        s = self.inputs()
        zone, carry = self.months_context()
        return ReadRequest(
            tuple(self.paths()),
            ReadOptions(
                input_tz=s.input_tz,
                mark=StampMark(s.mark) if s.mark else None,
                unit=EnergyUnit(s.unit) if s.unit else None,
                file_mappings=dict(self.mappings),
            ),
            std=std,
            interval=IntervalOptions(
                interval=s.interval, fill_gaps=s.fill_gaps, clip_negative=s.clip_negative
            ),
            nameplate_mw=nameplate,
            green_button_flow=GB_FLOWS.get(s.green_button_flow or ""),
            generator_tz=zone,
            carry=carry,
        )

    def start_read(self) -> None:
        if self.running or not self.files.count():
            return
        missing = [p.name for p in self.paths() if not p.is_file()]
        if missing:
            self.summary.setText(f"Not found: {', '.join(missing)}. Remove or add them again.")
            return
        request = self.request()
        self.progress = tasks.Progress()
        self.bar.setValue(0)
        self.bar.show()
        self.cancel_button.show()
        self.summary.setText(f"Reading {len(request.paths)} file(s)…")
        self._poller = tasks.ProgressPoller(self.progress, 100, self)
        self._poller.changed.connect(self._show_progress)
        self._update_buttons()
        self.read_started.emit()
        tasks.run(
            read_job,
            request,
            progress=self.progress,
            on_done=self._done,
            on_error=self._failed,
            on_cancel=self._cancelled,
        )

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()
            self.summary.setText("Cancelling…")

    def _show_progress(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.bar.setValue(int(1000 * done / total))

    def _stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller.deleteLater()
            self._poller = None
        self.progress = None
        self.bar.hide()
        self.cancel_button.hide()
        self._update_buttons()

    def _done(self, result: Assembled) -> None:
        self._stop()
        self.show_result(result)
        self.read_finished.emit(result)

    def _failed(self, exc: BaseException, tb: str) -> None:
        self._stop()
        if isinstance(exc, KnownError):
            text = for_window(f"The files could not be read: {exc}")
            self.summary.setText(text)
            self.read_stopped.emit(text)
            return
        from desktop import messages  # noqa: PLC0415 - the bridge is only needed for bugs

        self.summary.setText("Reading failed because of a fault in Registry Desk.")
        self.read_stopped.emit("Reading failed")
        messages.bug(exc, tb)

    def _cancelled(self) -> None:
        self._stop()
        self.summary.setText("Reading was cancelled; nothing was changed.")
        self.read_stopped.emit("cancelled")

    # --- results -------------------------------------------------------------------------------

    def show_result(self, done: Assembled) -> None:
        self.summary.setText(summary_text(done))
        items = [f"Left out: {p.reason}" for p in done.partial_months] + list(done.notes)
        self.notes.setText(
            "<ul style='margin-left:-20px'>"
            + "".join(f"<li>{_esc(for_window(t))}</li>" for t in items)
            + "</ul>"
            if items
            else ""
        )
        self.notes.setVisible(bool(items))
        self.issues_model.set_issues(done.issues)
        self.issues.resizeRowsToContents()

    def clear_result(self) -> None:
        self.summary.setText("No files read yet.")
        self.notes.hide()
        self.issues_model.set_issues([])


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary_text(done: Assembled) -> str:
    """One paragraph: what was read, used, refused, repaired and filled, and what came out."""
    c = done.counts
    errors = sum(1 for i in done.issues if i.blocking)
    warnings = sum(1 for i in done.issues if i.severity.value == "warning")
    months = done.months
    span = vintage_ranges(months)
    parts = [
        f"Read {c.rows_read:,} rows from {len(done.inputs.readings.files)} file(s): "
        f"{c.rows_used:,} used, {c.rows_refused:,} refused.",
        f"Repaired: {c.duplicates_repaired:,} duplicates, {c.negatives_repaired:,} negative "
        f"readings; filled: {c.intervals_filled:,} missing intervals; rounded: "
        f"{c.stamps_rounded:,} stamps.",
        f"{len(months)} whole month(s) {span}." if months else "No whole month.",
    ]
    left_out = done.partial_months
    if left_out:
        parts.append(
            f"{len(left_out)} month(s) left out ("
            + ", ".join(f"{p.month:02d}/{p.year}" for p in left_out)
            + "): why is listed below."
        )
    if errors:
        parts.append(
            f"{errors} error(s) and {warnings} warning(s) below: fix them and read again; "
            "the preview and the upload use no data with errors."
        )
    elif warnings:
        parts.append(f"{warnings} warning(s) below.")
    return " ".join(parts)
