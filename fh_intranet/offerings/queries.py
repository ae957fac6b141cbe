"""Reading offerings: the directory's filters, what each person may see, what is exported."""

from flask_login import current_user
from peewee import fn

from ..people.models import COORDINATOR, Organisation
from ..register.queries import active_condition
from ..timezones import berlin_today
from .models import COSTS, TARGET_GROUPS, Offering, stale_before

FILTER_ARGS = ("zielgruppe", "sozialraum", "kosten", "q")


def visible(query):
    """Published offerings, and for the people who keep them also the unpublished ones."""
    if current_user.is_authenticated and current_user.role == COORDINATOR:
        return query
    own = current_user.organisation_id if current_user.is_authenticated else None
    if own is None:
        return query.where(Offering.published)
    return query.where(Offering.published | (Offering.organisation == own))


def filters_from(args) -> dict:
    """The list's filters from the query string; unknown values count as no filter."""
    group = args.get("zielgruppe", "")
    cost = args.get("kosten", "")
    return {"zielgruppe": group if group in TARGET_GROUPS else "",
            "sozialraum": (args.get("sozialraum", "") or "").strip()[:100],
            "kosten": cost if cost in COSTS else "",
            "q": (args.get("q", "") or "").strip()[:200]}


def filtered(query, filters: dict):
    if filters["zielgruppe"]:
        query = query.where(Offering.target_groups.contains(f",{filters['zielgruppe']},"))
    if filters["sozialraum"]:
        query = query.where(Offering.district == filters["sozialraum"])
    if filters["kosten"]:
        query = query.where(Offering.cost == filters["kosten"])
    if filters["q"]:
        needle = filters["q"].lower()
        query = query.where(fn.LOWER(Offering.title).contains(needle)
                            | fn.LOWER(Offering.description).contains(needle)
                            | fn.LOWER(Organisation.name).contains(needle)
                            | fn.LOWER(Offering.languages).contains(needle))
    return query


def with_organisation():
    return Offering.select(Offering, Organisation).join(Organisation)


def districts(query=None) -> list[str]:
    query = query if query is not None else Offering.select()
    rows = query.select(Offering.district).where(Offering.district != "").order_by().distinct()
    return sorted({row.district for row in rows}, key=str.casefold)


def directory():
    """What the directory publishes (exports, public page): published, confirmed within
    OFFERINGS_STALE_DAYS, not past its "valid until", of an organisation still in the network.
    Stale entries wait for their organisation's confirmation instead of sending families to an
    offering that may be gone."""
    today = berlin_today()
    return (with_organisation()
            .where(Offering.published, Offering.confirmed_at >= stale_before(),
                   Offering.valid_until.is_null() | (Offering.valid_until >= today), active_condition(today))
            .order_by(Offering.district, Offering.title, Offering.id))


def grouped(offerings) -> list[tuple[str, list[tuple[str, list[Offering]]]]]:
    """[(target group label, [(district, [offerings])])] in the fixed order of the target groups;
    an offering for several groups appears under each."""
    result = []
    for key, label in TARGET_GROUPS.items():
        in_group = [offering for offering in offerings if key in offering.groups]
        if not in_group:
            continue
        by_district: dict[str, list[Offering]] = {}
        for offering in in_group:
            by_district.setdefault(offering.district or "–", []).append(offering)
        result.append((str(label), sorted(by_district.items(), key=lambda item: item[0].casefold())))
    return result
