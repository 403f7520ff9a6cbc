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
