"""``{{ amount|money }}`` (and ``{{ amount|money:shop.currency }}``, ``{{ amount|signed_money }}``):
the template face of common.money.format_money. Loaded as a builtin (settings.TEMPLATES)."""

from django import template

from common.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str = "USD") -> str:
    return format_money(amount, currency or "USD")


@register.filter
def signed_money(amount, currency: str = "USD") -> str:
    return format_money(amount, currency or "USD", signed=True)
