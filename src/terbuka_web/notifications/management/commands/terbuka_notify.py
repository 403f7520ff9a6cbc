"""`terbuka notify send [--loop] [--interval S]`: deliver the outbox of notices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from terbuka_web.common.rounds import rounds_run
from terbuka_web.notifications.sending import delivery_check, notifications_send


class Command(BaseCommand):
    help = (
        "Pemberitahuan / notices. `send` delivers the notices due in the outbox: e-mail "
        "through EMAIL_BACKEND (TERBUKA_EMAIL_*), SMS and WhatsApp through "
        "TERBUKA_SMS_BACKEND; a failed send is tried again with exponential backoff, then "
        "marked failed (/akun/pemberitahuan/). Concurrent workers never send a notice twice. "
        "`terbuka serve` runs it with --loop."
    )

    def add_arguments(self, parser: Any) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        send = commands.add_parser("send", help="deliver the notices that are due")
        send.add_argument("--loop", action="store_true", help="run as a background worker")
        send.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        gateway = delivery_check()  # a configuration mistake: one line, exit 2
        if options["loop"]:
            self.stderr.write(f"notify: {settings.NOTIFY['WHERE']}")

        def send() -> None:
            result = notifications_send(gateway=gateway)
            if not options["loop"] or result.sent or result.retried or result.failed:
                self.stdout.write(f"notify send: {result}")
                self.stdout.flush()

        rounds_run(
            send,
            loop=options["loop"],
            interval=options["interval"],
            name="notify",
            report=lambda line: self.stderr.write(line),
        )
