"""Forms of the /lapor/ pages: file a report, follow it, and the officers' steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terbuka_web.accounts.models import Agency
from terbuka_web.participation.models import Case, Category, Rating
from terbuka_web.regions.models import Region

MAX_REGION_CHOICES = 3000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Take up to MAX_ATTACHMENTS files from one input."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def region_choices() -> list[tuple[str, Any]]:
    """Return the villages of the regencies that have agencies, grouped by kecamatan."""
    regencies = Agency.objects.filter(government__level="regency").values("government_id")
    codes = sorted(set(regencies.values_list("government_id", flat=True)))
    groups: list[tuple[str, Any]] = [("", _("— tidak ada / bukan tempat —"))]
    for code in codes:
        rows = Region.objects.filter(code__startswith=f"{code}.").order_by("code")
        rows = rows.values_list("code", "name", "level")[:MAX_REGION_CHOICES]
        district: list[tuple[str, str]] = []
        for region_code, name, level in rows:
            if level == "district":
                district = [(region_code, f"Kecamatan {name}")]
                groups.append((f"Kecamatan {name}", district))
            else:
                district.append((region_code, name))
    return groups


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis laporan"), choices=Case.Kind.choices, widget=forms.RadioSelect,
        initial=Case.Kind.COMPLAINT,
    )  # fmt: skip
    category = forms.ChoiceField(label=_("Kategori"))
    subject = forms.ChoiceField(
        label=_("Tentang"), choices=Case.Subject.choices, initial=Case.Subject.PLACE,
        widget=forms.RadioSelect,
    )  # fmt: skip
    ocid = forms.CharField(label=_("OCID paket pengadaan"), required=False, max_length=120)
    service = forms.CharField(label=_("Nama layanan publik"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("Desa/kelurahan atau kecamatan"), required=False)
    latitude = forms.CharField(label=_("Lintang (opsional)"), required=False, max_length=20)
    longitude = forms.CharField(label=_("Bujur (opsional)"), required=False, max_length=20)
    title = forms.CharField(label=_("Judul singkat"), max_length=150)
    text = forms.CharField(
        label=_("Isi laporan"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000,
        help_text=_("Apa, di mana, kapan. Jangan tulis NIK atau data pribadi di sini."),
    )  # fmt: skip
    files = MultipleFileField(
        label=_("Foto atau PDF (opsional)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
        help_text=_("Paling banyak 3 berkas, masing-masing 5 MB. Data lokasi dan kamera "
                    "pada foto dihapus."),
    )  # fmt: skip
    reporter_name = forms.CharField(label=_("Nama Anda (opsional)"), required=False, max_length=150)
    contact_preference = forms.ChoiceField(
        label=_("Hubungi saya lewat"), choices=Case.Contact.choices, initial=Case.Contact.NONE
    )
    contact = forms.CharField(label=_("Surel atau nomor telepon"), required=False, max_length=200)
    anonim = forms.BooleanField(
        label=_("Anonim: identitas saya tidak ditampilkan kepada instansi maupun publik"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
    )
    rahasia = forms.BooleanField(
        label=_("Rahasia: seluruh laporan tidak ditampilkan kepada publik"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, c.name) for c in Category.objects.all()]  # type: ignore[attr-defined]
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]


class FollowForm(forms.Form):
    tracking_id = forms.CharField(label=_("Nomor pelacakan"), max_length=16)
    secret = forms.CharField(
        label=_("Kode rahasia"), max_length=40, widget=forms.PasswordInput(render_value=True)
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa tindak lanjut belum menyelesaikan masalah?"),
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
    )  # fmt: skip


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Instansi tujuan"), queryset=Agency.objects.all())


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Seberapa puas Anda?"), choices=Rating.choices, coerce=int,
        widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(
        label=_("Komentar (opsional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Diterbitkan tanpa identitas setelah dimoderasi. Jangan tulis nama atau "
                    "data pribadi."),
    )  # fmt: skip


class VisitSurveyForm(SurveyForm):
    code = forms.CharField(label=_("Kode kunjungan"), max_length=20)
    field_order = ["code", "rating", "comment"]


class VisitTokenForm(forms.Form):
    service = forms.CharField(
        label=_("Layanan atau loket"), max_length=200,
        help_text=_("Misalnya: Loket pendaftaran Puskesmas Ngasem."),
    )  # fmt: skip
    count = forms.IntegerField(label=_("Jumlah token"), min_value=1, max_value=100, initial=10)
