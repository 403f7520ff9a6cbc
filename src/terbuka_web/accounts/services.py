"""Services of the accounts app: audit trail, permission enforcement, agencies and users."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from terbuka.errors import TerbukaError, ValidationError
from terbuka_web.accounts.models import Agency, AuditEvent, Role, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.common.bilingual import in_both
from terbuka_web.regions.models import Region
from terbuka_web.regions.selectors import region_children, region_get

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,149}")


class PermissionDenied(TerbukaError):
    """Report a write the user's role or agency does not allow."""

    code = "forbidden"


# What each action does, in words: (Indonesian, English).
ACTION_WORDS: dict[Action, tuple[str, str]] = {
    Action.PROCESS_CREATE: ("membuat paket pekerjaan", "create work packages"),
    Action.PROCESS_DELETE: ("menghapus paket pekerjaan", "delete work packages"),
    Action.STAGE_EDIT: ("mengisi tahap", "fill in stages"),
    Action.DOCUMENT_UPLOAD: ("mengunggah dokumen", "upload documents"),
    Action.STAGE_PUBLISH: ("menerbitkan tahap", "publish stages"),
    Action.DRAFT_VIEW: ("melihat draf", "see drafts"),
    Action.OCDS_IMPORT: ("mengimpor data OCDS", "import OCDS data"),
    Action.USER_MANAGE: ("mengelola pengguna", "manage users"),
    Action.AGENCY_MANAGE: ("mengelola perangkat daerah", "manage agencies"),
    Action.GOVERNANCE_MANAGE: (
        "mengelola usulan dan notulen konsorsium",
        "manage consortium proposals and minutes",
    ),
    Action.REPORT_VERIFY: (
        "memverifikasi dan mendisposisikan laporan",
        "verify and forward reports",
    ),
    Action.REPORT_ANSWER: ("menindaklanjuti laporan", "follow up reports"),
    Action.BUDGET_IMPORT: ("menerbitkan anggaran", "publish budgets"),
    Action.BUDGET_VILLAGE_EDIT: ("mengisi APBDes", "enter the village budget (APBDes)"),
    Action.REGISTRY_IMPORT: (
        "mengimpor registri penerima bantuan",
        "import the beneficiary registry",
    ),
    Action.REGISTRY_IDENTITY_VIEW: (
        "melihat identitas penerima bantuan",
        "see beneficiaries' identities",
    ),
    Action.PROGRAMME_MANAGE: ("mengelola program bantuan", "manage benefit programmes"),
    Action.WALLET_ENROL: ("mendaftarkan dompet warga", "enrol citizens' wallets"),
    Action.MERCHANT_APPROVE: ("menyetujui pedagang", "approve merchants"),
}


def permission_require(*, user: User | None, action: Action, agency: Agency | None = None) -> None:
    """Raise PermissionDenied unless user may take action on agency."""
    if not user_can(user, action, agency):
        who = getattr(user, "username", "anonim") or "anonim"
        what_id, what_en = ACTION_WORDS[action]
        raise PermissionDenied(
            f"{who} tidak berwenang {what_id}" + (f" untuk {agency.name}" if agency else ""),
            f"{who} may not {what_en}" + (f" for {agency.name}" if agency else ""),
        )


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: str = "",
    agency: Agency | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event (source:subject:action) in the caller's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        target=target,
        agency=agency,
        data=data or {},
    )


# ---------------------------------------------------------------------------------------------
# Agencies and users. actor=None means the system itself (a management command run by the
# server's operator, e.g. `terbuka demo`); any other actor must hold the matching permission.
# ---------------------------------------------------------------------------------------------

AGENCY_BOUND_ROLES = frozenset({Role.OPERATOR, Role.PPTK, Role.PPK, Role.PA})
AGENCY_DATA = Path(__file__).resolve().parent / "data"


def agency_create(
    *, actor: User | None, code: str, name: str, kind: str, government: Region
) -> Agency:
    """Create an agency (perangkat daerah) of government, audited as accounts:agency:create.

    Raises PermissionDenied unless actor may manage agencies, ValidationError (bilingual,
    naming the field) for a bad slug, an empty name, an unknown kind or a taken code.
    """
    if actor is not None:
        permission_require(user=actor, action=Action.AGENCY_MANAGE)
    _agency_code_check(code)
    _agency_fields_check(name=name, kind=kind)
    with transaction.atomic():
        agency = Agency.objects.create(
            code=code, name=name.strip(), kind=kind, government=government
        )
        audit_record(
            actor=actor,
            action="accounts:agency:create",
            target=code,
            agency=agency,
            data={"name": agency.name, "kind": kind, "government": government.code},
        )
    return agency


