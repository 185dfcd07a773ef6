"""Screenshots of the sync widgets with realistic data: a real local sandbox, the example DGG
pushed, one refused, one paused midway, one cancelled and one queued submission, the outbox
with the paused one selected, the DG Groups list with their statuses, and the connection
settings.

    Xvfb :96 -screen 0 1280x800x24 &
    DISPLAY=:96 python tools/screenshots/sync.py
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from _common import app, save, settle, temp_store

from desktop.config import Settings
from desktop.models import dgg
from desktop.models.dgg_example import example_group, example_units
from desktop.sandbox import admin
from desktop.sandbox.launcher import create_key, start_sandbox
from desktop.sync import credentials, outbox, pull
from desktop.sync.connection import LOCAL_URL_SETTING, RATE_LIMIT, Reachability, client_for
from desktop.sync.payloads import entries_for_months


def _stopped_midway(store, client, name, units, copies, stop):  # type: ignore[no-untyped-def]
    """A group of `copies` x the example units, sent until a third of it is acknowledged and
    then paused or cancelled (as the button would, between two records)."""
    from desktop.models.dgg_example import example_group

    group = store.drafts.create(
        "dgg", name.removesuffix(" DGG"), dgg.to_json_doc(example_group(group_name=name))
    )
    many = []
    for copy in range(copies):
        for u in units:
            many.append(
                dict(
                    u,
                    uid=f"{u['uid']}-{copy}",
                    name=f"{u['name']} {copy + 1}",
                    meter_id=f"{u['meter_id']}-{copy}",
                )
            )
    store.units.replace_all(group.id, many)
    item = outbox.queue_dgg(store, group.id)
    sender = outbox.Sender(store, client)
    original = sender.steps.run
    sent = [0]

    def run(step, acked):  # type: ignore[no-untyped-def]
        record = original(step, acked)
        sent[0] += 1
        if sent[0] == item.total // 3:
            stop(store, item.id)
        return record

    sender.steps.run = run
    sender.flush(item_ids=[item.id])
    return item.id


def main() -> None:
    application = app()
    from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

    from desktop.models.generation import MonthEnergy
    from desktop.views.online_indicator import OnlineIndicator
    from desktop.views.outbox_view import OutboxView
    from desktop.views.registry_connection_view import RegistryConnectionView
    from desktop.views.sync_service import SyncService

    folder = Path(tempfile.mkdtemp(prefix="rd-shots-registry-"))
    key = create_key(folder)
    with start_sandbox(folder, rate_limit=None, today=date(2025, 6, 15)) as sandbox:
        store = temp_store()
        settings = Settings.load(store.paths.settings)
        settings.set(LOCAL_URL_SETTING, sandbox.base_url)
        credentials.save_key("local sandbox", key)
        units = [dgg.unit_to_json(u) for u in example_units()]
        good = store.drafts.create("dgg", "North Star", dgg.to_json_doc(example_group()))
        store.units.replace_all(good.id, units)
        refused_group = example_group(group_name="Lakeside Homes DGG")
        refused = store.drafts.create("dgg", "Lakeside", dgg.to_json_doc(refused_group))
        bad_units = [dict(u) for u in units[:4]]
        bad_units[2]["capacity_mw"] = 1.2  # over the 1 MW unit limit
        store.units.replace_all(refused.id, bad_units)
        outbox.queue_dgg(store, good.id)
        outbox.queue_dgg(store, refused.id)
        client = client_for(settings)
        outbox.Sender(store, client).flush()
        generator = store.drafts.get(good.id).registry_id or ""
        admin.approve(folder, "generator", generator)
        year = [MonthEnergy(2025, m, round(0.6 + m * 0.35, 3)) for m in range(1, 6)]
        outbox.queue_generation(
            store, entries_for_months(generator, year), title="Generation Jan–May 2025: North Star"
        )
        outbox.Sender(store, client).flush()
        client.call(
            "generators.update",
            path={"id": generator},
            json={
                "data": {
                    "type": "generators",
                    "id": generator,
                    "attributes": {"meter_manufacturer": "Landis+Gyr"},
                }
            },
        )
        pull.pull(store, client)
        third = store.drafts.create(
            "dgg", "Prairie", dgg.to_json_doc(example_group(group_name="Prairie Roofs DGG"))
        )
        store.units.replace_all(third.id, units[:6])
        paused = _stopped_midway(
            store, client, "Riverbend Solar Gardens DGG", units, 5, outbox.pause
        )
        _stopped_midway(store, client, "Maple Court Rooftops DGG", units, 2, outbox.cancel)
        settings.set(RATE_LIMIT, "10/5")  # the estimate of the time left at M-RETS's limit

        service = SyncService(store, settings, auto=False)
        service.note_answer(Reachability(True, True, "Connected."))  # as after a check
        outbox.queue_dgg(store, third.id)  # queued after the check: waits for Send now
        window = QMainWindow()
        view = OutboxView(service)
        window.setCentralWidget(view)
        window.statusBar().addPermanentWidget(OnlineIndicator(service))
        window.resize(1100, 620)
        window.show()
        view.select_item(2)
        settle(500)
        save(window, "sync-outbox")
        view.select_item(paused)
        settle(300)
        save(window, "sync-outbox-paused")
        window.close()

        from desktop.views.drafts_list_view import DraftsListView

        drafts = DraftsListView(
            store, "dgg", "Distributed Generation Groups", "Statuses follow the outbox.", print
        )
        drafts.resize(1000, 380)
        drafts.show()
        save(drafts, "sync-drafts-statuses")
        drafts.close()

        holder = QWidget()
        QVBoxLayout(holder).addWidget(RegistryConnectionView(settings))
        holder.resize(760, 300)
        holder.show()
        save(holder, "sync-connection")
        holder.close()
        store.close()
    application.quit()


if __name__ == "__main__":
    main()
