"""Store the process-local red-flag indicators (terbuka.flags) of each published process."""

from __future__ import annotations

from django.db import models


class ProcessFlag(models.Model):
    """Hold one indicator's value for one process, as its latest publication gives it.

    Derived data: replaced in the transaction of every publication or import of the process
    (terbuka_web.flags.services), never edited. A value that is not a finite number (a
    division by a zero bid) is stored as NULL.
    """

    process = models.ForeignKey(
        "contracting.Process", on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(max_length=8, help_text="Indicator code, e.g. R018 or ID002")
    value = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="one_flag_per_code")
        ]
        indexes = [models.Index(fields=["code", "process"], name="flag_code_process")]

    def __str__(self) -> str:
        return f"{self.code} {self.value}"


class FlagSubject(models.Model):
    """Hold, per published process the indicators can judge (it has a tender), what the flag
    dashboards group and count: agency, fiscal year, tender quarter and number of flags.

    Derived data, replaced with the process's flags (terbuka_web.flags.services); the rate of
    a group is its subjects with flags over all its subjects, in one aggregate query.
    """

    process = models.OneToOneField(
        "contracting.Process", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField()
    tender_year = models.PositiveSmallIntegerField(null=True, blank=True)
    tender_quarter = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1–4")
    flag_count = models.PositiveSmallIntegerField(default=0)
    # Implementation monitoring (issue 15 part 3): the contract's end, whether it is done
    # (contract complete or physical progress 100%), the earliest due date of a milestone
    # not yet met (physical progress left out). Lateness is counted against today on reading.
    contract_end = models.DateField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    open_due = models.DateField(null=True, blank=True)
    # Physical progress (%) against financial progress (paid / contract value, %) of the first
    # contract, None when not published; the region where the work is delivered: the Kemendagri
    # region coded in an item's deliveryAddress.region when loaded, else the agency's government.
    physical = models.PositiveSmallIntegerField(null=True, blank=True)
    financial = models.FloatField(null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["agency", "fiscal_year"], name="flag_subject_agency_year"),
            models.Index(fields=["tender_year", "tender_quarter"], name="flag_subject_quarter"),
            models.Index(fields=["agency", "contract_end"], name="flag_subject_contract_end"),
            models.Index(fields=["region", "contract_end"], name="flag_subject_region_end"),
        ]

    def __str__(self) -> str:
        return f"{self.process_id}: {self.flag_count}"


class FlagSupplier(models.Model):
    """Name one supplier of an active or other award of a FlagSubject's process (derived).

    key is the supplier's OCDS id (ID-DJP-<NPWP>) or, without one, its name.
    """

    subject = models.ForeignKey(FlagSubject, on_delete=models.CASCADE, related_name="suppliers")
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "key"], name="one_row_per_supplier")
        ]
        indexes = [models.Index(fields=["key"], name="flag_supplier_key")]

    def __str__(self) -> str:
        return self.name
