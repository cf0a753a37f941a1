"""The pages: each view asks the Catalog (all in memory) and hands plain values to its template."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..diff import STATUSES, TermHistory
from ..authoring.citing import citable_version
from ..authoring.embed import RENDERERS, embed
from ..authoring.export import EXPORTERS
from ..errors import NotFound, NotInVersion
from ..lookup import contradicted_alias, term_id_in
from ..model import NEWEST, OLDEST, Term, Version, lookup_key
from ..search import EmptyQueryError
from . import params
from .blueprint import web
from .comparison import DETAILED, compare, timeline
from ..app import get_catalog as catalog
from ..app import remembered
from ..ietf import document_page
from .helpers import MAX_SHOWN_CHARS
from .links import api_url, path_segment, section_links
from .present import group_by_kind, neighbours

RESULTS_PER_PAGE = 20
VIEWS = ("side", "inline")


# --- pages -------------------------------------------------------------------------


@web.get("/")
@remembered
def home():
    lineage = catalog().lineage()
    rows, recent = [], None
    for index, version in enumerate(lineage):
        previous = lineage[index - 1].name if index else None
        step = catalog().diff(previous, version.name) if previous else None
        rows.append({"version": version, "previous": previous, "summary": step.summary if step else None,
                     "missing": step.missing_revisions if step else []})
    if len(lineage) >= 2:
        old, new = lineage[-2], lineage[-1]
        recent = compare(catalog().diff(old.name, new.name), old, new)
    newest = lineage[-1] if lineage else None
    return render_template(
        "home.html", rows=rows, recent=recent, newest=newest, oldest=lineage[0] if lineage else None,
        groups=group_by_kind(newest.terms) if newest else [], json_url=api_url("/versions"),
    )


@web.get("/versions")
def versions():
    """The version menu of a version page submits here (a GET form cannot fill in a path)."""
    chosen = params.optional("version")
    if chosen:
        return redirect(url_for("web.version", version=chosen))
    return redirect(url_for("web.home", _anchor="lineage"))


@web.get("/versions/<path:version>")
@remembered
def version(version: str):
    found = catalog().version(version)
    names = [entry["name"] for entry in catalog().entries()]
    before, after = neighbours(names, found.name)
    return render_template(
        "version.html", version=found, groups=group_by_kind(found.terms), before=before, after=after,
        entries=catalog().entries(), document_url=document_page(found),
        json_url=api_url(f"/versions/{path_segment(found.name)}/terms"),
        exports=[(fmt.label, api_url(f"/versions/{path_segment(found.name)}/export", format=name))
                 for name, fmt in EXPORTERS.items()],
    )


@web.get("/terms")
def terms():
    return redirect(url_for("web.version", version=NEWEST))


@web.get("/terms/<path:term>")
@remembered
def term(term: str):
    requested = params.optional("version")
    found, shown_in, history = _term_and_history(term, requested)
    lineage = catalog().lineage()
    names = [v.name for v in lineage]
    dates = {v.name: v.date for v in lineage}
    before, after = neighbours(history.present_in, shown_in.name)
    return render_template(
        "term.html", term=found, version=shown_in, history=history, requested=requested,
        asked_for_another_name=lookup_key(term) not in {lookup_key(name) for name in found.names()}, asked=term,
        lookup_warning=contradicted_alias(shown_in, found, term),
        timeline=timeline(history, dates, names), dates=dates, before=before, after=after,
        compare_pair=_compare_pair(history, shown_in.name), citation=shown_in.cite(found),
        section_links=section_links(shown_in, found, lineage),
        snippets=_snippets(found, shown_in, requested),
        json_url=api_url(f"/terms/{path_segment(found.id)}", version=requested),
        history_json_url=api_url(f"/terms/{path_segment(found.id)}/history"),
        term_feed_url=url_for("web.term_feed", term=found.id),
    )


def _snippets(found: Term, shown_in: Version, requested: str | None) -> list[tuple]:
    """The term cited from the version asked for; by default from the newest numbered revision that has it.

    None for a definition longer than a page shows: a snippet cut short would cite wrongly.
    """
    if len(found.definition) > MAX_SHOWN_CHARS:
        return []
    cited_term, cited = found, shown_in
    if requested is None:
        try:
            cited_term, cited = catalog().term(found.id, citable_version(catalog()).name)
        except NotFound:
            pass
    return [(renderer.label, embed(cited_term, cited, fmt),
             api_url(f"/terms/{path_segment(found.id)}/embed", format=fmt, version=cited.name))
            for fmt, renderer in RENDERERS.items()]


def _term_and_history(name: str, requested: str | None) -> tuple[Term, Version, TermHistory]:
    """The term in the version asked for; by default the newest, or its last appearance if it is gone."""
    try:
        found, shown_in = catalog().term(name, requested)
    except NotInVersion as error:
        if requested is not None:
            raise
        found, shown_in = catalog().term(error.term_id, error.present_in[-1])
    return found, shown_in, catalog().history(found.id)


def _compare_pair(history: TermHistory, shown: str) -> tuple[str, str] | None:
    """The widest comparison worth offering from this page: first appearance to the version shown."""
    first, last = history.present_in[0], history.present_in[-1]
    if first != shown:
        return first, shown
    if last != shown:
        return shown, last
    return None


@web.get("/diff")
@remembered
def diff():
    old = catalog().version(params.optional("from") or OLDEST)
    new = catalog().version(params.optional("to") or NEWEST)
    kind = params.kind()
    status = params.choice("status", STATUSES)
    view = params.choice("view", VIEWS, default="side")
    term_name = params.optional("term")
    term_id = term_id_in(term_name, new, old) if term_name else None
    comparison = compare(catalog().diff(old.name, new.name), old, new, kind, status, term_id)
    if term_id:
        json_url = api_url(f"/terms/{path_segment(term_id)}/diff", from_=old.name, to=new.name)
    else:
        json_url = api_url("/diff", from_=old.name, to=new.name, kind=kind, status=status)
    return render_template(
        "diff.html", comparison=comparison, old=old, new=new, kind=kind, status=status, view=view,
        term_id=term_id, term_name=term_name, statuses=STATUSES, detailed=DETAILED,
        kinds=catalog().kinds(), entries=catalog().entries(), json_url=json_url,
    )


@web.get("/search")
@remembered
def search():
    query = request.args.get("q", "")
    version = params.optional("version")
    kind = params.kind()
    page = params.page_number()
    result = None
    if query.strip():
        try:
            result = catalog().search(query, version=version, kind=kind, limit=RESULTS_PER_PAGE,
                                      offset=(page - 1) * RESULTS_PER_PAGE)
        except EmptyQueryError:
            result = None
    return render_template(
        "search.html", query=query, result=result, version=version, kind=kind, page=page,
        per_page=RESULTS_PER_PAGE, kinds=catalog().kinds(), entries=catalog().entries(),
        json_url=api_url("/search", q=query.strip() or None, version=version, kind=kind,
                         offset=str((page - 1) * RESULTS_PER_PAGE) if page > 1 else None),
    )
