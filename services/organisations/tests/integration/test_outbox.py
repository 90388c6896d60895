from kit.events import new_event
from kit.outbox import PENDING
from kit.testing import eventually, isolated, serve
from organisations.config import Settings
from organisations.main import create_app

from services.organisations.tests.integration.support import tap


async def test_events_left_in_a_document_by_another_writer_go_out_at_the_next_full_look() -> None:
    settings = isolated(Settings, outbox_full_scan_seconds=0.5)
    async with serve(create_app, settings) as service, tap(settings) as events:
        organisations = service.app.state.runtime.db["organisations"]
        written = {
            "organisationId": "written-elsewhere",
            "code": "ELSEWHERE",
            "name": "Chi bộ ghi nơi khác",
            "kind": "CELL",
            "cellType": "OTHER",
            "parentId": None,
            "ancestorIds": [],
            "status": "ACTIVE",
            "coverage": [],
            "dissolvedOn": None,
            "version": 1,
        }
        left = new_event("partyorg.organisations.organisation.updated.v1", "/test", written)
        await organisations.insert_one({"_id": "written-elsewhere", PENDING: [left]})

        async def published() -> None:
            assert [e["id"] for e in events.received] == [left["id"]]
            document = await organisations.find_one({"_id": "written-elsewhere"})
            assert document is not None and document[PENDING] == []

        await eventually(published)
