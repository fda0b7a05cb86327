from django import forms

from openplatform.scopes import SCOPES


class PrivateAppForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="So you recognise it later.")
    scopes = forms.MultipleChoiceField(
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        label="What it may do",
    )


class StoreConnectForm(forms.Form):
    store_domain = forms.CharField(
        max_length=255, label="Store address", help_text="your-store.myshopify.com"
    )
    access_token = forms.CharField(
        max_length=255,
        label="Admin API access token",
        widget=forms.PasswordInput(render_value=False),
        help_text="In Shopify: Settings → Apps and sales channels → Develop apps → your app, "
        "with the read_products and read_inventory scopes. Stored encrypted.",
    )
