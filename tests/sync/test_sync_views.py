"""The sync widgets with real Qt and a real sandbox: outbox Retry/Cancel, connection settings,
the online indicator and the submit panel."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.config import Settings
from desktop.sandbox.launcher import create_key, start_sandbox
from desktop.store import Store
from desktop.store.outbox import ACCEPTED, INTERRUPTED, PAUSED, QUEUED, REJECTED
from desktop.sync import credentials, outbox
from desktop.sync.connection import LOCAL_URL_SETTING, RATE_LIMIT
from desktop.views.online_indicator import OnlineIndicator
from desktop.views.outbox_view import OutboxView
from desktop.views.registry_connection_view import RegistryConnectionView
from desktop.views.submit_panel import SubmitPanel
from desktop.views.sync_service import SyncService
from tests.keyrings import MemoryKeyring
from tests.sync.helpers import TODAY, make_dgg, months

pytestmark = pytest.mark.gui


@pytest.fixture
def service(
    qtbot: QtBot,
    store: Store,
    settings: Settings,
    api_key: str,
    memory_keyring: MemoryKeyring,
) -> Iterator[SyncService]:
    credentials.save_key("local sandbox", api_key)
    s = SyncService(store, settings, auto=False)
    yield s
    if s.busy:
        with qtbot.waitSignal(s.busy_changed, timeout=30_000):
            s.cancel()


def wait_idle(qtbot: QtBot, service: SyncService) -> None:
    qtbot.waitUntil(lambda: not service.busy, timeout=60_000)


def test_outbox_view_cancel_and_retry(
    qtbot: QtBot, service: SyncService, store: Store, tmp_path: Path
) -> None:
    first = make_dgg(store, tmp_path, units=2, name="View group A")
    second = make_dgg(store, tmp_path, units=2, name="View group B")
    a = outbox.queue_dgg(store, first)
    b = outbox.queue_dgg(store, second)
    view = OutboxView(service)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 2
    assert "2 queued" in view.summary.text()
    view.select_item(a.id)
    assert view.cancel_button.isEnabled() and not view.retry_button.isEnabled()
    view.cancel_button.click()
    assert outbox.repository(store).get(a.id).status == INTERRUPTED
    assert view.retry_button.isEnabled()
    view.send_button.click()  # sends B only: A was cancelled
    wait_idle(qtbot, service)
    repo = outbox.repository(store)
    assert repo.get(a.id).status == INTERRUPTED and repo.get(b.id).status == ACCEPTED
    view.select_item(a.id)
    view.retry_button.click()
    wait_idle(qtbot, service)
    assert repo.get(a.id).status == ACCEPTED
    view.select_item(a.id)
    assert "acknowledged" in view.details.toPlainText()
    assert view.model.data(view.model.index(view.model.row_of(a.id), 1)) == "Pending review"


def test_outbox_view_shows_the_registrys_refusal(
    qtbot: QtBot, service: SyncService, store: Store, tmp_path: Path
) -> None:
    draft_id = make_dgg(store, tmp_path, units=2, name="View refused")
    rows = store.units.list(draft_id)
    rows[0]["capacity_mw"] = 1.5  # over the registry's 1 MW unit limit
    store.units.replace_all(draft_id, rows)
    item = outbox.queue_dgg(store, draft_id)
    view = OutboxView(service)
    qtbot.addWidget(view)
    view.send_button.click()
    wait_idle(qtbot, service)
    assert outbox.repository(store).get(item.id).status == REJECTED
    view.select_item(item.id)
    text = view.details.toPlainText()
    assert "Nameplate capacity (AC)" in text and "Unit 1" in text
    assert view.retry_button.isEnabled()


def test_cancel_while_sending(
    qtbot: QtBot, service: SyncService, store: Store, tmp_path: Path
) -> None:
    draft_id = make_dgg(store, tmp_path, units=150, name="Long push")
    item = outbox.queue_dgg(store, draft_id)
    view = OutboxView(service)
    qtbot.addWidget(view)
    progress = service.flush()
    assert progress is not None
    qtbot.waitUntil(lambda: progress.done >= 5, timeout=30_000)
    view.select_item(item.id)
    qtbot.waitUntil(view.cancel_button.isEnabled, timeout=5_000)
    view.cancel_button.click()
    wait_idle(qtbot, service)
    row = outbox.repository(store).get(item.id)
    assert row.status == INTERRUPTED and 0 < row.done < row.total


def test_connection_settings_keep_the_key_out_of_settings(
    qtbot: QtBot, settings: Settings, api_key: str, memory_keyring: MemoryKeyring
) -> None:
    view = RegistryConnectionView(settings)
    qtbot.addWidget(view)
    assert view.banner.isHidden()
    assert view.target.currentText() == "local sandbox"
    assert "No key" in view.key_state.text()
    view.key.setText(api_key)
    with qtbot.waitSignal(view.connection_tested, timeout=30_000) as blocker:
        view.test_button.click()
    assert blocker.args[0] is True, blocker.args[1]
    assert view.key.text() == "" and "keyring" in view.key_state.text()
    assert list(memory_keyring.secrets.values()) == [api_key]
    assert api_key not in Path(settings.path or "").read_text(encoding="utf-8")
    view.target.setCurrentText("production")
    assert not view.url.isReadOnly() and settings.get("registry.target") == "production"
    with qtbot.waitSignal(view.connection_tested, timeout=5_000) as blocker:
        view.test_button.click()
    assert blocker.args[0] is False and "address is not set" in blocker.args[1]


def test_connection_settings_say_when_there_is_no_keyring(
    qtbot: QtBot, settings: Settings, no_keyring: None
) -> None:
    view = RegistryConnectionView(settings)
    qtbot.addWidget(view)
    assert not view.banner.isHidden() and "only until" in view.banner.text()
    view.key.setText("sbx_wrong_key_for_test")
    with qtbot.waitSignal(view.connection_tested, timeout=30_000) as blocker:
        view.test_button.click()
    assert blocker.args[0] is False and "refused the API key" in blocker.args[1]
    assert "session only" in view.key_state.text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_offline_indicator_flushes_when_the_registry_is_back(
    qtbot: QtBot, store: Store, tmp_path: Path, data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    folder = tmp_path / "registry"
    key = create_key(folder)
    credentials.save_key("local sandbox", key)
    port = free_port()
    settings = Settings.load(data_dir / "settings.json")
    settings.set(LOCAL_URL_SETTING, f"http://127.0.0.1:{port}")
    settings.set(RATE_LIMIT, "1000/1")
    service = SyncService(store, settings, auto=False)
    indicator = OnlineIndicator(service)
    qtbot.addWidget(indicator)
    item = outbox.queue_dgg(store, make_dgg(store, tmp_path, units=2, name="Indicator group"))
    with qtbot.waitSignal(service.online_changed, timeout=30_000) as blocker:
        service.check_online()
    assert blocker.args == [False]
    assert "offline" in indicator.label.text() and "1 queued" in indicator.label.text()
    with start_sandbox(folder, port=port, rate_limit=None, today=TODAY):
        with qtbot.waitSignal(service.online_changed, timeout=30_000):
            service.check_online()
        wait_idle(qtbot, service)
        qtbot.waitUntil(lambda: outbox.repository(store).get(item.id).status == ACCEPTED)
    assert "online" in indicator.label.text() and "queued" not in indicator.label.text()


def test_submit_panel_queues_and_follows_the_item(
    qtbot: QtBot, service: SyncService, store: Store, tmp_path: Path, sandbox_dir: Path
) -> None:
    draft_id = make_dgg(store, tmp_path, units=3, name="Panel group")
    panel = SubmitPanel(service)
    qtbot.addWidget(panel)
    assert not panel.button.isEnabled()
    panel.set_draft(draft_id)
    assert panel.button.isEnabled()
    with qtbot.waitSignal(panel.queued, timeout=10_000):
        panel.button.click()
    wait_idle(qtbot, service)
    qtbot.waitUntil(lambda: "Pending review" in panel.state.text(), timeout=10_000)
    assert store.drafts.get(draft_id).status == "Pending review"
    # the generation view's use
    from desktop.sandbox import admin

    generator = store.drafts.get(draft_id).registry_id
    assert generator
    admin.approve(sandbox_dir, "generator", generator)
    panel.set_generation(months(generator, 2), "Two months")
    with qtbot.waitSignal(panel.queued, timeout=10_000):
        panel.button.click()
    wait_idle(qtbot, service)
    qtbot.waitUntil(lambda: panel.state.text().startswith("Sent"), timeout=10_000)
    assert outbox.repository(store).counts()[QUEUED] == 0


def test_pause_resume_in_the_outbox_and_the_status_everywhere(
    qtbot: QtBot, service: SyncService, store: Store, tmp_path: Path
) -> None:
    """Issue 14: a submission you can steer; the drafts list and the wizard say what the
    outbox says (one derivation, desktop.sync.item_state)."""
    from desktop.views.drafts_list_view import DraftsListView
    from desktop.wizards.dgg_wizard import DggWizard

    draft_id = make_dgg(store, tmp_path, units=150, name="Steered push")
    item = outbox.queue_dgg(store, draft_id)
    view = OutboxView(service)
    qtbot.addWidget(view)
    drafts = DraftsListView(store, "dgg", "DG Groups", "", lambda row: None)
    qtbot.addWidget(drafts)
    wizard = DggWizard(store, draft_id, sync_service=service)
    qtbot.addWidget(wizard)

    def draft_cell() -> str:
        return str(drafts.model.data(drafts.model.index(0, 1)))

    assert draft_cell() == "Queued" and wizard.status.text().endswith("Status: Queued")
    view.select_item(item.id)
    assert view.pause_button.isEnabled() and view.cancel_button.isEnabled()
    assert not view.resume_button.isEnabled() and view.pause_all_button.isEnabled()
    progress = service.flush()
    assert progress is not None
    qtbot.waitUntil(lambda: progress.done >= 5, timeout=30_000)
    drafts.refresh()
    assert draft_cell().startswith("Sending ") and draft_cell().endswith(f"/{item.total}")
    view.pause_button.click()
    wait_idle(qtbot, service)
    row = outbox.repository(store).get(item.id)
    assert row.status == PAUSED and 0 < row.done < row.total
    assert "Resume sends the rest" in row.message
    view.refresh()
    assert view.model.data(view.model.index(view.model.row_of(item.id), 1)) == "Paused"
    assert view.resume_button.isEnabled() and view.resume_all_button.isEnabled()
    drafts.refresh()
    assert draft_cell() == "Paused" and wizard.status.text().endswith("Status: Paused")
    service.settings.set(RATE_LIMIT, "10/5")  # the registry's limit: the estimate follows it
    view.refresh()
    left = row.total - row.done
    assert f"{left} records to send: about" in view.summary.text()
    assert "at 10/5." in view.summary.text()
    service.settings.set(RATE_LIMIT, "1000/1")
    view.resume_button.click()
    qtbot.waitUntil(
        lambda: outbox.repository(store).get(item.id).status == ACCEPTED, timeout=60_000
    )
    wait_idle(qtbot, service)
    drafts.refresh()
    assert draft_cell().startswith("Pending review")
    assert wizard.status.text().endswith("Status: Pending review")


def test_the_registry_indicator_follows_one_state(
    qtbot: QtBot,
    store: Store,
    settings: Settings,
    api_key: str,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    """Issue 14: after Test connection said the key works, the status bar still read "API key
    needed"; later "API key needed · sending · 1 queued". One state, every answer updates it."""
    from desktop.views.areas import build_window_parts

    areas, status_widgets = build_window_parts(store, settings)
    indicator, fix_link = status_widgets()  # the indicator and its "Add your API key…" link
    assert isinstance(indicator, OnlineIndicator)
    qtbot.addWidget(fix_link)
    qtbot.addWidget(indicator)
    service = indicator.service
    settings_view = next(a for a in areas if a.key == "settings").build()
    qtbot.addWidget(settings_view)
    connection = settings_view.findChild(RegistryConnectionView)
    assert connection is not None
    assert indicator.label.text().startswith("Registry: API key needed")
    connection.key.setText(api_key)
    with qtbot.waitSignal(connection.connection_tested, timeout=30_000) as blocker:
        connection.test_button.click()
    assert blocker.args[0] is True
    qtbot.waitUntil(lambda: indicator.label.text() == "Registry: online", timeout=5_000)
    connection.target.setCurrentText("M-RETS sandbox")  # no key for that one: said at once
    assert indicator.label.text() == "Registry: API key needed"
    assert "M-RETS sandbox" in indicator.toolTip()
    connection.target.setCurrentText("local sandbox")
    assert indicator.label.text() == "Registry: checking…"
    qtbot.waitUntil(lambda: indicator.label.text() == "Registry: online", timeout=30_000)
    qtbot.waitUntil(lambda: not service.busy, timeout=30_000)
    item = outbox.queue_dgg(store, make_dgg(store, tmp_path, units=120, name="Indicator push"))
    outbox.repository(store).finish(item.id, QUEUED, "The registry cannot be reached.")
    service.answer = None  # as after a start with the registry unknown
    progress = service.flush()
    assert progress is not None
    qtbot.waitUntil(lambda: progress.done >= 3, timeout=30_000)
    assert outbox.repository(store).get(item.id).message == ""  # not the stale answer
    qtbot.waitUntil(
        lambda: indicator.label.text().startswith("Registry: online · sending "), timeout=5_000
    )
    assert "/" in indicator.label.text() and "API key" not in indicator.label.text()
    wait_idle(qtbot, service)
    assert indicator.label.text() == "Registry: online"
