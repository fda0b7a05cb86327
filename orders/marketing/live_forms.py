"""The LIVE forms: scheduling a session and pinning a product. The forms read the fields; the
rules (lengths, prices, limits, overlaps) are orders.marketing.live_services', whose refusals
``common.errors.submit`` puts next to their field."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from catalog.forms import AmountField
from common.clock import to_local_input
from orders.marketing.forms import MAX_AMOUNT, _moment, _whole
from orders.marketing.live_models import LivePin, LiveSession


class LiveSessionForm(forms.Form):
    title = forms.CharField(required=False)
    starts_at = forms.CharField(label="Start", required=False)
    expected_minutes = forms.CharField(label="Expected length (minutes)", required=False)

    def __init__(self, *args, session: LiveSession | None = None, **kwargs):
        if session is None:
            start = timezone.now() + timedelta(hours=1)
            initial = {"starts_at": to_local_input(start), "expected_minutes": "60"}
        else:
            initial = {
                "title": session.title,
                "starts_at": to_local_input(session.starts_at),
                "expected_minutes": str(session.expected_minutes),
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def clean_starts_at(self):
        if not (self.cleaned_data["starts_at"] or "").strip():
            return None
        return _moment(self.cleaned_data["starts_at"], "Start")

    def clean_expected_minutes(self):
        return _whole(self.cleaned_data["expected_minutes"], "The expected length", signed=True)


class LivePinForm(forms.Form):
    live_price = AmountField(label="Live price", maximum=MAX_AMOUNT, required=False)
    allocation = forms.CharField(label="Live allocation", required=False)
    per_buyer_limit = forms.CharField(label="Limit per buyer", required=False)

    def __init__(self, *args, pin: LivePin | None = None, **kwargs):
        if pin is not None:
            kwargs.setdefault(
                "initial",
                {
                    "live_price": "" if pin.live_price is None else str(pin.live_price),
                    "allocation": "" if pin.allocation is None else str(pin.allocation),
                    "per_buyer_limit": ""
                    if pin.per_buyer_limit is None
                    else str(pin.per_buyer_limit),
                },
            )
        super().__init__(*args, **kwargs)

    def clean_allocation(self):
        return _whole(self.cleaned_data["allocation"], "The live allocation", signed=True)

    def clean_per_buyer_limit(self):
        return _whole(self.cleaned_data["per_buyer_limit"], "The per-buyer limit", signed=True)
