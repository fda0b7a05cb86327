"""The app's own webhook subscriptions and their delivery log."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from openplatform.api.base import Input
from openplatform.models import WebhookDelivery, WebhookSubscription
from openplatform.services import webhook_subscribe
from openplatform.webhooks.delivery import webhook_redeliver

router = Router(tags=["webhooks"])


class SubscriptionIn(Input):
    url: str = Field(min_length=8, max_length=500)
    events: list[str] = Field(min_length=1, max_length=10)


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    created_at: datetime
    disabled_at: datetime | None


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="Verify signatures with it; shown only in this answer.")


class DeliveryOut(Schema):
    id: int
    message_id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_duration_ms: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None


@router.post("/webhooks", response={201: SubscriptionCreated}, summary="Subscribe to events")
def webhook_create(request, body: SubscriptionIn):
    subscription, secret = webhook_subscribe(
        shop=request.shop, app=request.api_app, url=body.url, events=body.events
    )
    subscription.secret = secret
    return Status(201, subscription)


@router.get("/webhooks", response=list[SubscriptionOut], summary="This app's subscriptions")
def webhook_list(request):
    return list(WebhookSubscription.objects.filter(shop=request.shop, app=request.api_app))


@router.get(
    "/webhooks/{webhook_subscription_id}/deliveries",
    response=list[DeliveryOut],
    summary="Delivery log (latest 100)",
)
def delivery_list(request, webhook_subscription_id: int):
    subscription = _access_subscription(request, webhook_subscription_id)
    return list(WebhookDelivery.objects.filter(shop=request.shop, subscription=subscription)[:100])


@router.post(
    "/webhooks/deliveries/{webhook_delivery_id}/redeliver",
    response=DeliveryOut,
    summary="Send a delivery again",
)
def delivery_redeliver(request, webhook_delivery_id: int):
    delivery = get_object_or_404(
        WebhookDelivery.objects.filter(shop=request.shop, subscription__app=request.api_app),
        pk=webhook_delivery_id,
    )
    return webhook_redeliver(shop=request.shop, delivery_id=delivery.pk)


def _access_subscription(request, webhook_subscription_id: int) -> WebhookSubscription:
    return get_object_or_404(
        WebhookSubscription.objects.filter(shop=request.shop, app=request.api_app),
        pk=webhook_subscription_id,
    )
