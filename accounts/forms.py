from allauth.account.adapter import get_adapter
from django import forms

from accounts.models import (
    LOCKED,
    THROTTLED,
    AuthenticatorDevice,
    BackupCodeDevice,
    EmailCodeDevice,
    User,
)
from common.clock import local_time

METHOD_DEVICES = {
    "app": AuthenticatorDevice,
    "backup": BackupCodeDevice,
    "email": EmailCodeDevice,
}
METHOD_LABELS = {
    "app": "Authenticator app",
    "backup": "Backup code",
    "email": "Code sent to my email",
}


class SecondFactorForm(forms.Form):
    """One code from one of the user's devices; ``self.device`` is the one that accepted it."""

    method = forms.ChoiceField(
        choices=list(METHOD_LABELS.items()), initial="app", widget=forms.RadioSelect
    )
    code = forms.CharField(
        max_length=32,
        required=False,
        label="Verification code",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def device_for(self, method: str):
        model = METHOD_DEVICES.get(method)
        if model is None:
            return None
        return model.objects.filter(user=self.user, confirmed=True).first()

    def send_email_code(self) -> str:
        """Email a code to the user; returns the message to show."""
        device = self.device_for("email")
        if device is None:
            return "Email codes are not set up for this account."
        allowed, extra = device.generate_is_allowed()
        if not allowed:
            return extra["error_message"]
        device.generate_challenge()
        return f"We emailed a code to {mask_email(self.user.email)}. It works once."

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        code = data.get("code", "").strip()
        if not code:
            raise forms.ValidationError("Enter the code.", code="required")
        device = self.device_for(data["method"])
        if device is None:
            raise forms.ValidationError("That method is not set up for this account.")
        allowed, extra = device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_refusal(extra), code="not_allowed")
        if not device.verify_token(code):
            allowed, extra = device.verify_is_allowed()
            if not allowed and extra.get("reason") == LOCKED:
                raise forms.ValidationError(_refusal(extra), code="locked")
            raise forms.ValidationError("That code is not right. Check it and try again.")
        self.device = device
        return data


class ReauthenticateForm(SecondFactorForm):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True})
    )
    field_order = ["password", "method", "code"]

    def __init__(self, *args, request, needs_second_factor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.needs_second_factor = needs_second_factor
        self.fields["code"].widget.attrs.pop("autofocus", None)
        if not needs_second_factor:
            del self.fields["method"]
            del self.fields["code"]

    def clean(self):
        password = self.cleaned_data.get("password")
        if not password:
            return self.cleaned_data
        # Goes through allauth's authenticate: failed attempts count against the sign-in limits.
        try:
            ok = get_adapter(self.request).reauthenticate(self.user, password)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Too many failed attempts. Try again in a few minutes."
            ) from None
        if not ok:
            raise forms.ValidationError("That password is not right.", code="password")
        if self.needs_second_factor:
            return super().clean()
        return self.cleaned_data


class AuthenticatorConfirmForm(forms.Form):
    code = forms.CharField(
        max_length=8,
        label="6-digit code from the app",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AccountTypeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["account_type"]
        widgets = {"account_type": forms.RadioSelect}


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 2)}@{domain}"


def _refusal(extra: dict) -> str:
    if extra.get("reason") == THROTTLED:
        until = extra.get("locked_until")
        return "Too many wrong codes. Wait a moment before trying again" + (
            f" (after {local_time(until):%H:%M:%S %Z})." if until else "."
        )
    return extra.get("error_message") or "Verification is not possible right now."
