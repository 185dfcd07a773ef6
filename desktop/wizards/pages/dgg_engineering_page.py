"""Engineering: interconnection, technology, metering and expected output.

The group's commenced operation date and nameplate are shown here, read-only: the registry
derives them from the units (oldest COD, sum of the active units).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.models import dgg
from desktop.models.fields import FieldSpec, format_mw
from desktop.wizards.dgg_session import DggSession
from desktop.wizards.pages.dgg_page import DggFormPage

_BY_KEY: dict[str, FieldSpec] = {s.key: s for s in dgg.ENGINEERING_FIELDS + dgg.DERIVED_FIELDS}


def _pick(*keys: str) -> tuple[FieldSpec, ...]:
    return tuple(_BY_KEY[k] for k in keys)


class DggEngineeringPage(DggFormPage):
    key = dgg.ENGINEERING
    subtitle = (
        "How the units connect to the grid, what they are, and what they are expected to produce."
    )
    sections = (
        (
            "Interconnection",
            _pick(
                "generator_classification",
                "interconnected_utility",
                "utility_ownership_type",
                "balancing_authority",
                "control_area_operator",
            ),
        ),
        (
            "Technology and metering",
            _pick(
                "generation_technology",
                "is_multi_fuel",
                "aggregate_meter",
                "aggregating_unit_count",
                "primary_generator",
                "meter_type",
                "meter_manufacturer",
                "last_meter_certification",
            ),
        ),
        (
            "Capacity and output",
            _pick(
                "group_cod",
                "group_nameplate_mw",
                "capacity_factor",
                "max_annual_energy",
                "biomass_net_generation",
                "repower_dates",
            ),
        ),
        (
            "Wisconsin only",
            _pick("uses_hydro_3_year_avg", "hydro_3_year_avg", "wi_displacement_facility"),
        ),
    )

    def __init__(self, session: DggSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        for spec in dgg.DERIVED_FIELDS:
            editor = self.form.editor(spec.key)
            assert isinstance(editor.input, QLineEdit)
            editor.input.setReadOnly(True)
            editor.input.setClearButtonEnabled(False)
            editor.input.setPlaceholderText("from the units")
            editor.input.setStyleSheet("QLineEdit { background: palette(window); }")
            self.form.labels[spec.key].setText(spec.label)
            for extra in (editor.unit_label, editor.extra):
                if extra is not None:
                    extra.hide()  # nothing to pick or convert: the value is computed

    def save(self) -> None:
        record = self.form.record()
        for spec in dgg.DERIVED_FIELDS:
            record.pop(spec.key, None)  # derived, never typed: not part of the group
        self.session.group.update(record)

    def after_load(self) -> None:
        self._show_derived()

    def refresh(self) -> None:
        self._show_derived()
        super().refresh()

    def _show_derived(self) -> None:
        units = self.session.units
        cod = dgg.derived_cod(units)
        total = dgg.derived_nameplate_mw(units)
        cod_edit = self.form.editor("group_cod").input
        mw_edit = self.form.editor("group_nameplate_mw").input
        assert isinstance(cod_edit, QLineEdit) and isinstance(mw_edit, QLineEdit)
        cod_edit.setText(cod.isoformat() if cod else "")
        active = sum(1 for u in units if u.get("unit_status") in (None, "Active"))
        mw_edit.setText(f"{format_mw(total)} AC ({active} active units)" if units else "")
