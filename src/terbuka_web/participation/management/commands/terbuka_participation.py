"""`terbuka participation`: the citizens' reports' background work.

terbuka participation tick [--loop] [--interval S] [--now ISO]   deadlines: close, remind, escalate
terbuka participation apikey NAME [--revoke]                     Open311 API key of an application
terbuka participation question KEY [--text T --text-en E]        show or edit a survey question
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from terbuka.errors import TerbukaError
from terbuka_web.common.rounds import rounds_run
from terbuka_web.participation.deadlines import deadlines_apply
from terbuka_web.participation.open311 import apikey_create, apikey_revoke
from terbuka_web.participation.survey_services import question_current, question_revise


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--now {text!r} bukan waktu ISO 8601 / is not an ISO 8601 time"
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Laporan warga / citizens' reports. `tick` applies the deadlines counted in working "
        "days: closes cases answered 10 working days ago, records (and e-mails) reminders one "
        "working day before a deadline, escalates overdue cases desa → kecamatan → "
        "kabupaten/kota → provinsi → nasional. Idempotent; `terbuka serve` runs it with --loop. "
        "`apikey NAME` prints a new Open311 API key (kept hashed); `--revoke` revokes NAME's keys. "
        "`question KEY` prints the satisfaction question (case or visit); with --text and "
        "--text-en it adds a new version (answers keep the text they were given)."
    )

    def add_arguments(self, parser: Any) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        tick = commands.add_parser("tick", help="apply deadlines: auto-close, remind, escalate")
        tick.add_argument("--loop", action="store_true", help="run as a background worker")
        tick.add_argument("--interval", type=float, default=300.0, help="seconds between rounds")
        tick.add_argument(
            "--now", default="", help="act as at this ISO 8601 time (tests, catching up)"
        )
        apikey = commands.add_parser(
            "apikey", help="print a new Open311 API key for application NAME (stored hashed)"
        )
        apikey.add_argument("name", help="the application's name")
        apikey.add_argument(
            "--revoke", action="store_true", help="revoke every key of NAME instead"
        )
        question = commands.add_parser(
            "question", help="show or edit (new version) a satisfaction survey question"
        )
        question.add_argument("key", choices=("case", "visit"), metavar="KEY", help="case or visit")
        question.add_argument("--text", default="", help="the new text in Bahasa Indonesia")
        question.add_argument("--text-en", default="", help="the new text in English")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "apikey":
            self._apikey(options["name"], revoke=options["revoke"])
            return
        if options["command"] == "question":
            self._question(options["key"], options["text"], options["text_en"])
            return
        now = _moment(options["now"]) if options["now"] else None

        def tick() -> None:
            result = deadlines_apply(now=now)
            if not options["loop"] or result.closed or result.reminded or result.escalated:
                self.stdout.write(f"participation tick: {result}")
                self.stdout.flush()

        rounds_run(
            tick,
            loop=options["loop"],
            interval=options["interval"],
            name="participation",
            report=lambda line: self.stderr.write(line),
        )

    def _apikey(self, name: str, *, revoke: bool) -> None:
        if revoke:
            count = apikey_revoke(name=name)
            self.stdout.write(f"dicabut/revoked {count} key(s) of {name}")
            return
        try:
            self.stdout.write(apikey_create(name=name))
        except TerbukaError as exc:
            raise CommandError(f"{exc.message_id} / {exc.message_en}") from None

    def _question(self, key: str, text: str, text_en: str) -> None:
        try:
            if text or text_en:
                question = question_revise(key=key, text=text, text_en=text_en)
            else:
                question = question_current(key)
        except TerbukaError as exc:
            raise CommandError(f"{exc.message_id} / {exc.message_en}") from None
        self.stdout.write(f"{key} v{question.version}: {question.text} / {question.text_en}")
