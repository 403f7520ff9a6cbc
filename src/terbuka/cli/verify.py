"""Register `terbuka verify`: check a published log, a record or a receipt (no Django needed).

    terbuka verify https://terbuka.example/log/ --policy kebijakan.txt [--file rilis.json] [--audit]
    terbuka verify ./ekspor --policy kebijakan.txt --anchor anchor-tx.json
    terbuka verify --receipt tanda-terima.txt --file rilis.json --policy kebijakan.txt
    terbuka verify https://terbuka.example/log/ --policy kebijakan.txt --programme blt --cycle 1

With --programme and --cycle, the per-village totals of that disbursement cycle are recomputed
from the log's benefit.credit entries alone and compared with the log's benefit.village_total
entries and with what the portal publishes (--published FILE or URL; by default, for a log
served over HTTP, /api/benefits/programmes/P/cycles/C/villages on the same host).

Exit codes: 0 verified, 1 verification failed (tampering, fork, rollback, missing record),
2 usage or input error, 3 log unreachable or incomplete (cannot tell).
"""

from __future__ import annotations

import argparse
import json
import urllib.parse
from pathlib import Path

from terbuka.errors import FormatError, TerbukaError, VerificationError
from terbuka.registry.cycles import cycle_totals, published_parse, totals_differences
from terbuka.tlog.anchor import anchor_check, anchor_check_signature
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.errors import MalformedError, UnavailableError
from terbuka.tlog.origin_state import OriginState, default_state_path
from terbuka.tlog.policy import Policy
from terbuka.tlog.verify import (
    Report,
    audit_log,
    check_checkpoint,
    check_consistency_with_state,
    check_inclusion_of,
    read_entries,
    served_by_log,
    verify_receipt,
)
from terbuka.tlog.verify_source import (
    LogSource,
    answer_body,
    entry_from_record,
    http_call,
    open_source,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
VERDICTS = {
    EXIT_OK: ("HASIL: TERVERIFIKASI", "RESULT: VERIFIED"),
    EXIT_FAILED: (
        "HASIL: GAGAL — kemungkinan pemalsuan, cabang (fork) atau rekaman hilang",
        "RESULT: FAILED — possible tampering, a fork or a missing record",
    ),
    EXIT_USAGE: ("HASIL: MASUKAN SALAH", "RESULT: USAGE OR INPUT ERROR"),
    EXIT_UNAVAILABLE: (
        "HASIL: TIDAK DAPAT DIPASTIKAN — log tidak terjangkau atau tidak lengkap",
        "RESULT: CANNOT TELL — the log is unreachable or incomplete",
    ),
}


def read_input(path: Path, what: str) -> bytes:
    """Return the bytes of the citizen's input file; raise MalformedError when unreadable."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MalformedError(
            f"{what} {path} tidak dapat dibaca: {exc.strerror}",
            f"{what} {path} cannot be read: {exc.strerror}",
            where=str(path),
        ) from exc


def run_checks(args: argparse.Namespace, report: Report) -> None:
    """Run the checks args ask for, adding to report; raise on the first failure."""
    if args.source is None and args.receipt is None:
        raise MalformedError(
            "berikan SUMBER (URL atau direktori) atau --receipt",
            "give a SOURCE (URL or directory) or --receipt",
            where="SOURCE",
        )
    policy = Policy.parse(read_input(args.policy, "berkas kebijakan / policy file"))
    entry = None
    if args.file is not None:
        entry = entry_from_record(read_input(args.file, "berkas / file"), where=str(args.file))
    state = OriginState.load(args.state or default_state_path("verify-state.json"))
    if args.receipt is not None:
        run_receipt(args, entry, policy, state, report)
    if (args.programme is None) != (args.cycle is None):
        raise MalformedError(
            "--programme dan --cycle harus diberikan bersama",
            "--programme and --cycle go together",
            where="--programme",
        )
    if args.source is not None:
        checkpoint, source = run_source(args, entry, policy, state, report)
        if args.programme is not None:
            check_cycle(args, checkpoint, source, report)


def run_receipt(
    args: argparse.Namespace,
    entry: bytes | None,
    policy: Policy,
    state: OriginState,
    report: Report,
) -> None:
    """Check --receipt for --file offline (and --anchor against it when there is no SOURCE)."""
    if entry is None:
        raise MalformedError(
            "--receipt butuh --file berisi rekaman yang dibuktikan",
            "--receipt needs --file with the record it proves",
            where="--receipt",
        )
    receipt = read_input(args.receipt, "tanda terima / receipt")
    checkpoint = verify_receipt(receipt, entry, policy, state, report)
    if args.anchor is not None and args.source is None:
        check_anchor(args, checkpoint, report)


def run_source(
    args: argparse.Namespace,
    entry: bytes | None,
    policy: Policy,
    state: OriginState,
    report: Report,
) -> tuple[Checkpoint, LogSource]:
    """Check the log at SOURCE: checkpoint, consistency, inclusion, audit, anchor."""
    source = open_source(args.source)
    with served_by_log("checkpoint"):
        note = source.read("checkpoint")
    checkpoint = check_checkpoint(note, policy, report)
    check_consistency_with_state(checkpoint, source, state, report)
    if entry is not None and args.receipt is None:
        check_inclusion_of(entry, checkpoint, source, report)
    if args.audit:
        audit_log(checkpoint, source, report)
    if args.anchor is not None:
        check_anchor(args, checkpoint, report)
    return checkpoint, source


def published_read(args: argparse.Namespace, source: LogSource) -> bytes:
    """Return the portal's published per-village totals: --published (file or URL), else the
    API on the log's host. Raises MalformedError or UnavailableError."""
    spec = args.published
    if spec is None:
        if not source.location.startswith(("http://", "https://")):
            raise MalformedError(
                "berikan --published (berkas JSON atau URL) untuk log dari direktori",
                "give --published (a JSON file or URL) for a log read from a directory",
                where="--published",
            )
        spec = urllib.parse.urljoin(
            source.location,
            f"/api/benefits/programmes/{urllib.parse.quote(args.programme)}/cycles/"
            f"{args.cycle}/villages",
        )
    if spec.startswith(("http://", "https://")):
        return answer_body(http_call(spec), spec)
    return read_input(Path(spec), "total terbit / published totals")


def check_cycle(
    args: argparse.Namespace, checkpoint: Checkpoint, source: LogSource, report: Report
) -> None:
    """Recompute the cycle's per-village totals from the log alone; compare them with the log's
    own village totals and with the portal's. Raises VerificationError naming the villages."""
    totals = cycle_totals(
        (data for _, data in read_entries(source, checkpoint.size)), args.programme, args.cycle
    )
    if not totals.logged_totals:  # a cycle logs its village totals last
        raise VerificationError(
            f"log sampai checkpoint {checkpoint.size} belum memuat total desa siklus {args.cycle}"
            f" program {args.programme} ({totals.credits} kredit): siklus yang baru berjalan "
            "masuk checkpoint bersaksi berikutnya, ulangi sebentar lagi; bila tetap begini, "
            "siklus itu tidak tercatat utuh",
            f"the log up to checkpoint {checkpoint.size} holds no village totals of cycle "
            f"{args.cycle} of programme {args.programme} ({totals.credits} credits): a cycle "
            "that has just run enters the next witnessed checkpoint, so run this again in a "
            "minute; if it stays so, the cycle is not recorded whole",
            where="--cycle",
        )
    published = published_parse(published_read(args, source))
    for name_id, name_en, shown in (
        ("total desa di log", "the log's village totals", totals.logged_totals),
        ("total yang diterbitkan portal", "the portal's published totals", published),
    ):
        wrong = totals_differences(totals.credited, shown)
        if wrong:
            raise VerificationError(
                f"{name_id} BERBEDA dari kredit di log: {'; '.join(wrong[:10])}",
                f"{name_en} DIFFER from the credits in the log: {'; '.join(wrong[:10])}",
                where=wrong[0].split(":")[0],
            )
    total = sum(totals.credited.values())
    report.ok(
        f"siklus {args.cycle} {args.programme}: {totals.credits} kredit, {len(totals.credited)} "
        f"desa, Rp {total} — sama dengan total log dan portal",
        f"cycle {args.cycle} of {args.programme}: {totals.credits} credits, "
        f"{len(totals.credited)} villages, Rp {total} — the log's and portal's totals agree",
    )


def check_anchor(args: argparse.Namespace, checkpoint: Checkpoint, report: Report) -> None:
    """Check that the anchor transaction --anchor commits to checkpoint (and, with
    --anchor-key, that this chain key signed it; needs the `anchor` extra, hive-nectar)."""
    try:
        tx = json.loads(read_input(args.anchor, "jangkar / anchor"))
    except ValueError as exc:
        raise MalformedError(
            f"jangkar bukan JSON: {exc}", f"anchor is not JSON: {exc}", where=str(args.anchor)
        ) from exc
    anchor_check(tx, origin=checkpoint.origin, size=checkpoint.size, root=checkpoint.root)
    if args.anchor_key:
        try:
            anchor_check_signature(tx, args.anchor_key)
        except ImportError as exc:
            raise MalformedError(
                "--anchor-key butuh hive-nectar: pip install 'terbuka[anchor]'",
                "--anchor-key needs hive-nectar: pip install 'terbuka[anchor]'",
                where="--anchor-key",
            ) from exc
    signed = f"; ditandatangani {args.anchor_key}" if args.anchor_key else ""
    signed_en = f"; signed by {args.anchor_key}" if args.anchor_key else ""
    report.ok(
        f"jangkar di rantai blok cocok dengan checkpoint (ukuran {checkpoint.size}){signed}",
        f"the chain anchor matches the checkpoint (size {checkpoint.size}){signed_en}",
    )


def exit_code(exc: TerbukaError) -> int:
    """Map an error to the exit code: 1 failed, 2 usage/input, 3 unavailable."""
    if isinstance(exc, UnavailableError):
        return EXIT_UNAVAILABLE
    if isinstance(exc, VerificationError):
        return EXIT_FAILED
    return EXIT_USAGE if isinstance(exc, FormatError) else EXIT_FAILED


def run_verify(args: argparse.Namespace) -> int:
    """Run `terbuka verify`, print the bilingual verdict and return the exit code."""
    report = Report()
    try:
        run_checks(args, report)
        code, problem = EXIT_OK, None
    except TerbukaError as exc:
        code, problem = exit_code(exc), exc
    for message_id, message_en in report.lines:
        print(f"✓ {message_id}\n  {message_en}")
    if problem is not None:
        where = f" [{problem.where}]" if problem.where else ""
        print(f"✗ {problem.message_id}{where}\n  {problem.message_en}")
    verdict_id, verdict_en = VERDICTS[code]
    print(f"{verdict_id}\n{verdict_en}")
    return code


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `terbuka verify`."""
    parser = subparsers.add_parser(
        "verify",
        help="periksa log, rekaman atau tanda terima / verify the log, a record or a receipt",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", nargs="?", metavar="SOURCE", help="log URL or export directory")
    parser.add_argument("--policy", type=Path, required=True, help="tlog-policy file")
    parser.add_argument(
        "--state",
        type=Path,
        help="remembered checkpoints (default ~/.local/state/terbuka/verify-state.json)",
    )
    parser.add_argument("--file", type=Path, help="record (log entry or OCDS release JSON)")
    parser.add_argument("--receipt", type=Path, help="tlog-proof receipt, checked offline")
    parser.add_argument("--audit", action="store_true", help="rebuild the tree from all entries")
    parser.add_argument("--anchor", type=Path, metavar="TXJSON", help="Hive anchor transaction")
    parser.add_argument("--anchor-key", metavar="STM...", help="chain key that must sign it")
    parser.add_argument("--programme", metavar="P", help="benefit programme id, e.g. blt-desil")
    parser.add_argument("--cycle", type=int, metavar="C", help="its disbursement cycle number")
    parser.add_argument(
        "--published", metavar="FILE|URL", help="the portal's per-village totals (JSON)"
    )
    parser.set_defaults(handler=run_verify)
