"""General: what the group is called, its type, who reports for it, where it is."""

from __future__ import annotations

from desktop.models import dgg
from desktop.models.fields import FieldSpec
from desktop.wizards.pages.dgg_page import DggFormPage

_BY_KEY: dict[str, FieldSpec] = {s.key: s for s in dgg.GENERAL_FIELDS}


def _pick(*keys: str) -> tuple[FieldSpec, ...]:
    return tuple(_BY_KEY[k] for k in keys)


class DggGeneralPage(DggFormPage):
    key = dgg.GENERAL
    subtitle = "Name the group, say what kind of units it holds, and where they are."
    sections = (
        (
            "Group",
            _pick(
                "group_name",
                "group_type",
                "reporting_entity",
                "reporting_unit_id",
                "issuance_account",
            ),
        ),
        ("Location of the units", _pick("country", "state_province")),
        (
            "Other identifiers (optional)",
            _pick(
                "eia_number",
                "qualifying_facility",
                "wi_rrc_unit_id",
                "wi_rrc_program_registration_date",
            ),
        ),
    )
