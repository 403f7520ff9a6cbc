"""Models of the notifications app: the outbox of e-mail, SMS and WhatsApp notices.

A notice is written in the same transaction as the change that causes it (a rolled-back
change sends nothing; a committed one is never lost), already rendered in its recipient's
language. `terbuka notify send` delivers it later. The recipient's address is personal data:
it is kept sealed (AES-GCM, notifications.recipients) and erased once the notice is sent or
has finally failed; admins see the audience (the reporter, or an officer's username) only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Hold one notice to one recipient and where its delivery stands."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(max_length=60, help_text="event, e.g. participation.forwarded")
    ref = models.CharField(max_length=200, blank=True, db_index=True, help_text="what it is about")
    audience = models.CharField(max_length=150, help_text="reporter, or an officer's username")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.BinaryField(editable=False, help_text="sealed address; empty once done")
    language = models.CharField(max_length=5, default="id")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(help_text="due time; while sending, the lease's end")
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.audience} ({self.channel})"
