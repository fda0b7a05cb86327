"""Buyer and seller message forms."""

from django import forms


class MessageForm(forms.Form):
    # Length is checked by the service (a clear message rather than a silently cut field).
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, strip=False)


class BuyerQuestionForm(MessageForm):
    buyer_name = forms.CharField(max_length=150, label="Your name")
    buyer_email = forms.EmailField(label="Your email")
