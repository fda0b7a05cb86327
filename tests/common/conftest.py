import pytest

from tests.common.hostile import hostile_shop_data


@pytest.fixture
def hostile_shop_holding(
    shop, owner, owner_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    """``hostile_shop_holding(text)`` fills the shop with ``text`` wherever a person types."""

    def build(text: str) -> dict:
        return hostile_shop_data(
            text=text,
            shop=shop,
            owner=owner,
            owner_client=owner_client,
            on_commit=django_capture_on_commit_callbacks,
            settings=settings,
            tmp_path=tmp_path,
        )

    return build
