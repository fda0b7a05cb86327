from django import forms

from openplatform.scopes import SCOPES


class PrivateAppForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="So you recognise it later.")
    scopes = forms.MultipleChoiceField(
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        label="What it may do",
    )
