"""Orders answers the catalog's questions about what orders owns: the product form's shipping
templates (catalog.shipping), read through the shop-scoped manager. A change to a shipping
template or zone forgets the shop's zones that checkout quotes from."""

from django.dispatch import receiver

from catalog.shipping import TemplateChoice, shipping_templates_wanted
from common.figures import forget_on_change
from orders.models import ShippingTemplate, ShippingZone
from orders.selectors import shipping_template_choices
from orders.services.shipping import shipping_zones_forget


@receiver(shipping_templates_wanted, dispatch_uid="orders-shipping-templates-for-catalog")
def shipping_templates_for_catalog(sender, *, shop, **kwargs) -> list[TemplateChoice]:
    return shipping_template_choices(shop=shop)


forget_on_change(ShippingTemplate, ShippingZone, forget=shipping_zones_forget, uid="orders-zones")
