"""The product form's shipping template search (htmx)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.forms import ProductForm
from catalog.shipping import shipping_templates, templates_matching
from shops import permissions as p
from shops.tenancy import shop_view


@shop_view(p.CATALOG)
@require_GET
def product_shipping_templates(request, shop_slug):
    """The template select, narrowed to this shop's templates whose title contains
    ``template_q``, and a status line a screen reader announces. The template already chosen
    stays in the list, so a search never unchooses it; an id that is not this shop's is
    dropped."""
    query = request.GET.get("template_q", "").strip()[:80]
    templates = shipping_templates(shop=request.shop)
    matches = templates_matching(templates, query)
    chosen_id = request.GET.get("shipping_template", "")
    chosen = next((t for t in templates if str(t.id) == chosen_id), None)
    default = next((t for t in templates if t.is_default), None)
    form = ProductForm(
        initial={"shipping_template": chosen.id if chosen else None},
        shipping_templates=matches,
        template_search=(default, chosen),
    )
    return render(
        request,
        "catalog/product_form.html#template-select",
        {"form": form, "query": query, "matches": matches, "searched": True},
    )
