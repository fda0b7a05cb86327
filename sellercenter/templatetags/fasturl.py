"""``{% fasturl 'catalog:product_detail' shop_slug=shop.slug product_id=product.pk %}``: the
same URL as ``{% url %}``, reversed once per shape (sellercenter.urlcache) — for row links."""

from django import template

from sellercenter.urlcache import fast_reverse

register = template.Library()


@register.simple_tag
def fasturl(viewname, **kwargs):
    return fast_reverse(viewname, **kwargs)
