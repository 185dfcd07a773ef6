"""The "Generators & Generation" area: generators on the left, the selected one's workspace on
the right (its fields, its meter data or monthly totals, its fuel split, and the issuance
preview with the upload file), and the months whose upload window closes soon, across all
generators.

Everything a user changes is saved as a generator draft (kind "generator", payload
`GeneratorDraft.to_payload()`) a moment after the last keystroke; the remainder ledger is kept
per generator and fuel in the store. The work itself is the domain's and the exchange
layer's: `generation_pipeline.assemble` reads (off the main thread), `models.generation.preview`
predicts, `generation_pipeline.upload_rows` + `mrets_upload.write_upload` write, exactly as the
`registry-desk generation` command does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QHideEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Settings
from desktop.models import calendar as cal
from desktop.models.generation import (
    GenerationRules,
    MonthEnergy,
    Preview,
    months_closing_soon,
    preview,
    vintage_ranges,
)
from desktop.models.generator import mrets_digits
from desktop.models.generator_draft import DEFAULT_TIME_ZONE, KIND, GeneratorDraft
from desktop.models.issues import Issue, error
from desktop.services import generation
from desktop.store import DraftRow, Store
from desktop.sync.payloads import entries_for_months
from desktop.views.closing_soon_panel import ClosingMonth, ClosingSoonPanel
from desktop.views.fuel_split_editor import FuelSplitEditor
from desktop.views.generation_preview_panel import PreviewPanel
from desktop.views.generator_form import GeneratorForm
from desktop.views.generator_list_view import GeneratorListView
from desktop.views.manual_months_editor import ManualMonthsEditor
from desktop.views.meter_import_panel import MeterImportPanel
from desktop.views.submit_panel import SubmitPanel
from desktop.views.sync_service import SyncService

if TYPE_CHECKING:
    from desktop.exchange.generation_pipeline import Assembled

SAVE_DELAY_MS = 400
TAB_FORM, TAB_METER, TAB_SPLIT, TAB_PREVIEW = range(4)


def rules_from_settings(settings: Settings) -> GenerationRules:
    """The generation rules with every default the settings override (decisions.md)."""
    base = GenerationRules()

    def number(key: str, default: float) -> float:
        value = settings.get(key)
        return float(value) if isinstance(value, int | float) and value > 0 else default

    return GenerationRules(
        capacity_warning_factor=number(
            "generation.capacity_warning_factor", base.capacity_warning_factor
        ),
        small_window_days=int(number("generation.small_window_days", base.small_window_days)),
        large_window_days=int(number("generation.large_window_days", base.large_window_days)),
        adjustment_window_days=int(
            number("generation.adjustment_window_days", base.adjustment_window_days)
        ),
        new_generator_lookback_months=int(
            number("generation.new_generator_lookback_months", base.new_generator_lookback_months)
        ),
    )


def _load(row: DraftRow) -> GeneratorDraft | None:
    try:
        return GeneratorDraft.from_payload(row.payload)
    except ValueError:
        return None


class GenerationView(QWidget):
    def __init__(
        self,
        store: Store,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        sync_service: SyncService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("generation_view")
        self.store = store
        self.settings = settings
        self.today = today
        self.current: DraftRow | None = None
        self.draft: GeneratorDraft | None = None
        self.ledger = store.ledgers.get(0)
        self.assembled: Assembled | None = None  # the last read of the current generator
        self.result: Preview | None = None
        self.name_issue: Issue | None = None
        self._reading_for: int | None = None

        self.list = GeneratorListView(store)
        self.list.selected_changed.connect(self._select)
        self.list.new_requested.connect(self.new_generator)
        self.list.from_dgg_requested.connect(self.from_dgg)
        self.list.changed.connect(self._refresh_closing)
        self.closing = ClosingSoonPanel()
        self.closing.generator_chosen.connect(self._show_closing_generator)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.list)
        left.addWidget(self.closing)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setSizes([460, 240])
        left.setChildrenCollapsible(False)

        # --- the workspace
        self.form = GeneratorForm()
        self.form.edited.connect(self._form_edited)
        self.form_note = QLabel()
        self.form_note.setObjectName("generator_note")
        self.form_note.setWordWrap(True)
        self.form_note.hide()
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.addWidget(self.form_note)
        form_layout.addWidget(self.form, 1)

        self.meter = MeterImportPanel()
        self.meter.context = self._read_context
        self.meter.months_context = self._months_context
        self.meter.settings_changed.connect(self._inputs_changed)
        self.meter.read_started.connect(self._read_started)
        self.meter.read_finished.connect(self._read_finished)
        self.manual = ManualMonthsEditor()
        self.manual.edited.connect(self._manual_edited)
        self.source_files = QRadioButton("Meter &files")
        self.source_files.setObjectName("source_files")
        self.source_manual = QRadioButton("Monthly totals typed &by hand")
        self.source_manual.setObjectName("source_manual")
        for b in (self.source_files, self.source_manual):
            b.setAccessibleName(b.text().replace("&", ""))
        self.source_group = QButtonGroup(self)
        self.source_group.addButton(self.source_files)
        self.source_group.addButton(self.source_manual)
        self.source_files.setChecked(True)
        self.source_files.toggled.connect(self._source_changed)
        source_row = QHBoxLayout()
        source_row.addWidget(QLabel("Generation from:"))
        source_row.addWidget(self.source_files)
        source_row.addWidget(self.source_manual)
        source_row.addStretch(1)
        self.source_stack = QStackedWidget()
        self.source_stack.addWidget(self.meter)
        self.source_stack.addWidget(self.manual)
        meter_page = QWidget()
        meter_layout = QVBoxLayout(meter_page)
        meter_layout.addLayout(source_row)
        meter_layout.addWidget(self.source_stack, 1)

        self.split = FuelSplitEditor()
        self.split.edited.connect(self._split_edited)
        self.preview_panel = PreviewPanel(settings)
        self.preview_panel.build_requested.connect(self.build_upload)
        self.preview_panel.record_requested.connect(self.record_uploaded)
        self.preview_panel.remainder_requested.connect(self.set_remainder)
        self.submit: SubmitPanel | None = None
        if sync_service is not None:
            self.submit = SubmitPanel(sync_service)
            self.preview_panel.add_footer(self.submit)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("generation_tabs")
        self.tabs.addTab(form_page, "&1 Generator")
        self.tabs.addTab(meter_page, "&2 Meter data")
        self.tabs.addTab(self.split, "&3 Fuel split")
        self.tabs.addTab(self.preview_panel, "&4 Preview and upload")
        self.tabs.setTabVisible(TAB_SPLIT, False)
        self.tabs.currentChanged.connect(lambda _i: self._flush())

        self.empty = QLabel(
            "<h3>Generators & Generation</h3><p>Register a generator (<b>New</b>, Ctrl+N) or "
            "make one from a DG Group (<b>From DGG…</b>). Then read its meter data, see which "
            "certificates each month should bring, and build the monthly or hourly M-RETS "
            "upload file.</p>"
        )
        self.empty.setObjectName("generation_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(self.tabs)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 970])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self._save)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_generator)
        self.refresh()

    # --- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the generators from the store (the main window calls this on showing)."""
        self._flush()
        self.list.refresh(self.current.id if self.current else None)
        self._refresh_closing()

    def _select(self, row: DraftRow | None) -> None:
        if row is not None and self.current is not None and row.id == self.current.id:
            return
        self._flush()
        if self.meter.running:
            self.meter.cancel()
        self.current = row
        self.assembled = None
        self.name_issue = None
        self.result = None
        if row is None:
            self.draft = None
            self.right.setCurrentWidget(self.empty)
            return
        self.draft = _load(row)
        if self.draft is None:
            self.empty.setText(
                f"<h3>{row.name}</h3><p>This generator was saved by a newer Registry Desk and "
                "cannot be opened here. It is kept unchanged.</p>"
            )
            self.right.setCurrentWidget(self.empty)
            return
        self.right.setCurrentWidget(self.tabs)
        ws = self.draft.workspace
        zone = self.draft.record.get("time_zone")
        if zone and ws.inputs.input_tz is None and not ws.inputs.files:
            ws.inputs.input_tz = str(zone)  # nothing read yet: stamps in the generator's zone
        self.form.set_record(self.draft.record)
        self.form_note.hide()
        self.meter.set_inputs(ws.inputs)
        self.meter.clear_result()
        if ws.read_months:
            self.meter.summary.setText(
                f"Last read {ws.read_at or ''}: {len(ws.read_months)} whole month(s) "
                f"{vintage_ranges(ws.read_months)}. Read again to see the problems list or to "
                "build an hourly file."
            )
        self.manual.set_data(ws.manual_kwh)
        self.source_files.blockSignals(True)
        (self.source_manual if ws.source == "manual" else self.source_files).setChecked(True)
        self.source_files.blockSignals(False)
        self.source_stack.setCurrentIndex(1 if ws.source == "manual" else 0)
        self.ledger = self.store.ledgers.get(row.id, self._digits())
        self._update()

    def _digits(self) -> str:
        gen = self.draft.generator() if self.draft else None
        return gen.mrets_id if gen else ""

    # --- edits ---------------------------------------------------------------------------------

    def _schedule_save(self) -> None:
        self.save_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._flush()  # leaving the area or closing the window saves a pending edit
        super().hideEvent(event)

    def flush(self) -> None:
        """Save a pending edit now (the main window calls this on Ctrl+S and on closing)."""
        self._flush()

    def _flush(self) -> None:
        if self.save_timer.isActive():
            self.save_timer.stop()
            self._save()

    def _save(self) -> None:
        row, draft = self.current, self.draft
        if row is None or draft is None:
            return
        saved = generation.save_generator(self.store, row, draft)
        name = str(draft.record.get("name") or "").strip()
        self.name_issue = (
            error("name", f"Another generator is already named '{name}'")
            if saved.name_taken
            else None
        )
        fresh = saved.row
        changed = (fresh.name, fresh.issue_summary) != (row.name, row.issue_summary)
        self.current = fresh
        if changed:
            self.list.refresh(fresh.id)
            self._refresh_closing()
        self._show_form_issues()

    def _show_form_issues(self) -> None:
        if self.draft is None:
            return
        issues = self.draft.issues() + ([self.name_issue] if self.name_issue else [])
        self.form.show_issues(issues)

    def _form_edited(self, key: str) -> None:
        if self.draft is None:
            return
        old_zone = self.draft.record.get("time_zone")
        self.draft.record.update(self.form.record())
        inputs = self.draft.workspace.inputs
        if key == "time_zone" and inputs.input_tz in (None, old_zone):
            # Meter stamps are read in the generator's zone unless the user chose another.
            inputs.input_tz = self.draft.record.get("time_zone") or None
            self.meter.set_inputs(inputs)
        self._show_form_issues()
        self._schedule_save()
        self._update()

    def _inputs_changed(self) -> None:
        if self.draft is None:
            return
        self.draft.workspace.inputs = self.meter.inputs()
        self._schedule_save()

    def _manual_edited(self) -> None:
        self._schedule_save()
        self._update()

    def _split_edited(self) -> None:
        self._schedule_save()
        self._update(splits_too=False)

    def _source_changed(self, files: bool) -> None:
        if self.draft is None:
            return
        self.draft.workspace.source = "files" if files else "manual"
        self.source_stack.setCurrentIndex(0 if files else 1)
        self._schedule_save()
        self._update()

    def _read_context(self) -> tuple[cal.StandardTime, float | None]:
        gen = self.draft.generator() if self.draft else None
        if gen is not None:
            return gen.standard_time, gen.nameplate_mw
        record = self.draft.record if self.draft else {}
        try:
            std = cal.standard_time(str(record.get("standard_time") or "EST"))
        except ValueError:
            std = cal.EST
        mw = record.get("nameplate_mw")
        return std, float(mw) if isinstance(mw, int | float) and mw > 0 else None

    def _months_context(self) -> tuple[str | None, dict[int, float]]:
        """The generator's zone (its calendar months) and the boundary hours kept for it."""
        record = self.draft.record if self.draft else {}
        zone = str(record.get("time_zone") or "") or None
        digits = mrets_digits(str(record.get("mrets_id") or "")) or ""
        return zone, generation.boundary_carry(self.store, digits)

    def _read_started(self) -> None:
        self._reading_for = self.current.id if self.current else None

    def _read_finished(self, done: Assembled) -> None:
        if self.draft is None or self.current is None or self._reading_for != self.current.id:
            return  # the user moved to another generator meanwhile
        ws = self.draft.workspace
        self.assembled = done
        ws.read_months = [] if done.has_errors else list(done.months)
        ws.read_at = f"{self.today().isoformat()} {datetime.now():%H:%M}"  # the view's today
        ws.source = "files"
        self._schedule_save()
        self._flush()
        self._update()

    # --- the preview ---------------------------------------------------------------------------

    def _months(self) -> list[MonthEnergy]:
        """The months to preview and upload: the source's, less those recorded as uploaded."""
        if self.draft is None:
            return []
        uploaded = self.draft.uploaded_months()
        return [m for m in self.draft.workspace.months() if (m.year, m.month) not in uploaded]

    def _update(self, *, splits_too: bool = True) -> None:
        draft = self.draft
        if draft is None:
            return
        ws = draft.workspace
        fuels = tuple(draft.record.get("fuels") or ())
        multi = len(fuels) > 1
        self.tabs.setTabVisible(TAB_SPLIT, multi)
        months = self._months()
        if multi and splits_too:
            self.split.set_data([(m.year, m.month) for m in months], fuels, ws.fuel_splits)
        gen = draft.generator()
        all_months = ws.months()
        left_out = len(all_months) - len(months)
        if ws.source == "manual":
            source = f"Months typed by hand: {len(all_months)}."
        elif self.assembled is not None:
            c = self.assembled.counts
            source = (
                f"Months from the meter files read {ws.read_at}: {len(all_months)} whole "
                f"month(s); {c.rows_used:,} rows used, {c.rows_refused:,} refused, "
                f"{c.duplicates_repaired + c.negatives_repaired:,} repaired, "
                f"{c.intervals_filled:,} intervals filled."
            )
        elif all_months:
            source = f"Months from the meter files read {ws.read_at}: {len(all_months)}."
        else:
            source = ""
        if left_out:
            source += f" {left_out} month(s) recorded as uploaded are left out."
        self.preview_panel.source.setText(source)
        blocked = ""
        if gen is None:
            problems = [i.message for i in draft.issues() if i.blocking and i.field != "fuel_split"]
            blocked = "Complete the generator first (tab 1): " + "; ".join(problems[:3])
        elif ws.source == "files" and self.assembled is not None and self.assembled.has_errors:
            blocked = (
                "The meter data has errors (tab 2 lists them with file, line and column). "
                "Fix them and read again."
            )
        elif not months:
            blocked = (
                "No whole month to preview yet: read meter files or type monthly totals (tab 2)."
            )
        if gen is None or not months or blocked:
            self.result = None
            self.preview_panel.show_preview(None, blocked)
        else:
            self.result = preview(
                months,
                gen,
                today=self.today(),
                ledger=self.ledger,
                fuel_splits=ws.fuel_splits,
                rules=rules_from_settings(self.settings),
            )
            self.preview_panel.show_preview(self.result)
        self.preview_panel.show_ledger(self.ledger, len(ws.uploaded))
        self._update_submit()

    def _update_submit(self) -> None:
        """Submit sends the previewed months as generation entries of the registry's generator:
        the one this draft was registered as, or the M-RETS ID typed on tab 1."""
        if self.submit is None:
            return
        row, draft = self.current, self.draft
        months = list(self.result.months) if self.result else []
        typed = str(draft.record.get("mrets_id") or "") if draft else ""
        registry_id = (row.registry_id if row else None) or mrets_digits(typed)
        if row is None or not months:
            self.submit.set_enabled_reason("Nothing to submit yet: the preview has no months.")
        elif not registry_id:
            self.submit.set_enabled_reason(
                "Enter the generator's M-RETS ID (tab 1) to submit its generation."
            )
        else:
            self.submit.set_generation(
                entries_for_months(registry_id, months),
                f"Generation of {row.name}",
                draft_id=row.id,
            )
            self.submit.set_enabled_reason("")

    # --- actions -------------------------------------------------------------------------------

    def new_generator(self) -> None:
        self._flush()
        draft = GeneratorDraft()
        zone = self.settings.get("generation.time_zone") or DEFAULT_TIME_ZONE
        draft.record["time_zone"] = zone
        draft.workspace.inputs.input_tz = zone
        self._open_new(generation.create_generator(self.store, "New generator", draft))

    def _open_new(self, row: DraftRow) -> None:
        if self.list.showing_trash:
            self.list.toggle_trash()
        self.list.refresh(row.id)
        self._refresh_closing()
        self.tabs.setCurrentIndex(TAB_FORM)
        self.form.focus_field("name")

    def from_dgg(self) -> None:
        groups = self.store.list_drafts("dgg")
        if not groups:
            QMessageBox.information(
                self, "From a DG Group", "There is no DG Group draft to make a generator from."
            )
            return
        names = [g.name for g in groups]
        name, ok = QInputDialog.getItem(
            self, "From a DG Group", "Make a generator from the group:", names, 0, False
        )
        if ok and name:
            self.create_from_dgg(groups[names.index(name)])

    def create_from_dgg(self, group: DraftRow) -> DraftRow:
        self._flush()
        row, notes = generation.create_from_dgg(self.store, group)
        self._open_new(row)
        self.form_note.setText(f"Made from the DG Group '{group.name}'. " + ". ".join(notes) + ".")
        self.form_note.show()
        return row

    def build_upload(self) -> Path | None:
        """Ask where to save, then write the upload file through the same writer as the CLI."""
        self._flush()
        draft, result = self.draft, self.result
        gen = draft.generator() if draft else None
        if draft is None or gen is None or result is None:
            return None
        # Hours are not kept between sessions: only files read now can make an hourly file.
        hourly = None
        if draft.workspace.source == "files" and self.assembled is not None:
            hourly = self.assembled.hourly
        path = self.preview_panel.build_upload(gen, self._months(), hourly)
        if path is not None:
            # The next month's hourly file may need this build's last hour (its boundary hour).
            generation.keep_boundary_hours(self.store, gen.mrets_id, hourly)
        return path

    def record_uploaded(self, *, confirm: bool = True) -> bool:
        """Keep the predicted remainders in the ledger and mark the months uploaded, together."""
        self._flush()
        row, draft, result = self.current, self.draft, self.result
        if row is None or draft is None or result is None or not result.months:
            return False
        months = [(m.year, m.month) for m in result.months]
        if confirm:
            answer = QMessageBox.question(
                self,
                "Record as uploaded",
                f"Record {len(months)} month(s) ({result.months[0].vintage}–"
                f"{result.months[-1].vintage}) as uploaded? The ledger then carries "
                f"{result.months[-1].carry_out_mwh:,.3f} MWh forward and the next preview "
                "starts after them.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self.current = generation.record_months_uploaded(
            self.store, row.id, draft, result.ledger, months, self.today()
        )
        self.ledger = self.store.ledgers.get(row.id, self._digits())
        self._update()
        self._refresh_closing()
        return True

    def set_remainder(self) -> None:
        if self.current is None or self.draft is None:
            return
        fuels = list(self.draft.record.get("fuels") or ()) or [""]
        fuel = fuels[0]
        if len(fuels) > 1:
            fuel, ok = QInputDialog.getItem(self, "Set remainder", "Fuel:", fuels, 0, False)
            if not ok:
                return
        value, ok = QInputDialog.getDouble(
            self,
            "Set remainder",
            "Fraction of a MWh the registry holds for this generator"
            + (f" ({fuel})" if fuel else "")
            + ", in MWh:",
            self.ledger.remainder(fuel) / 1000,
            -1_000_000.0,
            0.999,
            3,
        )
        if ok:
            self.store_remainder(fuel, value)

    def store_remainder(self, fuel: str, mwh: float) -> None:
        if self.current is None:
            return
        generation.set_remainder(self.store, self.current.id, self.ledger, {fuel: mwh})
        self._update()

    # --- closing soon ----------------------------------------------------------------------------

    def _refresh_closing(self) -> None:
        rules = rules_from_settings(self.settings)
        today = self.today()
        months: list[ClosingMonth] = []
        for row in self.store.list_drafts(KIND):
            draft = self.draft if self.current and row.id == self.current.id else _load(row)
            gen = draft.generator() if draft else None
            if draft is None or gen is None:
                continue
            for c in months_closing_soon([(gen, draft.uploaded_months())], today, rules=rules):
                months.append(ClosingMonth(row.id, row.name, c.vintage, c.deadline, c.days_left))
        self.closing.show_months(months)

    def _show_closing_generator(self, draft_id: int) -> None:
        if self.list.select_id(draft_id):
            self.tabs.setCurrentIndex(TAB_PREVIEW)
