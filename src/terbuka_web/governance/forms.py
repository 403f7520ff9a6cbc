"""Forms of the governance pages: proposals and minutes (secretariat), votes, comments and
disputes (public). Each only parses input; the services check and write."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terbuka_web.governance.models import Dispute, ProposalType


def _codes(text: str) -> list[str]:
    """Return the comma- or line-separated values of text, stripped, without empties."""
    return [v.strip() for v in text.replace("\n", ",").split(",") if v.strip()]


class ProposalForm(forms.Form):
    type = forms.ChoiceField(label=_("Jenis usulan"), choices=ProposalType.choices)
    title = forms.CharField(label=_("Judul"), max_length=300)
    body = forms.CharField(label=_("Uraian"), widget=forms.Textarea, required=False)
    payload = forms.CharField(
        label=_("Muatan (JSON)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="{}",
        help_text=_('Mis. {"member": "<id kunci>"} untuk skors, {"text": "…"} untuk piagam'),
    )
    suppliers_npwp = forms.CharField(label=_("NPWP penyedia yang disentuh"), required=False)
    suppliers_name = forms.CharField(label=_("Nama penyedia yang disentuh"), required=False)
    agencies = forms.CharField(label=_("Kode perangkat daerah yang disentuh"), required=False)
    regions = forms.CharField(label=_("Kode wilayah yang disentuh"), required=False)
    deadline = forms.DateTimeField(
        label=_("Tenggat"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    effective_from = forms.DateTimeField(
        label=_("Berlaku mulai"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Kosong: sejak diputuskan. Tidak pernah sebelum keputusan."),
    )

    def clean_payload(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["payload"] or "{}")
        except ValueError as exc:
            raise forms.ValidationError(
                _("Muatan bukan JSON yang sah: %(error)s"), params={"error": exc}
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Muatan harus objek JSON {…}."))
        return value

    def touches(self) -> dict[str, list[str]]:
        """Return the touched suppliers, agencies and regions for the conflict check."""
        keys = ("suppliers_npwp", "suppliers_name", "agencies", "regions")
        return {k: _codes(self.cleaned_data[k]) for k in keys if self.cleaned_data[k]}


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Notula (teks)"), widget=forms.Textarea, required=False)
    file = forms.FileField(label=_("atau notula PDF"), required=False)


class VoteForm(forms.Form):
    vote = forms.CharField(
        label=_("Suara bertanda tangan (dari terbuka governance sign)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Komentar Anda"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Jangan tulis NIK, nomor KK, alamat atau data pribadi lain."),
    )


class DisputeForm(forms.Form):
    opener = forms.ChoiceField(
        label=_("Anda"),
        choices=[(Dispute.Opener.WARGA, _("Warga")), (Dispute.Opener.PENYEDIA, _("Penyedia"))],
    )
    record = forms.CharField(label=_("Catatan yang disengketakan (OCID atau alamat)"))
    description = forms.CharField(label=_("Apa yang keliru?"), widget=forms.Textarea)
