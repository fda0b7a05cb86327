"""Withdrawal request form."""

from decimal import Decimal

from django import forms


class WithdrawalForm(forms.Form):
    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
