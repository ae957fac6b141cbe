"""Markdown kept rendered next to its text (markdown.keep), made again where the renderer changed
since (markdown.RENDERING). Pages show such a row correctly anyway, by rendering it on the fly
(markdown.shown), but ten years of comments rendered on every page view are slow: `db upgrade`
runs `refresh` after the migrations. It changes no text and no version (nobody edited anything).
Several servers upgraded at once take turns (`serialize`): the second finds nothing left to do."""
from . import markdown
from .agreements.models import SECTION_HEADING_OFFSET, AgreementVersion, Comment
from .agreements.sections import split
from .db import serialize, write_transaction
from .meetings.models import NOTES_HEADING_OFFSET, AgendaItem, MinutesComment
from .workshops.models import OUTPUT_HEADING_OFFSET, Output

# (model, text field, kept HTML field, heading offset)
KEPT = (
    (Comment, "body", "body_html", 1),
    (MinutesComment, "body", "body_html", 1),
    (AgendaItem, "notes", "notes_html", NOTES_HEADING_OFFSET),
    (Output, "text", "text_html", OUTPUT_HEADING_OFFSET),
)


def refresh() -> dict[str, int]:
    """Renderings made again, per table (only those that changed)."""
    counts = {}
    with write_transaction():
        serialize("kept_renderings")
        for model, text_name, html_name, offset in KEPT:
            text, html = getattr(model, text_name), getattr(model, html_name)
            stale = [(row_id, markdown.keep(value, heading_offset=offset))
                     for row_id, value, kept in model.select(model.id, text, html).order_by(model.id).tuples()
                     if not markdown.is_current(kept, value, heading_offset=offset)]
            _write(model, html_name, stale)
            counts[model._meta.table_name] = len(stale)
        stale = []
        for row_id, value, kept in (AgreementVersion.select(AgreementVersion.id, AgreementVersion.text,
                                                            AgreementVersion.rendered)
                                    .order_by(AgreementVersion.id).tuples()):
            sections = split(value)
            if not markdown.sections_current(kept, sections, heading_offset=SECTION_HEADING_OFFSET):
                stale.append((row_id, markdown.keep_sections(sections, heading_offset=SECTION_HEADING_OFFSET)))
        _write(AgreementVersion, "rendered", stale)
        counts[AgreementVersion._meta.table_name] = len(stale)
    return {table: count for table, count in counts.items() if count}


def _write(model, html_name: str, rows: list[tuple[int, str]]) -> None:
    for row_id, html in rows:
        model.update({html_name: html}).where(model.id == row_id).execute()
