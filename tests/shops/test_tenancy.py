import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import ScopeError, scope

from catalog.models import Product
from shops.models import Shop
from tests.factories import MembershipFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client, shop):
    url = reverse("catalog:product_list", kwargs={"shop_slug": shop.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_unknown_shop_is_a_404_page_in_the_sites_layout(owner_client):
    response = owner_client.get("/shops/no-such-shop/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_non_member_gets_404_not_403(client, shop, other_owner):
    client.force_login(other_owner)
    assert client.get(reverse("home", kwargs={"shop_slug": shop.slug})).status_code == 404


def test_malformed_ids_are_404(owner_client, shop):
    for path in (
        f"/shops/{shop.slug}/products/abc/",
        f"/shops/{shop.slug}/orders/1e9/",
        f"/shops/{shop.slug}/products/99999999999999999999/",
    ):
        assert owner_client.get(path).status_code == 404, path


def test_deleted_shop_is_gone_for_its_members(owner_client, shop):
    Shop.objects.filter(pk=shop.pk).update(status=Shop.Status.DELETED)
    assert owner_client.get(reverse("home", kwargs={"shop_slug": shop.slug})).status_code == 404


@pytest.mark.parametrize(
    ("role", "url_name", "expected"),
    [
        ("staff", "orders:order_list", 200),
        ("staff", "orders:inbox", 200),
        ("staff", "catalog:product_list", 403),
        ("staff", "orders:finance", 403),
        ("manager", "catalog:product_list", 200),
        ("manager", "orders:analytics", 200),
        ("manager", "orders:finance", 403),
        ("owner", "orders:finance", 200),
    ],
)
def test_roles_see_what_spec_section_1_gives_them(client, shop, role, url_name, expected):
    user = MembershipFactory(shop=shop, role=role).user
    client.force_login(user)
    assert client.get(reverse(url_name, kwargs={"shop_slug": shop.slug})).status_code == expected


def test_navigation_shows_only_what_the_role_may_open(client, shop):
    client.force_login(MembershipFactory(shop=shop, role="staff").user)
    body = client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert ">Orders<" in body and ">Customer service<" in body
    assert ">Products<" not in body and ">Finance<" not in body


def test_shop_owned_queries_refuse_to_run_outside_a_shop_scope(shop):
    ProductFactory(shop=shop)
    with scope(), pytest.raises(ScopeError):  # scoping on, but no shop chosen
        list(Product.objects.all())


def test_inside_a_shop_scope_queries_are_already_filtered(shop, other_shop):
    ProductFactory(shop=shop, title="mine")
    ProductFactory(shop=other_shop, title="theirs")
    with scope(shop=shop):
        assert [p.title for p in Product.objects.all()] == ["mine"]


def test_post_without_csrf_token_is_refused(shop, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 403


def test_shop_switcher_lists_the_users_other_shops(client, shop, other_shop):
    user = UserFactory()
    MembershipFactory(user=user, shop=shop, role="owner")
    MembershipFactory(user=user, shop=other_shop, role="manager")
    client.force_login(user)
    body = client.get(reverse("home", kwargs={"shop_slug": shop.slug})).content.decode()
    assert reverse("home", kwargs={"shop_slug": other_shop.slug}) in body
    picker = client.get(reverse("shop_picker"))
    assert picker.status_code == 200 and "Beta Market" in picker.content.decode()


def test_switcher_shows_at_most_twenty_other_shops_and_never_the_current_or_deleted(client):
    from shops.identity import SWITCHER_LIMIT
    from tests.factories import ShopFactory

    user = UserFactory()
    shops = [ShopFactory(name=f"Shop {i:02d}", slug=f"shop-{i:02d}") for i in range(25)]
    for s in shops:
        MembershipFactory(user=user, shop=s, role="owner")
    gone = ShopFactory(name="Aaa Deleted", slug="aaa-deleted", status=Shop.Status.DELETED)
    MembershipFactory(user=user, shop=gone, role="owner")
    client.force_login(user)
    current = shops[24]  # sorts last by name: still resolved, never listed as "other"
    body = client.get(reverse("home", kwargs={"shop_slug": current.slug})).content.decode()
    menu = body.split('class="switcher-menu"')[1].split("</details>")[0]
    listed = [s for s in shops if f'href="/shops/{s.slug}/"' in menu]
    assert listed == shops[:SWITCHER_LIMIT] and current not in listed
    assert "aaa-deleted" not in menu and "All my shops" in menu
