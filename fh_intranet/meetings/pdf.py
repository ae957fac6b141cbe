"""Minutes as a PDF: meeting data, corrections, attendance, agenda with notes, decisions, action items."""
from flask_babel import gettext as _

from .. import dates, markdown
from ..pdf import Document
from .models import ATTENDANCE
from .queries import minutes_revisions


def minutes_pdf(*, meeting, items, decisions, actions, attendance, guests, revision_count, revisions=None,
                **_ignored) -> bytes:
    document = Document(meeting.title)
    document.line(f"{meeting.body.name} – {meeting.kind_label} – {dates.when(meeting.starts_at)}"
                  + (f" – {meeting.place}" if meeting.place else ""))
    if meeting.is_cancelled:
        document.line(_("Abgesagt: Diese Sitzung findet nicht statt."))
    else:
        document.line(_("Veröffentlicht") if meeting.is_published else _("Entwurf – nicht veröffentlicht"))
    if revision_count > 1:
        document.line(_("Korrigiert: Fassung %(number)d", number=revision_count))
    _corrections(document, meeting, revisions)
    lines = [f"{ATTENDANCE[status]}: {', '.join(names)}" for status in ("present", "excused", "absent")
             if (names := [a.person.name for a in attendance if a.status == status])]
    if guests:
        lines.append(_("Gäste") + ": " + ", ".join(g.name + (f" ({g.organisation})" if g.organisation else "")
                                                   for g in guests))
    if lines:  # none taken (a cancelled meeting): no heading over nothing
        document.heading(_("Anwesenheit"))
        for line in lines:
            document.line(line)
    for number, item in enumerate(items, start=1):
        document.heading(f"{_('TOP %(number)d', number=number)}: {item.title}")
        if item.notes.strip():
            document.html(str(markdown.render(item.notes, heading_offset=3)))
        for decision in decisions.get(item.id, []):
            label = _("Beschluss %(label)s", label=decision.label) if decision.label else _("Beschluss")
            document.line(f"{label}: {decision.text}")
    all_actions = [a for item in items for a in actions.get(item.id, [])]
    if all_actions:
        document.heading(_("Aufgaben"))
        document.table([_("Aufgabe"), _("Wer"), _("Bis"), _("Stand")],
                       [[a.what, a.person.name, dates.day(a.due_on) if a.due_on else "-",
                         _("erledigt") if a.done_at else _("offen")] for a in all_actions], (80, 45, 30, 25))
    return document.output()


def _corrections(document: Document, meeting, revisions=None) -> None:
    """A correction after publishing is a visible revision with a reason, never a silent edit: the
    printed minutes name each one as the meeting page does (number, date, author, reason)."""
    if not meeting.is_published:
        return
    revisions = minutes_revisions(meeting) if revisions is None else revisions
    corrections = [r for r in revisions if r.number > 1]
    if not corrections:
        return
    document.heading(_("Korrekturen"))
    for revision in corrections:
        document.line(_("Fassung %(number)d vom %(when)s (%(name)s):", number=revision.number,
                        when=dates.when(revision.created_at, "short"), name=revision.author.name)
                      + " " + revision.reason)
