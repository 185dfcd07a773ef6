"""Owner: the owner's contact, how the units are owned, the mailing address, the operator."""

from __future__ import annotations

from desktop.models import dgg
from desktop.models.fields import FieldSpec
from desktop.wizards.pages.dgg_page import DggFormPage

_BY_KEY: dict[str, FieldSpec] = {s.key: s for s in dgg.OWNER_FIELDS}
_MAILING = tuple(k for k in _BY_KEY if k.startswith("mailing_") and k != "mailing_same")


def _pick(*keys: str) -> tuple[FieldSpec, ...]:
    return tuple(_BY_KEY[k] for k in keys)


class DggOwnerPage(DggFormPage):
    key = dgg.OWNER
    subtitle = "Who owns the units, and who operates them."
    sections = (
        (
            "Owner",
            _pick(
                "owner_company",
                "owner_street",
                "owner_street_2",
                "owner_city",
                "owner_state_province",
                "owner_postal_code",
                "owner_country",
                "owner_phone",
                "owner_email",
                "owner_website",
            ),
        ),
        (
            "Ownership",
            _pick(
                "single_owner",
                "additional_owners",
                "ownership_types",
                "org_owns",
                "has_ppa",
                "registration_rights_assign",
                "registration_rights_assign_date",
                "court_regulator_rights_assign",
                "court_regulator_rights_assign_date",
                "is_wi_retail_elec_provider",
                "retail_elec_providers",
                "publish_contact",
            ),
        ),
        ("Mailing address", _pick("mailing_same", *_MAILING)),
        (
            "Operator",
            _pick(
                "operator_name",
                "operator_job_title",
                "operator_street",
                "operator_street_2",
                "operator_city",
                "operator_state_province",
                "operator_postal_code",
                "operator_country",
                "operator_phone",
                "operator_email",
            ),
        ),
    )

    def after_load(self) -> None:
        self._show_mailing()

    def after_edit(self, key: str) -> None:
        if key == "mailing_same":
            self._show_mailing()

    def _show_mailing(self) -> None:
        """The mailing address is asked for only when it differs from the owner's."""
        different = self.session.group.get("mailing_same") is False
        for key in _MAILING:
            self.form.set_visible_field(key, different)
