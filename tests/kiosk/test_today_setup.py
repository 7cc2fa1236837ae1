"""The office changes today's setup over MQTT, and the kiosk's choice screen follows at once."""
from kiosk.i18n import tr
from tests.hub.test_office_setup import change
from tests.kiosk.test_paths_with_hub import open_desks


def test_closing_the_volunteer_desk_and_cancelling_thursday_change_the_offer_and_the_line(kiosk, hub, recorder,
                                                                                           site):
    open_desks(recorder, site, "vol-1", "desk-1")
    drv = kiosk.driver
    drv.wait_until(lambda: kiosk.services.link.board and kiosk.services.link.board.kinds["volunteer"].open)
    drv.tap("English")
    drv.tap("MitID, Digital Post and apps")
    drv.tap("Show me how to use it")
    assert drv.button(tr("en", "choice_volunteer"))
    web = recorder(f"reception/{site.id}/setup/#")
    assert change(web, "close_desk", desk="vol-1")["ok"]
    drv.wait_until(lambda: drv.screen.ids.title.text == tr("en", "choice_title_staff"))
    shown = lambda: " ".join(label.text for label in drv.labels(drv.screen))
    assert "Volunteers are here on Thursday at 9:00." in shown()
    assert tr("en", "choice_volunteer") not in [b.text for b in drv.buttons()]
    assert change(web, "cancel_session", date="2026-11-26", time="09:00-12:00")["ok"]
    drv.wait_until(lambda: "Volunteers are here on Tuesday at 9:00." in shown())
