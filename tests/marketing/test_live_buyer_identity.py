"""A LIVE's per-buyer limit counts mailboxes, as coupons do (orders.marketing.models
.buyer_identity): a "+tag" or Gmail's dots do not make a second buyer."""

import pytest
from django_scopes import scope

from common.errors import Refused
from orders.marketing.live_models import LiveSale
from tests.marketing.conftest import place
from tests.marketing.test_live_sessions import pin, schedule, start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("again", ["ann+2@gmail.com", "a.n.n@gmail.com", "Ann@GoogleMail.com"])
def test_a_second_address_of_the_same_mailbox_is_the_same_buyer(shop, owner, sku, again):
    sku.on_hand = 50
    sku.save()
    session = schedule(shop, owner)
    pin(shop, owner, session, sku.product, price="10.00", limit=1)
    start(shop, owner, session)
    place(shop, (sku, 1), email="ann@gmail.com")

    with pytest.raises(Refused, match="limited to 1 per buyer"):
        place(shop, (sku, 1), email=again)

    place(shop, (sku, 1), email="bob@gmail.com")  # another mailbox: its own limit
    with scope(shop=shop):
        assert sorted(LiveSale.objects.values_list("buyer_email", flat=True)) == [
            "ann@gmail.com",
            "bob@gmail.com",
        ]
