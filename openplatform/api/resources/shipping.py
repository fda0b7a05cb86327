"""Shipping templates (read only), as the shipping pages list them."""

from decimal import Decimal

from ninja import Router, Schema

from openplatform.api.base import need
from openplatform.scopes import SHIPPING_READ
from orders.selectors import access_shipping_template, shipping_template_list

router = Router(tags=["shipping"])


class ZoneOut(Schema):
    id: int
    name: str
    states: list[str]
    rate_type: str
    flat_rate: Decimal
    first_item_rate: Decimal
    additional_item_rate: Decimal
    weight_tiers: list
    min_days: int
    max_days: int


class TemplateOut(Schema):
    id: int
    name: str
    is_default: bool
    free_shipping_threshold: Decimal | None
    platform_shipping: str
    zones: list[ZoneOut]


@router.get("/shipping-templates", response=list[TemplateOut], summary="List shipping templates")
def templates_list(request):
    need(request, SHIPPING_READ)
    return [_template_out(t, t.zone_list) for t in shipping_template_list(shop=request.shop)]


@router.get(
    "/shipping-templates/{shipping_template_id}", response=TemplateOut, summary="Read a template"
)
def template_read(request, shipping_template_id: int):
    need(request, SHIPPING_READ)
    template = access_shipping_template(request.shop, shipping_template_id)
    return _template_out(template, list(template.zones.all()))


def _template_out(template, zones) -> dict:
    out = {name: getattr(template, name) for name in TemplateOut.model_fields if name != "zones"}
    out["zones"] = zones
    return out
