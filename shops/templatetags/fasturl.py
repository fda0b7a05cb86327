"""``{% fasturl 'catalog:product_detail' shop_slug=shop.slug product_id=product.pk %}``: the
same URL as ``{% url %}``, reversed once per shape (shops.urlcache) — for row links."""

from django import template

from shops.urlcache import fast_reverse

register = template.Library()


@register.simple_tag
def fasturl(viewname, **kwargs):
    return fast_reverse(viewname, **kwargs)
