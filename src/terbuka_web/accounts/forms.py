"""Forms of the accounts app: an account, an agency, one's own password, list filters.

Forms only shape and label the input; the rules (role/agency pairs, taken names, password
strength, who may write) live in accounts.services, whose errors the views attach to fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from terbuka_web.accounts.models import Agency, Role


def agency_choices() -> list[tuple[str, Any]]:
    """Return (code, name) of every agency, with an empty first choice."""
    agencies = Agency.objects.order_by("name").values_list("code", "name")
    return [("", _("— tanpa perangkat daerah (admin, auditor) —")), *agencies]


class LoginForm(AuthenticationForm):
    """Take a username and password; a refusal says what to check, once, in plain words."""

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau sandi salah. Periksa keduanya (huruf besar dan kecil dibedakan)."
        ),
        "inactive": _("Akun ini dinonaktifkan. Hubungi admin Diskominfo."),
    }


class UserForm(forms.Form):
    """Take an account's username (new accounts only), name, e-mail, role and agency."""

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_(
            "Huruf kecil, angka, titik, _ atau -; mis. operator.dinkes. Tidak dapat diubah."
        ),
    )
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    agency = forms.ChoiceField(
        label=_("Perangkat daerah"),
        required=False,
        help_text=_("Wajib untuk operator, PPTK, PPK dan PA; kosong untuk admin dan auditor."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices()  # type: ignore[attr-defined]
        if editing:
            del self.fields["username"]


class AgencyForm(forms.Form):
    """Take an agency's code (new agencies only), name, kind and government region code."""

    code = forms.CharField(
        label=_("Kode perangkat daerah"),
        max_length=80,
        help_text=_(
            "Huruf kecil, angka dan tanda hubung, mis. 3522-dinkes. Menjadi bagian ocid; "
            "tidak dapat diubah."
        ),
    )
    name = forms.CharField(label=_("Nama perangkat daerah"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Agency.Kind.choices)
    government = forms.CharField(
        label=_("Kode wilayah pemerintah"),
        max_length=13,
        help_text=_("Kode wilayah Kemendagri pemerintahnya, mis. 35.22 (Kabupaten Bojonegoro)."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class PasswordChangeForm(forms.Form):
    """Take the current password and the new one twice."""

    old_password = forms.CharField(
        label=_("Sandi saat ini"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Sandi sekali pakai dari admin, bila ini masuk pertama Anda."),
    )
    new_password1 = forms.CharField(
        label=_("Sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 10 karakter; jangan terlalu umum, hanya angka, atau mirip nama."),
    )
    new_password2 = forms.CharField(
        label=_("Ulangi sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        """Check that the new password was typed the same twice."""
        data = super().clean() or {}
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error(
                "new_password2",
                _("Kedua sandi baru tidak sama."),
            )
        return data
