"""The LIVE session page's actions (Pause, End, Download summary CSV) sit in one action bar
beside the title on a desktop and wrap as whole buttons on a phone; End asks first."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_live_selling import glow_shop
from tests.marketing.test_live_sessions import pin, schedule, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_page(browser, live_server, password):
    shop, manager, serum = glow_shop()
    session = schedule(shop, manager.user, title="Glow Black Friday LIVE")
    pin(shop, manager.user, session, serum.product, price="19.99", allocation=20, limit=2)
    start(shop, manager.user, session)
    contexts = []

    def open_at(width: int):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, manager.user.email, password)
        page.wait_for_url("**/shops/glow/")
        page.goto(f"/shops/glow/marketing/live/{session.pk}/")
        screenshot(page, f"live-actions-{width}")
        return page

    yield open_at
    for context in contexts:
        context.close()


def boxes(page) -> dict[str, dict]:
    return {
        name: page.locator(selector).bounding_box()
        for name, selector in (
            ("title", "h1"),
            ("pause", "#live-pause"),
            ("csv", "#live-export"),
            ("end", "#live-end"),
        )
    }


def one_line(box: dict) -> bool:
    return box["height"] < 48  # a button's label on one line (two lines are ~60 px)


def test_on_a_desktop_the_actions_sit_in_one_row_beside_the_title(live_page):
    b = boxes(live_page(1440))
    tops = [b[k]["y"] for k in ("pause", "csv", "end")]
    assert max(tops) - min(tops) <= 2  # one row
    assert b["pause"]["x"] < b["csv"]["x"] < b["end"]["x"]  # End last, away from Pause
    assert b["pause"]["x"] > b["title"]["x"] + b["title"]["width"]  # beside the title
    assert (
        abs(
            (b["pause"]["y"] + b["pause"]["height"] / 2)
            - (b["title"]["y"] + b["title"]["height"] / 2)
        )
        < 24
    )
    assert all(one_line(b[k]) for k in ("pause", "csv", "end"))


def test_on_a_phone_the_actions_are_whole_buttons_within_the_screen(live_page):
    page = live_page(390)
    b = boxes(page)
    for name in ("pause", "csv", "end"):
        assert one_line(b[name]), name
        assert b[name]["x"] >= 0 and b[name]["x"] + b[name]["width"] <= 390, name
        assert b[name]["width"] >= 80, name  # not a narrow column
    assert b["pause"]["y"] > b["title"]["y"]  # a row of their own under the title
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_end_asks_before_it_ends(live_page):
    page = live_page(1440)
    page.click("#live-end")
    page.wait_for_selector("#live-end-confirm")
    assert "Orders already placed keep the prices" in page.inner_text("#live-end-confirm")
    page.click("text=Keep it live")
    page.wait_for_selector("#live-status >> text=Live")
    page.click("#live-end")
    page.click("#live-end-yes")
    page.wait_for_selector("#live-status >> text=Ended")
    assert not page.locator("#live-end").count()
