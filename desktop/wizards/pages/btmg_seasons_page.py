"""Steps 16–25: the season fields, one tab per season (Summer, Fall, Winter, Spring), with
'Copy this season to the others'. An excluded season needs none of its other fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.models.btmg import Enrollment
from desktop.models.btmg_fields import SEASON_FIELDS, Page
from desktop.models.issues import Issue
from desktop.models.planning import MIN_DEPLOYMENTS, SEASONS, Season
from desktop.wizards.btmg_form import Editor, FieldRow, add_row, make_editor, parse_into
from desktop.wizards.btmg_generator_picker import AddGeneratorDialog, GeneratorPicker
from desktop.wizards.pages.btmg_base_page import BtmgPage

if TYPE_CHECKING:
    from desktop.wizards.btmg_wizard import BtmgWizard


# Alt+S, Alt+F, Alt+W, Alt+P jump to a season's tab (Summer and Spring share an S).
_MNEMONIC = {
    Season.SUMMER: "&Summer",
    Season.FALL: "&Fall",
    Season.WINTER: "&Winter",
    Season.SPRING: "S&pring",
}


def tab_label(season: Season) -> str:
    return _MNEMONIC[season]


class SeasonForm(QWidget):
    def __init__(self, page: BtmgSeasonsPage, season: Season) -> None:
        super().__init__()
        self.season = season
        self.setObjectName(f"season_{season.value}")
        self.editors: dict[str, Editor] = {}
        self.rows: dict[str, FieldRow] = {}
        outer = QVBoxLayout(self)
        self.dates = QLabel()
        self.dates.setObjectName("season_dates")
        outer.addWidget(self.dates)
        form = QFormLayout()
        outer.addLayout(form)
        for spec in SEASON_FIELDS:
            editor: Editor
            if spec.key == "generators":
                editor = GeneratorPicker(spec, season.label, page.wiz.generator_label)
            else:
                editor = make_editor(spec, season.label)
            editor.edited.connect(lambda typing: page.wiz.on_edited(page, typing))
            page.follow_focus(editor.focus, editor.step, season.label)
            self.editors[spec.key] = editor
            self.rows[spec.key] = add_row(form, editor)
            if spec.key == "generators":
                self.add_generator = QPushButton("Add &generator…")
                self.add_generator.setObjectName("add_generator")
                self.add_generator.setToolTip("A generator that is not in your drafts: name + MW.")
                self.add_generator.clicked.connect(lambda: page.open_add_generator(self))
                line = QHBoxLayout()
                line.addWidget(self.add_generator)
                line.addStretch(1)
                form.addRow("", line)
        self.editors["excluded"].edited.connect(lambda _t: self.update_enabled())
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(f"&Copy {season.label} to the other seasons")
        self.copy_button.setObjectName("copy_season")
        self.copy_button.setToolTip("Every field of this season, generators included.")
        self.copy_button.clicked.connect(lambda: page.copy_season(season))
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        outer.addStretch(1)

    @property
    def picker(self) -> GeneratorPicker:
        picker = self.editors["generators"]
        assert isinstance(picker, GeneratorPicker)
        return picker

    def update_enabled(self) -> None:
        excluded = bool(self.editors["excluded"].value())
        for key, editor in self.editors.items():
            if key != "excluded":
                editor.widget.setEnabled(not excluded)
        self.add_generator.setEnabled(not excluded)


class BtmgSeasonsPage(BtmgPage):
    key = Page.SEASONS

    def __init__(self, wizard: BtmgWizard) -> None:
        super().__init__(wizard)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("season_tabs")
        self.forms: dict[Season, SeasonForm] = {}
        for season in SEASONS:
            form = SeasonForm(self, season)
            self.forms[season] = form
            self.tabs.addTab(form, tab_label(season))
        self.body.addWidget(self.tabs, 1)
        hint = QLabel(
            "Step 25: enter each season by repeating steps 16–24. Alt+S, Alt+F, Alt+W and Alt+P "
            "open Summer, Fall, Winter and Spring; Space ticks a generator."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.body.addWidget(hint)
        self.dialog: AddGeneratorDialog | None = None
        self.parse_by_season: dict[Season, dict[str, str]] = {}

    def field_widgets(self) -> list[QWidget]:
        form = self.tabs.currentWidget()
        assert isinstance(form, SeasonForm)
        return [e.widget for e in form.editors.values()]

    def refresh_options(self) -> None:
        for form in self.forms.values():
            form.picker.set_options(self.wiz.generator_options)

    def load(self, enrollment: Enrollment) -> None:
        self.refresh_options()
        for season, form in self.forms.items():
            span = enrollment.year.season(season)
            form.dates.setText(
                f"{season.label} {enrollment.year.name}: {span.first_day:%b %d, %Y} – "
                f"{span.last_day:%b %d, %Y} · minimum {MIN_DEPLOYMENTS[season]} deployments"
            )
            values = enrollment.seasons[season]
            for key, editor in form.editors.items():
                editor.set_value(values.get(key))
            form.update_enabled()

    def write(self, enrollment: Enrollment) -> None:
        self.parse_problems = {}
        for season, form in self.forms.items():
            problems = parse_into(form.editors, enrollment.seasons[season])
            for key, message in problems.items():
                self.parse_problems[f"{season.value}.{key}"] = f"{season.label}: {message}"

    def show_issues(self, issues: list[Issue]) -> None:
        for season, form in self.forms.items():
            bad = False
            for key, row in form.rows.items():
                found = self.issues_for(issues, f"{season.value}.{key}")
                row.issues.show_issues(found)
                bad = bad or any(i.blocking for i in found)
            index = self.tabs.indexOf(form)
            self.tabs.setTabText(index, tab_label(season) + (" •" if bad else ""))
        everything = [i for i in issues if i.field == "excluded"]
        self.forms[Season.SUMMER].rows["excluded"].issues.show_issues(everything)

    def focus_field(self, key: str) -> bool:
        season_name, _, field_key = key.partition(".")
        try:
            season = Season(season_name)
        except ValueError:
            season, field_key = Season.SUMMER, key
        form = self.forms[season]
        editor = form.editors.get(field_key)
        if editor is None:
            return False
        self.tabs.setCurrentWidget(form)
        editor.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def copy_season(self, season: Season) -> None:
        enrollment = self.wiz.enrollment
        self.write(enrollment)
        enrollment.copy_season(season)
        self.load(enrollment)
        self.wiz.save_now()

    def open_add_generator(self, form: SeasonForm) -> None:
        dialog = AddGeneratorDialog(self)
        dialog.accepted.connect(lambda: self._generator_added(form, dialog))
        self.dialog = dialog
        dialog.open()

    def _generator_added(self, form: SeasonForm, dialog: AddGeneratorDialog) -> None:
        assert dialog.result_value is not None
        name, capacity = dialog.result_value
        ref = self.wiz.add_local_generator(name, capacity)
        self.refresh_options()
        form.picker.tick(ref)
        form.picker.list.setFocus()
