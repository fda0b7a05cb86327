"""Catalog input parsing. Forms turn request data into values for the services, nothing more."""

from decimal import Decimal

from django import forms

from catalog.models import Category, Product
from catalog.services.bulk import ACTIONS
from catalog.services.products.editing import VariantInput
from common.policy import POLICY
from common.uploads import MultipleImageField

MONEY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": Decimal("0.01"),
    "error_messages": {
        "invalid": "Enter a number such as 19.99.",
        "min_value": "The price must be at least 0.01.",
        "max_decimal_places": "Use at most 2 decimal places.",
    },
}
STOCK_ERRORS = {
    "invalid": "Enter stock as a whole number, such as 25.",
    "min_value": "Stock cannot be negative.",
}


class AmountField(forms.CharField):
    """An amount of money or a percentage as sellers type it ("$4.99", "15%", "20"), in cents.

    Left empty it is ``empty`` (or "Enter …" when required); beyond ``maximum`` (or below
    ``minimum``, when given) it is refused: a typo, and more than the columns hold."""

    def __init__(self, *, maximum: Decimal, minimum: Decimal | None = None, empty=None, **kwargs):
        self.maximum, self.minimum, self.empty = maximum, minimum, empty
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {str(self.label).lower()}."

    def to_python(self, value):
        text = super().to_python(value).lstrip("$").rstrip("%").strip()
        if not text:
            return self.empty
        try:
            amount = Decimal(text)
        except ArithmeticError:
            raise forms.ValidationError(f"{self.label} must be a number like 10 or 4.99.") from None
        low = self.minimum if self.minimum is not None else -self.maximum
        if not amount.is_finite() or not low <= amount <= self.maximum:
            raise forms.ValidationError(
                f"{self.label} must be a number like 10 or 4.99, "
                + (f"from {low} to {self.maximum:,}." if self.minimum is not None
                   else f"at most {self.maximum:,}.")
            )  # fmt: skip
        return amount.quantize(Decimal("0.01"))


class ShopProductField(forms.ModelChoiceField):
    """One product of the form's shop: the form sets ``queryset`` to that shop's products in its
    ``__init__``; any other id, another shop's included, is refused with ``message`` (the same
    words for "missing" and "not yours")."""

    def __init__(self, *, message: str, **kwargs):
        messages = {"required": message, "invalid_choice": message}
        kwargs["error_messages"] = messages | kwargs.get("error_messages", {})
        super().__init__(queryset=Product.objects.none(), **kwargs)

    def to_python(self, value):
        _refuse_unlikely_ids([value], self.error_messages["invalid_choice"])
        return super().to_python(value)


class ShopProductsField(forms.ModelMultipleChoiceField):
    """Several products of the form's shop, as ``ShopProductField``."""

    def __init__(self, *, message: str, **kwargs):
        messages = {"invalid_choice": message, "invalid_pk_value": message}
        kwargs["error_messages"] = messages | kwargs.get("error_messages", {})
        super().__init__(queryset=Product.objects.none(), **kwargs)

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            _refuse_unlikely_ids(value, self.error_messages["invalid_choice"])
        return super().clean(value)


def _refuse_unlikely_ids(values, message: str) -> None:
    """An id that is not a plain number the database can hold is no product of anyone's; refuse
    it before it reaches a query (a 20-digit number overflows the column type)."""
    for value in values:
        if value in forms.Field.empty_values:
            continue
        text = str(value)
        if not (text.isdigit() and len(text) <= 18):
            raise forms.ValidationError(message, code="invalid_choice")


