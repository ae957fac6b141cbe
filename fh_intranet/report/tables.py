"""The report's figures as titled tables, for the PDF and the CSV (the page has its own template)."""
from datetime import date

from flask_babel import gettext as _

from .. import dates


def _day(iso: str) -> str:
    return dates.day(date.fromisoformat(iso))


def tables(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    partners, meetings, agreements = figures["partners"], figures["meetings"], figures["agreements"]
    found = [
        (_("Partner nach Bereich"),
         [_("Bereich"), _("§ 3 KKG"), _("Aktiv zum Jahresende"), _("Beigetreten"), _("Ausgeschieden")],
         [[row["label"], _("ja") if row["kkg"] else _("nein"), row["active"], row["joined"], row["left"]]
          for row in partners["rows"]]
         + [[_("Gesamt"), "", partners["active"], partners["joined"], partners["left"]]]),
        (_("Lücken nach § 3 KKG"), [_("Bereich"), _("Bewertung")],
         [[label, _("fehlt")] for label in figures["coverage"]["missing"]]
         + [[label, _("schwach vertreten")] for label, _n in figures["coverage"]["weak"]]
         + [[label, _("fehlt in %(districts)s", districts=", ".join(districts))]
            for label, districts in figures["coverage"]["gaps"]]),
        (_("Sitzungen und Anwesenheit nach Gremium"),
         [_("Gremium"), _("Sitzungen"), _("Anwesende")] + [column["label"] for column in meetings["columns"]],
         [[row["body"], row["meetings"], row["present"], *row["by_sector"]] for row in meetings["rows"]]),
        (_("Vereinbarungen in Kraft zum Jahresende"),
         [_("Vereinbarung"), _("Beschlossen am"), _("Unterschriften"), _("Fehlende Unterschriften")],
         [[row["title"], _day(row["adopted_on"]), *((row["signatures"], row["missing"]) if row.get("takes_signatures", True)
                                                     else ("–", "–"))] for row in agreements["in_force"]]),
        (_("Im Jahr beschlossene Vereinbarungen"), [_("Vereinbarung"), _("Beschlossen am")],
         [[row["title"], _day(row["adopted_on"])] for row in agreements["adopted"]]),
        (_("Beschlüsse"), [_("Nummer"), _("Beschluss"), _("Gremium")],
         [[row["label"], row["text"], row["body"]] for row in figures["decisions"]["entries"]]),
        (_("Aufgaben"), [_("Kennzahl"), _("Anzahl")],
         [[_("Im Jahr erfasst"), figures["actions"]["opened"]], [_("Im Jahr erledigt"), figures["actions"]["done"]],
          [_("Überfällig zum Jahresende"), figures["actions"]["overdue"]]]),
        (_("Gewählte Themenschwerpunkte"), [_("Abstimmung"), _("Platz"), _("Thema"), _("Punkte")],
         [[round_["title"], result["rank"], result["title"], result["score"]]
          for round_ in figures["priorities"] for result in round_["top"]]),
        (_("Fachtage und Workshop-Ergebnisse"), [_("Fachtag"), _("Datum"), _("Workshops"), _("Ergebnisse")],
         [[row["title"], _day(row["on"]), row["workshops"], row["outputs"]] for row in figures["fachtage"]["rows"]]),
        (_("Angebote nach Zielgruppe"), [_("Zielgruppe"), _("Angebote")],
         [[row["label"], row["count"]] for row in figures["offerings"]["rows"]]
         + [[_("Angebote insgesamt"), figures["offerings"]["total"]]]),
    ]
    return found
