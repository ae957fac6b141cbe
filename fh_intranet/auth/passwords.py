"""Password hashing and the password policy."""
import re
import secrets
import unicodedata
from functools import lru_cache
from importlib import resources

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # No usable account: spend the same time as a real check, so that timing does not tell
        # which addresses have accounts. The dummy is made like every real hash (same cost).
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(24))


def warm_up() -> None:
    """Make the dummy hash at start-up: made on the first unknown address instead, that one
    answer would take twice as long."""
    _dummy_hash()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("fh_intranet").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _normalised(password: str) -> str:
    return "".join(password.lower().split())


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _comparable(text: str) -> set[str]:
    """Lower-case letters and digits only, as typed and transliterated ("Jürgen" → "jurgen",
    "juergen"): "Clara.Neumann" and "clara neumann" compare equal."""
    text = text.lower()
    forms = {text, text.translate(_GERMAN),
             unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()}
    return {re.sub(r"[\W_]+", "", form) for form in forms}


def _contains_own_data(password: str, email: str, name: str) -> bool:
    """The password contains the whole e-mail address, its local part or the whole name."""
    local = email.split("@")[0]
    own = set()
    for value, shortest in ((email, 3), (local, 3), (name, 4)):
        own |= {form for form in _comparable(value) if len(form) >= shortest}
    typed = _comparable(password)
    return any(form in candidate for form in own for candidate in typed)


def _mostly_own_data(password: str, email: str, name: str) -> bool:
    """A single part of the name or the address (≥ 4 letters) plus fewer than 8 other characters."""
    plain = _normalised(password)
    parts = {part for part in re.split(r"[\W_]+", email.split("@")[0].lower()) + name.lower().split()
             if len(part) >= 4}
    return bool(parts) and any(part in plain for part in parts) and len(plain) - max(map(len, parts)) < 8


def policy_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """German (or English) messages for every rule the password breaks; empty when it is fine."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Das Passwort muss mindestens %(n)d Zeichen lang sein.", n=MIN_LENGTH))
    plain = _normalised(password)
    stripped = plain.rstrip("0123456789!?.")
    if not stripped or plain in common_passwords() or stripped in common_passwords() or len(set(plain)) <= 3:
        problems.append(
            _("Dieses Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.")
        )
    if _contains_own_data(password, email or "", name or ""):
        problems.append(_("Das Passwort darf weder Ihren Namen noch Ihre E-Mail-Adresse enthalten, auch nicht den Teil vor dem @."))
    elif _mostly_own_data(password, email or "", name or ""):
        problems.append(_("Das Passwort darf nicht im Wesentlichen aus Ihrem Namen oder Ihrer E-Mail-Adresse bestehen."))
    return problems
