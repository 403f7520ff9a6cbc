"""Forms of the contracting app: one per stage (docs/stage-data.md), a process form, an upload form.

Labels are Indonesian, translated to English through gettext. Every error message is
bilingual (Indonesian / English) and attached to the field it concerns.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import lokal
from django import forms
from django.forms import formset_factory
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from terbuka.ocds.build import FUNDING_SOURCES, STAGE_DOCUMENT_TYPES
from terbuka.ocds.codes import METHODS
from terbuka_web.contracting.labels import LABELS, choices_of
from terbuka_web.contracting.models import Category

MAX_IDR = 10**15
BUDGET_LINE = r"^\d+(\.\d+){2,7}$"


def _err(message_id: str, message_en: str) -> str:
    """Return a bilingual error message, Indonesian first."""
    return f"{message_id} / {message_en}"


REQUIRED = _err("Wajib diisi.", "This field is required.")


RUPIAH_PATTERN = re.compile(r"^(-?)(?:Rp\.?)?(-?)(\d{1,3}(?:\.\d{3})+|\d+)$", re.IGNORECASE)


class RupiahField(forms.IntegerField):
    """Read a whole Rupiah amount as Indonesians write it: 150000, 150.000 or Rp 1.500.000.

    A dot is a thousands separator (never a decimal point), so "150.000" is Rp 150.000 and
    not Rp 150; grouping must be exact ("1.50.000" is refused) and decimals are refused.
    """

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        match = RUPIAH_PATTERN.match(str(value).strip().replace(" ", ""))
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        sign = -1 if "-" in match.group(1) + match.group(2) else 1
        return sign * int(match.group(3).replace(".", ""))


def money_field(label: Any) -> forms.IntegerField:
    """Return a field for integer Rupiah between 0 and 10^15 with bilingual errors."""
    return RupiahField(
        label=label,
        min_value=0,
        max_value=MAX_IDR,
        error_messages={
            "required": REQUIRED,
            "invalid": _err(
                "Masukkan jumlah Rupiah bulat, mis. 150000 atau 150.000.",
                "Enter a whole Rupiah amount, e.g. 150000 or 150.000.",
            ),
            "min_value": _err("Nilai tidak boleh negatif.", "The amount must not be negative."),
            "max_value": _err(
                "Nilai melebihi Rp 10^15, periksa jumlah nol.",
                "The amount exceeds IDR 10^15; check the number of zeros.",
            ),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def date_field(label: Any) -> forms.DateField:
    """Return an ISO date field with bilingual errors."""
    return forms.DateField(
        label=label,
        error_messages={
            "required": REQUIRED,
            "invalid": _err("Tanggal tidak valid (YYYY-MM-DD).", "Invalid date (YYYY-MM-DD)."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def text_field(label: Any, *, long: bool = False, required: bool = True) -> forms.CharField:
    """Return a text field (textarea when long) with bilingual errors."""
    return forms.CharField(
        label=label,
        max_length=2000 if long else 300,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput,
        error_messages={
            "required": REQUIRED,
            "max_length": _err("Teks terlalu panjang.", "The text is too long."),
        },
    )


def npwp_clean(value: str) -> str:
    """Return the 16-digit NPWP of value, raising a bilingual ValidationError when invalid.

    Refuses NIK-as-NPWP: it is a citizen's NIK and stage data is published.
    """
    info = lokal.parse_npwp(value)
    if not info.valid or info.npwp16 is None:
        raise forms.ValidationError(
            _err(
                "NPWP tidak valid (15 digit atau 16 digit diawali 0).",
                "Invalid NPWP (15 digits, or 16 digits starting with 0).",
            )
        )
    if info.kind == "nik":
        raise forms.ValidationError(
            _err(
                "NPWP berbasis NIK (perorangan) tidak boleh dipublikasikan; gunakan NPWP badan.",
                "A NIK-based (personal) NPWP must not be published; use the business NPWP.",
            )
        )
    return info.npwp16


class PeriodMixin:
    """Refuse a period whose end date is before its start date."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(  # type: ignore[attr-defined]
                "period_end",
                _err(
                    "Tanggal selesai tidak boleh sebelum tanggal mulai.",
                    "The end date must not be before the start date.",
                ),
            )
        return data


