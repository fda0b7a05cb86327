"""Forms for returns, the inbox and finance. They parse input; the services hold the rules."""

from decimal import Decimal

from django import forms

from common.money import format_money
from common.uploads import MultipleImageField
from orders.models import Order
from orders.returns.models import RETURN_REASONS, ReturnPolicy, ReturnRequest


class ReturnRequestForm(forms.Form):
    line = forms.ModelChoiceField(queryset=None, label="Item", empty_label=None)
    kind = forms.ChoiceField(choices=ReturnRequest.Kind.choices, label="What do you need?")
    reason = forms.ChoiceField(choices=[("", "Choose a reason")] + [(r, r) for r in RETURN_REASONS])
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    photos = MultipleImageField(help_text="Optional: up to 5 photos (JPEG, PNG or WebP).")

    def __init__(self, *args, order: Order, open_line_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.exclude(pk__in=list(open_line_ids))
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.title} × {line.quantity} — {format_money(line.line_total)}"
        )


class ShipBackForm(forms.Form):
    carrier = forms.ChoiceField(choices=[(c, c) for c in ("UPS", "USPS", "FedEx", "DHL", "Other")])
    tracking = forms.CharField(max_length=64, label="Tracking number")


class EscalateForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why do you disagree with the inspection?",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReceiveForm(forms.Form):
    restock = forms.BooleanField(required=False, initial=True, label="Put the item back in stock")


class RefundForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))


class ReceiptRejectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    photos = MultipleImageField(help_text="Photos of what you found (JPEG, PNG or WebP).")


class ReturnPolicyForm(forms.ModelForm):
    class Meta:
        model = ReturnPolicy
        fields = ReturnPolicy.EDITABLE
        labels = {
            "window_days": "Return window (days after delivery)",
            "return_shipping_paid_by": "Who pays return shipping",
            "refund_original_shipping": "Refunds may include the original shipping",
            "restocking_fee_kind": "Restocking fee",
            "restocking_fee_value": "Fee amount",
        }
        help_texts = {"window_days": "", "refund_original_shipping": ""}

    def clean_window_days(self):
        days = self.cleaned_data["window_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError("Choose between 1 and 365 days.")
        return days

    def clean(self):
        data = super().clean()
        kind, value = data.get("restocking_fee_kind"), data.get("restocking_fee_value")
        if value is not None and value < 0:
            self.add_error("restocking_fee_value", "The fee cannot be negative.")
        if kind == ReturnPolicy.FeeKind.PERCENT and value is not None and value > 100:
            self.add_error("restocking_fee_value", "A percentage fee is at most 100.")
        return data