class ProductForm(forms.Form):
    title = forms.CharField(max_length=255)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="At least 30 characters before the product can go live.",
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.select_related("parent").order_by("parent__name", "name"),
        required=False,
        empty_label="Choose a category",
    )
    brand = forms.CharField(max_length=100, required=False)
    keywords = forms.CharField(
        max_length=255, required=False, help_text="Comma-separated words buyers search for."
    )
    weight_grams = forms.IntegerField(min_value=0, required=False, label="Weight (g)")
    length_cm = forms.DecimalField(
        max_digits=6, decimal_places=1, min_value=0, required=False, label="Length (cm)"
    )
    width_cm = forms.DecimalField(
        max_digits=6, decimal_places=1, min_value=0, required=False, label="Width (cm)"
    )
    height_cm = forms.DecimalField(
        max_digits=6, decimal_places=1, min_value=0, required=False, label="Height (cm)"
    )
    shipping_template = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Shipping template",
        help_text="Checkout quotes shipping from this template.",
        error_messages={"invalid_choice": "Choose one of this shop's shipping templates."},
    )
    images = MultipleImageField()
    remove_images = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Remove images"
    )

    def __init__(self, *args, images=None, shipping_templates=(), template_search=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this shop's templates are choices: another shop's id is an invalid choice.
        # ``template_search`` (default, chosen): a search shows only its matches.
        default, chosen = template_search or (None, None)
        self.fields["shipping_template"].choices = template_options(
            shipping_templates, default=default, chosen=chosen
        )
        self.fields["images"].help_text = (
            f"{POLICY.product_min_images}–{POLICY.product_max_images} JPEG, PNG or WebP images, "
            f"at most {POLICY.product_image_max_bytes // (1024 * 1024)} MB each."
        )
        self.existing_images = list(images or [])
        self.fields["remove_images"].choices = [
            (str(i.pk), str(i.pk)) for i in self.existing_images
        ]
        if not self.existing_images:
            del self.fields["remove_images"]

    def product_data(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in Product.EDITABLE}
        for key in ("description", "brand", "keywords"):
            data[key] = data[key] or ""
        data["shipping_template_id"] = self.cleaned_data.get("shipping_template")
        return data


def template_options(templates, *, default=None, chosen=None) -> list[tuple[str, str]]:
    """The shipping template choices: "the shop's default" first (no template of its own),
    then ``templates``, with ``chosen`` on top when a search does not match it."""
    default = default or next((t for t in templates if t.is_default), None)
    options = [("", f"The shop's default ({default.name})" if default else "The shop's default")]
    if chosen is not None and chosen.id not in {t.id for t in templates}:
        templates = [chosen, *templates]
    for t in templates:
        options.append((str(t.id), f"{t.name} (the default)" if t.is_default else t.name))
    return options


class VariantForm(forms.Form):
    sku_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    seller_sku = forms.CharField(max_length=64, label="Seller SKU")
    size = forms.CharField(max_length=50, required=False)
    colour = forms.CharField(max_length=50, required=False)
    price = forms.DecimalField(required=False, **MONEY)
    compare_at_price = forms.DecimalField(required=False, label="Compare-at price", **MONEY)
    on_hand = forms.IntegerField(
        # No initial value: a row the seller removed or left blank is then "unchanged" and
        # skipped, instead of failing for its missing SKU. Blank stock means 0 (variant()).
        min_value=0,
        required=False,
        label="Stock",
        error_messages=STOCK_ERRORS,
        widget=forms.NumberInput(attrs={"placeholder": "0"}),
    )
    low_stock_threshold = forms.IntegerField(
        min_value=0, required=False, label="Low-stock alert at"
    )

    def clean(self):
        data = super().clean()
        price, compare_at = data.get("price"), data.get("compare_at_price")
        if compare_at is not None and (price is None or compare_at <= price):
            self.add_error("compare_at_price", "Must be higher than the price.")
        return data

    def variant(self, extra_attributes: dict | None = None) -> VariantInput:
        d = self.cleaned_data
        attributes = dict(extra_attributes or {})
        for key in ("size", "colour"):
            if d.get(key):
                attributes[key] = d[key]
            else:
                attributes.pop(key, None)
        return VariantInput(
            seller_sku=d["seller_sku"].strip(),
            price=d.get("price"),
            on_hand=d.get("on_hand") or 0,
            attributes=attributes,
            compare_at_price=d.get("compare_at_price"),
            low_stock_threshold=d.get("low_stock_threshold"),
            sku_id=d.get("sku_id"),
            version=d.get("version"),
        )


# ``DELETE`` marks a saved row the seller removed (catalog.views.skus.product_variant_remove
# has already removed the variant): the form skips it. It removes nothing by itself.
VariantFormSet = forms.formset_factory(
    VariantForm, extra=0, max_num=100, validate_max=True, can_delete=True
)


class SkuInlineForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    price = forms.DecimalField(**MONEY)
    on_hand = forms.IntegerField(min_value=0, label="Stock", error_messages=STOCK_ERRORS)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[("", "Bulk action…"), *ACTIONS.items()])
    value = forms.CharField(required=False, max_length=20)
    scope = forms.ChoiceField(choices=[("selected", "selected"), ("all", "all")])
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is accepted here; the service only ever touches this shop's products.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw if str(v).isdigit()]

    def clean(self):
        data = super().clean()
        if data.get("scope") == "selected" and not data.get("ids"):
            raise forms.ValidationError("Select at least one product, or apply to all matching.")
        if data.get("action") in ("set_price", "set_stock") and not data.get("value"):
            self.add_error("value", "Enter the new value.")
        return data
