"""The shop itself, and where it stands (inactivity countdown, probation, eligibility)."""

from datetime import date, datetime

from ninja import Router, Schema

from lifecycle.eligibility import latest_evaluation
from lifecycle.selectors import inactivity_status
from openplatform.api.base import need
from openplatform.scopes import SHOP_READ, STANDING_READ

router = Router(tags=["shop"])


class ShopOut(Schema):
    id: int
    name: str
    slug: str
    status: str
    region: str
    currency: str
    on_probation: bool
    last_activity_at: datetime | None


class StandingOut(Schema):
    inactivity_stage: str
    days_inactive: int
    next_action: str
    next_action_date: date | None
    days_until_next_action: int | None
    delisted_for_inactivity: int
    in_investigation: bool
    banned: bool
    store_deposit_paid: bool
    on_probation: bool
    program_eligible: bool | None


@router.get("/shop", response=ShopOut, summary="The token's shop")
def shop_read(request):
    need(request, SHOP_READ)
    return request.shop


@router.get("/shop/standing", response=StandingOut, summary="Inactivity stage and standing")
def standing_read(request):
    need(request, STANDING_READ)
    shop = request.shop
    status = inactivity_status(shop)
    evaluation = latest_evaluation(shop)
    return StandingOut(
        inactivity_stage=status.stage,
        days_inactive=status.days_inactive,
        next_action=status.next_action_label,
        next_action_date=status.next_action_date,
        days_until_next_action=status.days_until_next_action,
        delisted_for_inactivity=status.delisted_products,
        in_investigation=status.in_investigation,
        banned=status.banned,
        store_deposit_paid=status.has_deposit,
        on_probation=shop.on_probation,
        program_eligible=evaluation.eligible if evaluation else None,
    )