class ProcessForm(forms.Form):
    """Create a contracting process (paket pekerjaan)."""

    title = text_field(_("Nama paket pekerjaan"))
    description = text_field(_("Uraian"), long=True, required=False)
    fiscal_year = forms.IntegerField(
        label=_("Tahun anggaran"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": REQUIRED,
            "min_value": _err("Tahun terlalu kecil.", "The year is too early."),
            "max_value": _err("Tahun terlalu besar.", "The year is too late."),
        },
    )
    procurement_category = forms.ChoiceField(
        label=_("Kategori pengadaan"),
        choices=[("", "—"), *Category.choices],
        required=False,
        help_text=_("Menentukan apakah paket wajib dipublikasikan (cakupan)."),
    )


class PlanningForm(forms.Form):
    """Perencanaan: DPA budget line, funding source, amount, project, rationale."""

    budget_line = forms.RegexField(
        label=_("Kode rekening DPA"),
        regex=BUDGET_LINE,
        max_length=40,
        help_text=_("Contoh: 5.02.02.2.01.0001"),
        error_messages={
            "required": REQUIRED,
            "invalid": _err(
                "Kode rekening berupa angka bertitik, mis. 5.02.02.2.01.0001.",
                "The budget line is dotted digits, e.g. 5.02.02.2.01.0001.",
            ),
        },
    )
    funding_source = forms.ChoiceField(
        label=_("Sumber dana"),
        choices=[(s, s) for s in FUNDING_SOURCES],
        error_messages={"required": REQUIRED},
    )
    amount = money_field(_("Pagu anggaran (Rp)"))
    project = text_field(_("Nama kegiatan / sub kegiatan"))
    rationale = text_field(_("Alasan kebutuhan"), long=True)


