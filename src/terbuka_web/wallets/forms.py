"""Forms of the wallets app's pages: the officer's enrolment desk."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NikForm(forms.Form):
    """Ask the officer for the NIK on the identity card the registrant shows at the desk."""

    nik = forms.RegexField(
        regex=r"^\s*\d{16}\s*$",
        label=_("NIK pada KTP"),
        help_text=_("16 angka, dibaca dari KTP yang ditunjukkan penerima di meja ini."),
        error_messages={"invalid": _("NIK harus 16 angka.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