def agencies_seed(
    *, actor: User | None, path: Path | None = None, with_kecamatan: bool = True
) -> list[Agency]:
    """Create the agencies listed in a data file (default: Bojonegoro's) that do not exist yet.

    Idempotent: agencies whose code exists are returned unchanged. With with_kecamatan, one
    Kecamatan agency per district of the government region is added, named from the regions
    table. Raises RegionNotFound when the government region is not loaded.
    """
    path = path or AGENCY_DATA / "bojonegoro-35.22-agencies.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    government = region_get(code=spec["government"])
    prefix = government.code.replace(".", "")
    wanted = [(f"{prefix}-{a['short']}", a["name"], a["kind"]) for a in spec["agencies"]]
    if with_kecamatan:
        wanted += [
            (f"{prefix}-kec-{slugify(d.name)}", f"Kecamatan {d.name}", Agency.Kind.KECAMATAN)
            for d in region_children(code=government.code)
        ]
    existing = {a.code: a for a in Agency.objects.filter(code__in=[w[0] for w in wanted])}
    with transaction.atomic():
        for code, name, kind in wanted:
            if code not in existing:
                existing[code] = agency_create(
                    actor=actor, code=code, name=name, kind=kind, government=government
                )
    return [existing[w[0]] for w in wanted]


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    full_name: str = "",
    email: str = "",
    temporary: bool = False,
) -> User:
    """Create an official's account with an Argon2-hashed password, audited as accounts:user:create.

    Operators, PPTK, PPK and PA must belong to an agency; admins and auditors must not.
    Raises PermissionDenied unless actor may manage users, ValidationError (bilingual) for a
    taken or malformed username, an unknown role, a role/agency mismatch or a weak password.
    password=None gives an unusable password: the account cannot log in until an admin sets
    one (`terbuka manage changepassword`). With temporary, the password is a one-time password
    (password_temporary) the user must change at first login. The password never reaches the
    audit trail.
    """
    if actor is not None:
        permission_require(user=actor, action=Action.USER_MANAGE)
    _username_check(username)
    _role_check(role=role, agency=agency)
    user = User(username=username, role=role, agency=agency, email=email.strip())
    user.first_name = full_name.strip()[:150]
    if password is None:
        user.set_unusable_password()
    else:
        _password_check(password, user)
        user.set_password(password)
        user.password_change_required = temporary
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action="accounts:user:create",
            target=username,
            agency=agency,
            data={"role": role, "agency": agency.code if agency else None},
        )
    return user


def agency_update(
    *, actor: User, agency: Agency, name: str, kind: str, government: Region
) -> Agency:
    """Change an agency's name, kind and government, audited as accounts:agency:update.

    The code never changes: it is part of every ocid the agency has published. Raises
    PermissionDenied unless actor may manage agencies, ValidationError for an empty name or
    an unknown kind (nothing written).
    """
    permission_require(user=actor, action=Action.AGENCY_MANAGE)
    _agency_fields_check(name=name, kind=kind)
    before = {"name": agency.name, "kind": agency.kind, "government": agency.government_id}
    agency.name, agency.kind, agency.government = name.strip(), kind, government
    after = {"name": agency.name, "kind": kind, "government": government.code}
    with transaction.atomic():
        agency.save(update_fields=["name", "kind", "government"])
        audit_record(
            actor=actor,
            action="accounts:agency:update",
            target=agency.code,
            agency=agency,
            data=_changes(before, after),
        )
    return agency


def password_temporary() -> str:
    """Return a new random one-time password: four groups of four letters and digits.

    Example: "k7qm-2xvd-9hte-c4wz" (about 82 bits). Letters easy to confuse (l, o, 0, 1) are
    left out, so it can be read aloud or copied from a screen.
    """
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    role: str,
    agency: Agency | None,
    full_name: str = "",
    email: str = "",
) -> User:
    """Change an account's role, agency, name and e-mail, audited as accounts:user:update.

    Raises PermissionDenied unless actor may manage users, ValidationError for an unknown
    role, a role/agency mismatch, or an admin taking away their own admin role (someone must
    keep managing accounts). The username never changes.
    """
    permission_require(user=actor, action=Action.USER_MANAGE)
    _role_check(role=role, agency=agency)
    if user.pk == actor.pk and role != Role.ADMIN:
        raise ValidationError(
            "Anda tidak dapat mencabut peran admin Anda sendiri; minta admin lain",
            "you cannot take away your own admin role; ask another admin",
            where="role",
        )
    before = {"role": user.role, "agency": user.agency.code if user.agency else None}
    before |= {"full_name": user.first_name, "email": user.email}
    user.role, user.agency = role, agency
    user.first_name, user.email = full_name.strip()[:150], email.strip()
    after = {"role": role, "agency": agency.code if agency else None}
    after |= {"full_name": user.first_name, "email": user.email}
    user.save(update_fields=["role", "agency", "first_name", "email"])
    audit_record(
        actor=actor,
        action="accounts:user:update",
        target=user.username,
        agency=agency,
        data=_changes(before, after),
    )
    return user