class TenderForm(PeriodMixin, forms.Form):
    """Pemilihan Penyedia: method, tender period, HPS, amendment rationale."""

    method = forms.ChoiceField(
        label=_("Metode pemilihan"),
        choices=choices_of("method", tuple(METHODS)),
        error_messages={"required": REQUIRED},
    )
    period_start = date_field(_("Tanggal mulai pemilihan"))
    period_end = date_field(_("Tanggal selesai pemilihan"))
    hps = money_field(_("HPS (Harga Perkiraan Sendiri, Rp)"))
    number_of_tenderers = forms.IntegerField(
        label=_("Jumlah penawar (isi setelah penawaran masuk)"),
        required=False,
        min_value=0,
        max_value=10_000,
        error_messages={
            "invalid": _err("Masukkan bilangan bulat.", "Enter a whole number."),
            "min_value": _err("Tidak boleh negatif.", "Must not be negative."),
            "max_value": _err("Paling banyak 10.000.", "At most 10,000."),
        },
    )
    amendment_rationale = text_field(
        _("Alasan perubahan (isi hanya bila mengubah tender yang sudah terbit)"),
        long=True,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        """Leave an empty number of tenderers out of the stage data (not yet known)."""
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("number_of_tenderers") is None:
            cleaned.pop("number_of_tenderers", None)
        return cleaned


class ItemForm(forms.Form):
    """One tender item row."""

    description = text_field(_("Uraian barang/pekerjaan"))
    quantity = forms.DecimalField(
        label=_("Volume"),
        min_value=0,
        max_value=10**9,
        decimal_places=3,
        error_messages={
            "required": REQUIRED,
            "invalid": _err("Masukkan angka.", "Enter a number."),
            "min_value": _err("Volume tidak boleh negatif.", "Quantity must not be negative."),
            "max_value": _err("Volume terlalu besar.", "Quantity is too large."),
        },
    )
    unit = text_field(_("Satuan"))
    unit_value = money_field(_("Harga satuan (Rp)"))


class AwardForm(forms.Form):
    """Pemenang: award value, date and status."""

    value = money_field(_("Nilai penawaran pemenang (Rp)"))
    date = date_field(_("Tanggal penetapan pemenang"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=choices_of("awardStatus", ("active", "pending", "cancelled", "unsuccessful")),
        error_messages={"required": REQUIRED},
    )


class SupplierForm(forms.Form):
    """One supplier row: name and NPWP."""

    name = text_field(_("Nama penyedia"))
    npwp = forms.CharField(
        label=_("NPWP penyedia"), max_length=30, error_messages={"required": REQUIRED}
    )

    def clean_npwp(self) -> str:
        return npwp_clean(self.cleaned_data["npwp"])


class ContractForm(PeriodMixin, forms.Form):
    """Kontrak: number, value, period, signing date, amendment rationale."""

    number = text_field(_("Nomor kontrak / SPK"))
    value = money_field(_("Nilai kontrak (Rp)"))
    period_start = date_field(_("Tanggal mulai pelaksanaan"))
    period_end = date_field(_("Tanggal selesai pelaksanaan"))
    date_signed = date_field(_("Tanggal tanda tangan"))
    amendment_rationale = text_field(
        _("Alasan perubahan/adendum (isi hanya bila mengubah kontrak yang sudah terbit)"),
        long=True,
        required=False,
    )


class ImplementationForm(forms.Form):
    """Implementasi: physical progress percent."""

    physical_progress = forms.IntegerField(
        label=_("Progres fisik (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": REQUIRED,
            "min_value": _err("Progres tidak boleh negatif.", "Progress must not be negative."),
            "max_value": _err(
                "Progres paling besar 100 persen.", "Progress is at most 100 percent."
            ),
        },
    )


class MilestoneForm(forms.Form):
    """One milestone row."""

    title = text_field(_("Tahapan pekerjaan"))
    status = forms.ChoiceField(
        label=_("Status tahapan"), choices=list(LABELS["milestoneStatus"].items())
    )
    date = date_field(_("Tanggal"))

    def has_changed(self) -> bool:
        """Report whether the row was filled in.

        A browser posts a blank row's status select on its first option, "scheduled"; that
        alone (or no status at all) leaves the row blank, so it is ignored, not refused.
        """
        status = self.data.get(self.add_prefix("status"), "")
        return any(n != "status" or status not in ("", "scheduled") for n in self.changed_data)


class TransactionForm(forms.Form):
    """One payment row (termin, SP2D)."""

    date = date_field(_("Tanggal pembayaran"))
    amount = money_field(_("Jumlah dibayar (Rp)"))
    payee = text_field(_("Penerima pembayaran"))
    payee_npwp = forms.CharField(
        label=_("NPWP penerima"), max_length=30, error_messages={"required": REQUIRED}
    )

    def clean_payee_npwp(self) -> str:
        return npwp_clean(self.cleaned_data["payee_npwp"])


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows of a stage form, with row counts explained in both languages."""

    default_error_messages = {
        "too_few_forms": _err(
            "Isi paling sedikit satu baris.",
            "Fill in at least one row.",
        ),
        "too_many_forms": _err(
            "Paling banyak 50 baris; gabungkan beberapa baris.",
            "At most 50 rows; combine some of them.",
        ),
    }


def row_formset(form: type[forms.Form], *, min_num: int) -> type[forms.BaseFormSet]:
    """Return a formset class of up to 50 rows with three blank rows for new entries."""
    return formset_factory(
        form,
        formset=RowFormSet,
        extra=3,
        min_num=min_num,
        max_num=50,
        validate_min=True,
        validate_max=True,
    )


# stage → (main form, {data key: row formset})
STAGE_FORMS: dict[str, tuple[type[forms.Form], dict[str, type[forms.BaseFormSet]]]] = {
    "planning": (PlanningForm, {}),
    "tender": (TenderForm, {"items": row_formset(ItemForm, min_num=1)}),
    "award": (AwardForm, {"suppliers": row_formset(SupplierForm, min_num=1)}),
    "contract": (ContractForm, {}),
    "implementation": (
        ImplementationForm,
        {
            "milestones": row_formset(MilestoneForm, min_num=0),
            "transactions": row_formset(TransactionForm, min_num=0),
        },
    ),
}


ROW_LEGENDS = {
    "items": _("Daftar barang/pekerjaan"),
    "suppliers": _("Penyedia pemenang"),
    "milestones": _("Tahapan pekerjaan"),
    "transactions": _("Pembayaran"),
}


def _shown(field: forms.Field | None, value: Any) -> str:
    """Return a stage-data value as people read it: a choice's label, a date in words,
    an amount in Rupiah, a decimal with the language's decimal mark."""
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(field, forms.DateField) and isinstance(value, str):
        try:
            return date_format(datetime.date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    if isinstance(field, RupiahField) and isinstance(value, int):
        return "Rp " + lokal.format_rupiah(value, symbol=False)
    if isinstance(value, float):
        return number_format(value)  # 12,5 in Indonesian, 12.5 in English
    return str(value)


def draft_fields(stage: str, data: dict[str, Any]) -> tuple[tuple[str, list[str]], ...]:
    """Return a stage draft as (field label, lines) pairs in the active language, one line per
    row of a list. Example: {"amount": 150000} → (("Pagu anggaran (Rp)", ["Rp 150.000"]),)."""
    form_class, formsets = STAGE_FORMS[stage]
    out = []
    for key, value in data.items():
        if key in formsets and isinstance(value, list):
            row = formsets[key].form.base_fields
            lines = [
                "; ".join(
                    f"{row[k].label if k in row else k}: {_shown(row.get(k), v)}"
                    for k, v in r.items()
                )
                for r in value
                if isinstance(r, dict)
            ]
            out.append((str(ROW_LEGENDS.get(key, key)), lines))
        else:
            field = form_class.base_fields.get(key)
            out.append((str(field.label) if field else key, [_shown(field, value)]))
    return tuple(out)


def field_label(stage: str, where: str) -> str | None:
    """Return the label of the stage form field at where ("/amount", "items/0/quantity"), in
    the active language, or None when where names no field of the stage.

    Example: field_label("tender", "/items/0/quantity") → "Volume (Daftar barang/pekerjaan,
    baris 1)".
    """
    form_class, formsets = STAGE_FORMS[stage]
    parts = where.strip("/").split("/")
    if parts[0] in form_class.base_fields:
        return str(form_class.base_fields[parts[0]].label)
    if parts[0] not in formsets:
        return None
    legend = ROW_LEGENDS[parts[0]]
    row = formsets[parts[0]].form.base_fields
    if len(parts) == 3 and parts[1].isdigit() and parts[2] in row:
        return _("%(field)s (%(rows)s, baris %(row)s)") % {
            "field": row[parts[2]].label,
            "rows": legend,
            "row": int(parts[1]) + 1,
        }
    return str(legend)


def _jsonable(value: Any) -> Any:
    """Return value as stage-data JSON: dates as ISO strings, decimals as int or float."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "as_integer_ratio") and not isinstance(value, int | float):
        return int(value) if value == int(value) else float(value)
    return value


def stage_forms_bind(
    stage: str, post: Any | None, data: dict[str, Any]
) -> tuple[forms.Form, dict[str, forms.BaseFormSet]]:
    """Return the stage's form and row formsets, bound to post or filled from draft data."""
    form_class, formset_classes = STAGE_FORMS[stage]
    form = form_class(post) if post is not None else form_class(initial=data)
    formsets = {
        key: (cls(post, prefix=key) if post is not None else cls(initial=data.get(key), prefix=key))
        for key, cls in formset_classes.items()
    }
    return form, formsets


def stage_data_of(form: forms.Form, formsets: dict[str, forms.BaseFormSet]) -> dict[str, Any]:
    """Return StageDraft.data (docs/stage-data.md) of valid, bound stage forms."""
    data = {k: _jsonable(v) for k, v in form.cleaned_data.items()}
    for key, formset in formsets.items():
        data[key] = [
            {k: _jsonable(v) for k, v in row.cleaned_data.items()}
            for row in formset.forms
            if row.has_changed() and row.cleaned_data
        ]
    return data


class DocumentForm(forms.Form):
    """Upload one PDF of a stage."""

    document_type = forms.ChoiceField(
        label=_("Jenis dokumen"), error_messages={"required": REQUIRED}
    )
    title = text_field(_("Judul dokumen"))
    file = forms.FileField(
        label=_("Berkas PDF"),
        error_messages={
            "required": _err("Pilih berkas PDF.", "Choose a PDF file."),
            "empty": _err("Berkas kosong.", "The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field = self.fields["document_type"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = choices_of("documentType", STAGE_DOCUMENT_TYPES[stage])
