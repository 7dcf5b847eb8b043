from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from samenspraak.common.forms import NLDesignFormMixin


class EmailAuthenticationForm(NLDesignFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is not correct. Check both and try again."
        ),
        "inactive": _("This account is not active."),
    }

    def clean_username(self):
        # The manager stores addresses in lower case; accept them however they are typed.
        return self.cleaned_data["username"].lower()
