import re

from django import forms

from common.policy import POLICY
from shops.models import (
    BankAccount,
    SellerProfile,
    Shop,
    VerificationDocument,
    VerificationSubmission,
)

US_STATES = [
    ("", "Choose a state"),
    *[
        (s, s)
        for s in (
            "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE "
            "NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
        ).split()
    ],
]
COUNTRIES = [
    ("", "Choose a country"),
    ("US", "United States"),
    ("CA", "Canada"),
    ("MX", "Mexico"),
    ("GB", "United Kingdom"),
    ("CN", "China"),
    ("XX", "Another country"),
]


class ShopCreateForm(forms.Form):
    name = forms.CharField(
        label="Shop name",
        max_length=120,
        help_text="Buyers see this name. You can change it later.",
    )


class SellerTypeForm(forms.Form):
    seller_type = forms.ChoiceField(
        choices=Shop.SellerType.choices,
        widget=forms.RadioSelect,
        label="Who is selling?",
        help_text="Individual: you sell in your own name. Business: a registered company sells.",
    )


class BusinessDetailsForm(forms.ModelForm):
    class Meta:
        model = SellerProfile
        fields = list(SellerProfile.DETAIL_FIELDS)
        labels = {
            "legal_name": "Legal name",
            "address_line1": "Registered address",
            "address_line2": "Address line 2 (optional)",
            "postcode": "ZIP code",
            "contact_phone": "Contact phone",
        }
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, seller_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.seller_type = seller_type
        f = self.fields
        f["state"] = forms.ChoiceField(choices=US_STATES, label="State")
        f["region"] = forms.ChoiceField(
            choices=[("US", "United States")], label="Region", help_text="US only at launch."
        )
        f["registration_country"] = forms.ChoiceField(
            choices=COUNTRIES, label="Country of registration", required=False
        )
        for name in (
            "legal_name",
            "address_line1",
            "city",
            "postcode",
            "contact_email",
            "contact_phone",
        ):
            f[name].required = True
        if seller_type == Shop.SellerType.INDIVIDUAL:
            for name in ("business_name", "registration_number", "registration_country"):
                del f[name]
            f["legal_name"].help_text = "Exactly as on your ID."
            f["date_of_birth"].required = True
        else:
            del f["date_of_birth"]
            f["legal_name"].label = "Legal representative's name"
            f["business_name"].label = "Registered business name"
            for name in ("business_name", "registration_number", "registration_country"):
                f[name].required = True

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not re.fullmatch(r"\d{5}(-\d{4})?", value):
            raise forms.ValidationError("Enter a US ZIP code: 5 digits, or ZIP+4 (12345-6789).")
        return value

    def clean_contact_phone(self):
        value = re.sub(r"[\s().-]", "", self.cleaned_data["contact_phone"])
        if re.fullmatch(r"\d{10}", value):
            value = "+1" + value
        if not re.fullmatch(r"\+\d{8,15}", value):
            raise forms.ValidationError("Enter a phone number, e.g. +1 415 555 0100.")
        return value

    def clean_registration_number(self):
        value = self.cleaned_data.get("registration_number", "").strip()
        if value and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ./-]{2,63}", value):
            raise forms.ValidationError(
                "Use the registration number as printed, letters and digits."
            )
        return value


class DocumentUploadForm(forms.Form):
    doc_type = forms.ChoiceField(label="Document type")
    file = forms.FileField(label="File")
    expires_on = forms.DateField(
        label="Expiry date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="As printed on the document. Leave empty for a business certificate.",
    )

    def __init__(self, *args, seller_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [
            (t.value, t.label) for t in VerificationDocument.TYPES_FOR[seller_type]
        ]
        limit = POLICY.document_max_bytes // (1024 * 1024)
        sharp = "Photos must be sharp and show the whole document."
        self.fields["file"].help_text = f"PDF, JPEG or PNG, up to {limit} MB. {sharp}"
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class BankAccountForm(forms.Form):
    holder_name = forms.CharField(
        label="Account holder",
        max_length=150,
        help_text="Must match the legal or business name in your business details.",
    )
    routing_number = forms.CharField(label="Routing number (ABA)", max_length=11)
    account_number = forms.CharField(
        label="Account number",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(label="Account type", choices=BankAccount.Kind.choices)


class TikTokForm(forms.Form):
    username = forms.CharField(
        label="TikTok username",
        max_length=64,
        help_text="The account your shop sells through, e.g. @sunnythreads.",
    )

    def clean_username(self):
        value = self.cleaned_data["username"].strip().lstrip("@")
        if not re.fullmatch(r"[A-Za-z0-9_.]{2,24}", value):
            raise forms.ValidationError("A TikTok username has 2–24 letters, digits, _ or .")
        return value


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (VerificationSubmission.Status.APPROVED, "Approve"),
            (VerificationSubmission.Status.REJECTED, "Reject"),
            (VerificationSubmission.Status.MORE_INFO, "Request more information"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        choices=[("", "—")] + VerificationSubmission.Reason.choices,
        required=False,
        label="Rejection reason",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Note to the seller",
        max_length=2000,
    )
