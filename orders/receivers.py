"""Orders answers the catalog's questions about what orders owns: the product form's shipping
templates (catalog.shipping), read through the shop-scoped manager."""

from django.dispatch import receiver

from catalog.shipping import TemplateChoice, shipping_templates_wanted
from orders.selectors import shipping_template_choices


@receiver(shipping_templates_wanted, dispatch_uid="orders-shipping-templates-for-catalog")
def shipping_templates_for_catalog(sender, *, shop, **kwargs) -> list[TemplateChoice]:
    return shipping_template_choices(shop=shop)
