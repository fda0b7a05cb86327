"""A product's shipping template, as the catalog sees it.

The link is the product's own column, ``Product.shipping_template_id`` (empty: the shop's
default template). The templates themselves live in orders, above catalog, so catalog asks for
them with a signal it defines and orders answers (orders/receivers.py) from its shop-scoped
manager: the product form's choices, its search by title and the check that a posted id is one
of this shop's templates all come from that one answer.
"""

from dataclasses import dataclass

from django.dispatch import Signal

from shops.models import Shop

# sender=Shop, ``shop``. A receiver returns the shop's templates as TemplateChoice, the default
# first. A shop keeps a handful (one per way it ships), so the search reads them all.
shipping_templates_wanted = Signal()

SEARCH_LIMIT = 20  # matches shown for one search; a longer title narrows it further


@dataclass(frozen=True)
class TemplateChoice:
    id: int
    name: str
    is_default: bool


def shipping_templates(*, shop: Shop) -> list[TemplateChoice]:
    """This shop's shipping templates, the default first."""
    answers = shipping_templates_wanted.send(sender=Shop, shop=shop)
    return [choice for _receiver, choices in answers for choice in choices]


def templates_matching(templates: list[TemplateChoice], query: str) -> list[TemplateChoice]:
    """The templates whose title contains ``query`` (any case), at most SEARCH_LIMIT."""
    words = query.casefold().strip()
    return [t for t in templates if words in t.name.casefold()][:SEARCH_LIMIT]
