"""Links that respect roles: ``{% if membership|may_open:url %}`` is the tenancy check itself
(the capability the page's view declared), so a link shown never leads to a 403."""

from django import template

from shops.tenancy import member_may_open

register = template.Library()


@register.filter
def may_open(membership, url: str) -> bool:
    return membership is not None and member_may_open(membership, url)
