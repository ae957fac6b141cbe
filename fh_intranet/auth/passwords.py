"""Password hashing and the password policy."""
from functools import lru_cache
from importlib import resources

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so that timing does not reveal accounts.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("not-a-real-password", method="scrypt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("fh_intranet").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _normalised(password: str) -> str:
    return "".join(password.lower().split())


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
    own = {part for part in [email.split("@")[0].lower(), *name.lower().split()] if len(part) >= 4}
    if own and any(part in plain for part in own) and len(plain) - max(map(len, own)) < 8:
        problems.append(_("Das Passwort darf nicht im Wesentlichen aus Ihrem Namen oder Ihrer E-Mail-Adresse bestehen."))
    return problems
