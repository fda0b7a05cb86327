"""Staff console in the browser: a trust & safety user signs in with the second factor,
suspends a product with a reason in the staff console, and the seller sees that reason.
Also looks at the Help page, a support ticket answered by staff, and the security log."""

import pytest
from django.urls import reverse
from django_scopes import scope

from catalog.models import Product
from tests.browser.conftest import screenshot, sign_in, sign_in_with_second_factor
from tests.factories import (
    MembershipFactory,
    ShopFactory,
    UserFactory,
    enable_two_factor,
    listable_product,
    staff_in_group,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "The listing says 'FDA approved'. Remove the claim, then resubmit."


def test_trust_and_safety_suspends_a_product_and_the_seller_sees_the_reason(page, password):
    shop = ShopFactory(name="Glow Lab", slug="glow-lab")
    seller = MembershipFactory(shop=shop, user=UserFactory(email="gia@glow.test")).user
    product = listable_product(shop, status=Product.Status.LIVE, title="Miracle serum")
    tns = staff_in_group("Trust & safety", email="tess@platform.test")
    key, _ = enable_two_factor(tns)

    sign_in_with_second_factor(page, tns.email, password, key)
    page.wait_for_load_state()
    page.goto("/admin/")
    screenshot(page, "staff_console_index")
    page.goto(reverse("admin:shops_shop_changelist"))
    page.click("select[name=action]")
    screenshot(page, "staff_console_shops")
    page.goto("/admin/")
    page.click("text=Products")
    page.fill("input[name=shop]", "glow-lab")
    page.press("input[name=shop]", "Enter")
    page.wait_for_url("**shop=glow-lab**")
    page.check(f"input[name=_selected_action][value='{product.pk}']")
    page.select_option("select[name=action]", "suspend_products")
    page.click("button[name=index]")
    page.wait_for_selector("#staff-action-form")
    page.fill("textarea[name=reason]", REASON)
    screenshot(page, "staff_console_suspend_form")
    page.click("#staff-action-form input[type=submit]")
    page.wait_for_selector("text=Suspend products: done for 1.")
    screenshot(page, "staff_console_products_after")
    product.refresh_from_db()
    assert product.status == "suspended"

    page.context.clear_cookies()
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/glow-lab/")
    page.goto(
        reverse("catalog:product_detail", kwargs={"shop_slug": shop.slug, "product_id": product.pk})
    )
    callout = page.locator(".callout.bad")
    assert "Suspended by platform staff" in callout.inner_text()
    assert REASON in callout.inner_text()
    screenshot(page, "staff_console_seller_sees_reason")

    # The seller asks support; support answers in the admin; the seller reads the answer.
    page.click("nav.sidenav >> text=Help")
    page.select_option("select[name=category]", "other")
    page.fill("input[name=subject]", "Serum suspended")
    page.fill("textarea[name=body]", "I removed the claim. Can you lift the suspension?")
    screenshot(page, "help_page")
    page.click("button:has-text('Send to support')")
    page.wait_for_selector("#ticket-thread")

    # Support sees it flagged once it has waited over 24 hours, and answers in the admin.
    from datetime import timedelta

    from django.utils import timezone

    from shops.models import SupportTicket

    with scope(shop=shop):
        ticket = SupportTicket.objects.get()
        SupportTicket.objects.filter(pk=ticket.pk).update(
            awaiting_staff_since=timezone.now() - timedelta(hours=30)
        )
    support = staff_in_group("Support", email="sam@platform.test")
    support_key, _ = enable_two_factor(support)
    page.context.clear_cookies()
    sign_in_with_second_factor(page, support.email, password, support_key)
    page.wait_for_load_state()
    page.goto(reverse("admin:shops_supportticket_changelist") + "?waiting=overdue")
    assert page.locator(".ticket-overdue").count() == 1
    screenshot(page, "staff_console_tickets_overdue")
    page.click(f"text=#{ticket.pk} Serum suspended")
    page.wait_for_selector("textarea[name=reply]")
    assert "I removed the claim" in page.inner_text("#content")  # the thread, under the form
    page.fill("textarea[name=reply]", "Thanks, we lifted the suspension.")
    screenshot(page, "staff_console_ticket_reply")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")

    page.context.clear_cookies()
    sign_in(page, seller.email, password)
    page.wait_for_url("**/shops/glow-lab/")
    page.goto(
        reverse(
            "shops:ticket_detail", kwargs={"shop_slug": shop.slug, "support_ticket_id": ticket.pk}
        )
    )
    assert "we lifted the suspension" in page.inner_text("#ticket-thread")
    screenshot(page, "ticket_thread_seller")


def test_security_log_page(page, password):
    from accounts import audit

    shop = ShopFactory(name="Glow Lab", slug="glow-lab")
    owner = MembershipFactory(shop=shop, user=UserFactory(email="gia@glow.test")).user
    staff = UserFactory(email="tess@platform.test", is_staff=True)
    audit.record(
        actor=staff, action="shop.status_changed", shop=shop, target=shop,
        changes={"status": ("active", "suspended"), "reason": ("", "Counterfeit")},
        ip="198.51.100.7",
    )  # fmt: skip
    audit.record(actor=None, action="lifecycle.shop_active", shop=shop, target=shop)
    sign_in(page, owner.email, password)
    page.wait_for_url("**/shops/glow-lab/")
    page.goto(reverse("shops:settings", kwargs={"shop_slug": shop.slug}))
    page.click("text=Security log")
    page.wait_for_selector("#security-log")
    assert "shop.status_changed" in page.inner_text("#security-log")
    assert "active → suspended" in page.inner_text("#security-log")