@transaction.atomic
def user_active_set(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account, audited as accounts:user:deactivate / :activate.

    A deactivated account cannot log in and its open sessions stop working at their next
    request; its audit trail and the processes it wrote stay. Raises PermissionDenied unless
    actor may manage users, ValidationError when an admin deactivates their own account.
    """
    permission_require(user=actor, action=Action.USER_MANAGE)
    if user.pk == actor.pk and not active:
        raise ValidationError(
            "Anda tidak dapat menonaktifkan akun Anda sendiri",
            "you cannot deactivate your own account",
            where="is_active",
        )
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="accounts:user:" + ("activate" if active else "deactivate"),
        target=user.username,
        agency=user.agency,
    )
    return user


@transaction.atomic
def user_password_reset(*, actor: User, user: User, password: str) -> User:
    """Give user a one-time password to change at next login, audited as
    accounts:user:password_reset (the password itself is never recorded).

    Open sessions of user end (their password hash changed). Raises PermissionDenied unless
    actor may manage users, ValidationError for a weak password.
    """
    permission_require(user=actor, action=Action.USER_MANAGE)
    _password_check(password, user)
    user.set_password(password)
    user.password_change_required = True
    user.save(update_fields=["password", "password_change_required"])
    audit_record(
        actor=actor, action="accounts:user:password_reset", target=user.username, agency=user.agency
    )
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change the user's own password, ending a one-time password; audited as
    accounts:user:password_change.

    Raises ValidationError (bilingual, naming the field) when old_password is wrong, the new
    one equals it, or it is too weak; nothing is written then.
    """
    if not user.check_password(old_password):
        raise ValidationError(
            "sandi lama salah", "the current password is wrong", where="old_password"
        )
    if new_password == old_password:
        raise ValidationError(
            "sandi baru harus berbeda dari sandi lama",
            "the new password must differ from the current one",
            where="new_password1",
        )
    _password_check(new_password, user, where="new_password1")
    user.set_password(new_password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])
    audit_record(
        actor=user, action="accounts:user:password_change", target=user.username, agency=user.agency
    )
    return user


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Return {field: [old, new]} for the fields whose value changed."""
    return {k: [before[k], after[k]] for k in after if before[k] != after[k]}


def _agency_code_check(code: str) -> None:
    if not SLUG.fullmatch(code or ""):
        raise ValidationError(
            f"kode instansi {code!r} harus huruf kecil, angka dan tanda hubung",
            f"agency code {code!r} must be lower-case letters, digits and hyphens",
            where="code",
        )
    if Agency.objects.filter(code=code).exists():
        raise ValidationError(
            f"kode instansi {code} sudah dipakai", f"agency code {code} is taken", where="code"
        )


def _agency_fields_check(*, name: str, kind: str) -> None:
    if not name or not name.strip():
        raise ValidationError("nama instansi wajib diisi", "agency name is required", where="name")
    if kind not in Agency.Kind.values:
        kinds = ", ".join(Agency.Kind.values)
        raise ValidationError(
            f"jenis instansi {kind!r} tidak dikenal; pilih salah satu: {kinds}",
            f"unknown agency kind {kind!r}; choose one of: {kinds}",
            where="kind",
        )


def _username_check(username: str) -> None:
    if not USERNAME.fullmatch(username or ""):
        raise ValidationError(
            f"nama pengguna {username!r} hanya boleh huruf kecil, angka, titik, _ dan - (3–150)",
            f"username {username!r} may hold only lower-case letters, digits, '.', '_' and '-' "
            "(3–150)",
            where="username",
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            f"nama pengguna {username} sudah dipakai",
            f"username {username} is taken",
            where="username",
        )


def _role_check(*, role: str, agency: Agency | None) -> None:
    if role not in Role.values:
        raise ValidationError(
            f"peran {role!r} tidak dikenal; pilih salah satu: {', '.join(Role.values)}",
            f"unknown role {role!r}; choose one of: {', '.join(Role.values)}",
            where="role",
        )
    role_id, role_en = in_both(lambda: Role(role).label)
    if role in AGENCY_BOUND_ROLES and agency is None:
        raise ValidationError(
            f"peran {role_id} wajib terikat pada satu instansi; pilih perangkat daerahnya",
            f"the {role_en} role must belong to an agency; choose its agency",
            where="agency",
        )
    if role not in AGENCY_BOUND_ROLES and agency is not None:
        raise ValidationError(
            f"peran {role_id} berlaku untuk semua instansi; jangan pilih instansi",
            f"the {role_en} role acts for every agency; leave the agency empty",
            where="agency",
        )


def _password_check(password: str, user: User, where: str = "password") -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationError(
            "kata sandi terlalu lemah: " + " ".join(error.messages),
            "password too weak: "
            + " ".join(str(m) for m in _english(lambda: validate_password(password, user))),
            where=where,
        ) from None


def _english(check: Callable[[], None]) -> list[str]:
    with translation.override("en"):
        try:
            check()
        except DjangoValidationError as error:
            return list(error.messages)
    return []
