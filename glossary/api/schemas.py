"""The API's request and response shapes, as marshmallow schemas.

These schemas serialise every response and validate every query string, and
the OpenAPI document is generated from them, so the published description and
the actual answers cannot drift apart.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ..authoring.embed import FORMATS
from ..authoring.export import EXPORTERS
from ..authoring.lint import STATUSES as LINT_STATUSES
from ..authoring.terminology import SECTION_FORMATS
from ..diff import STATUSES
from ..model import DEFINED_IN, NOTE_KINDS

HISTORY_EVENTS = ("added", "changed", "editorial", "renamed", "removed", "re-added")


class _Out(Schema):
    class Meta:
        ordered = True


# --- terms and versions ----------------------------------------------------

class SectionSchema(_Out):
    number = fields.Str(allow_none=True, metadata={"description": 'Section number as cited ("3.1", "A"); null if unnumbered'})
    title = fields.Str(required=True)
    anchor = fields.Str(allow_none=True, metadata={"description": "The section's anchor in the source XML"})


class NoteSchema(_Out):
    text = fields.Str(required=True, metadata={"description": "Plain text as the text rendering says it"})
    kind = fields.Str(required=True, validate=validate.OneOf(NOTE_KINDS))
    section = fields.Nested(SectionSchema, required=True, metadata={"description": "Where the text stands"})


class TermSchema(_Out):
    id = fields.Str(required=True, metadata={"description": "Identity of the term across versions", "example": "class-1"})
    term = fields.Str(required=True, metadata={"example": "Class 1"})
    aliases = fields.List(fields.Str(), required=True, metadata={"example": ["C1"]})
    kind = fields.Str(required=True, metadata={"example": "device-class"})
    definition = fields.Str(required=True, metadata={"description": "Plain text as the text rendering says it"})
    attributes = fields.Dict(keys=fields.Str(), values=fields.Str(), required=True,
                             metadata={"description": "Table columns, in document order"})
    section = fields.Nested(SectionSchema, required=True)
    defined_in = fields.Str(required=True, validate=validate.OneOf(DEFINED_IN))
    source_fragment = fields.Str(allow_none=True, metadata={
        "description": "The RFCXML of the definition; only with include=source"})
    notes = fields.List(fields.Nested(NoteSchema), required=True,
                        metadata={"description": "What the document says about the term beyond its definition"})
    related = fields.List(fields.Str(), required=True,
                          metadata={"description": "Ids of the terms this one names an alternative of"})


class TermRecordSchema(TermSchema):
    version = fields.Str(required=True, metadata={"description": "The version this record is from"})
    citation = fields.Str(required=True, metadata={"example": "Section 3 of draft-ietf-iotops-7228bis-07"})
    lookup_warnings = fields.List(fields.Str(), required=True, metadata={
        "description": "What the document itself contradicts about the name looked up (an alias with another number)",
        "example": []})


class VersionSummarySchema(_Out):
    name = fields.Str(required=True, metadata={"example": "draft-ietf-iotops-7228bis-07"})
    document = fields.Str(required=True)
    revision = fields.Str(allow_none=True)
    date = fields.Str(allow_none=True, metadata={"example": "2026-04-23"})
    title = fields.Str(required=True)
    terms = fields.Int(required=True, metadata={"description": "Number of terms"})
    sha256 = fields.Str(required=True, metadata={"description": "SHA-256 of the imported source"})


class VersionListSchema(_Out):
    versions = fields.List(fields.Nested(VersionSummarySchema), required=True,
                           metadata={"description": "In lineage order: RFC 7228 first, then the drafts by date, "
                                                    "each editor's copy after the numbered revision it follows"})


class SourceSchema(_Out):
    uri = fields.Str(required=True, metadata={
        "description": "The public URL of the document read (the IETF archive's copy of that revision)",
        "example": "https://www.ietf.org/archive/id/draft-ietf-iotops-7228bis-07.xml"})
    format = fields.Str(required=True)
    sha256 = fields.Str(required=True)
    commit = fields.Str(metadata={"description": "The source commit in the authors' repository, where recorded"})


class VersionDetailSchema(VersionSummarySchema):
    source = fields.Nested(SourceSchema, required=True)
    kinds = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True,
                        metadata={"description": "Number of terms of each kind"})
    warnings = fields.List(fields.Str(), required=True,
                           metadata={"description": "What the import noticed: duplicate names, nameless rows"})


class TermListSchema(_Out):
    version = fields.Str(required=True)
    kind = fields.Str(allow_none=True)
    count = fields.Int(required=True)
    terms = fields.List(fields.Nested(TermSchema), required=True)


# --- diffs and history -----------------------------------------------------

WordOps = fields.List(
    fields.List(fields.Str()),
    metadata={
        "description": 'Word-level operations: ["equal"|"delete"|"insert", text]; equal+delete '
                       "texts give the old definition, equal+insert the new one",
        "example": [["equal", "A node "], ["delete", "that"], ["insert", "which"]],
    },
)


class FromToTextSchema(_Out):
    from_ = fields.Str(data_key="from", attribute="from", allow_none=True)
    to = fields.Str(allow_none=True)


class FromToSectionSchema(_Out):
    from_ = fields.Nested(SectionSchema, data_key="from", attribute="from")
    to = fields.Nested(SectionSchema)


class AliasChangeSchema(_Out):
    added = fields.List(fields.Str())
    removed = fields.List(fields.Str())


class AttributeChangeSchema(FromToTextSchema):
    ops = WordOps
    editorial = fields.Bool(metadata={"description": "Whether the value changed only in case, dashes, quotes "
                                                     "or white space"})


class NoteChangeSchema(_Out):
    status = fields.Str(required=True, validate=validate.OneOf(("added", "removed", "changed")))
    kind = fields.Str(required=True, validate=validate.OneOf(NOTE_KINDS))
    text = WordOps
    section = fields.Nested(SectionSchema, required=True, metadata={"description": "Where the note stands"})
    section_from = fields.Nested(SectionSchema, metadata={"description": "Where it stood, when it moved"})
    editorial = fields.Bool(required=True)
    shared_with = fields.List(fields.Str(), metadata={
        "description": "In a diff of two versions: the other terms whose changes have this same note change "
                       "(a legend under a table belongs to every row); each keeps it, pages and the CLI show "
                       "it once"})


class DocumentDiffSchema(_Out):
    iddiff = fields.Str(metadata={"description": "The IETF author tools' diff of the two published documents"})
    source = fields.Str(metadata={"description": "The comparison of the two source commits in the authors' "
                                                 "repository"})


class TermChangesSchema(_Out):
    definition = WordOps
    attributes = fields.Dict(keys=fields.Str(), values=fields.Nested(AttributeChangeSchema),
                             metadata={"description": "Per column (its new heading): its old and new value "
                                                      "(null where absent or empty) and their word operations"})
    renamed_attributes = fields.Dict(keys=fields.Str(), values=fields.Str(),
                                     metadata={"description": "Old heading: new heading, for each column renamed"})
    notes = fields.List(fields.Nested(NoteChangeSchema),
                        metadata={"description": "Each note to entry added, removed or changed"})
    aliases = fields.Nested(AliasChangeSchema)
    section = fields.Nested(FromToSectionSchema)
    term = fields.Nested(FromToTextSchema)
    kind = fields.Nested(FromToTextSchema)


class TermDiffSchema(_Out):
    id = fields.Str(required=True)
    term = fields.Str(required=True)
    kind = fields.Str(required=True)
    status = fields.Str(required=True, validate=validate.OneOf(STATUSES))
    renamed_from = fields.Str(metadata={"description": "The id the term had in the older version"})
    changes = fields.Nested(TermChangesSchema)
    same_change_as = fields.List(fields.Str(), metadata={
        "description": "The other terms sharing this definition and this change (shown once)"})


MissingRevisions = fields.List(fields.Str(), metadata={
    "description": "Revisions between the two that the store does not hold: the change may be in any of them"})


class VersionDiffSchema(_Out):
    from_ = fields.Str(data_key="from", attribute="from", required=True)
    to = fields.Str(required=True)
    summary = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True,
                          metadata={"description": "Number of terms per status; editorial changes apart"})
    document_diff = fields.Nested(DocumentDiffSchema, required=True)
    missing_revisions = MissingRevisions
    terms = fields.List(fields.Nested(TermDiffSchema), required=True)


class TermVersionDiffSchema(TermDiffSchema):
    from_ = fields.Str(data_key="from", attribute="from", required=True)
    to = fields.Str(required=True)
    old = fields.Nested(TermSchema, allow_none=True, metadata={"description": "The term in the older version"})
    new = fields.Nested(TermSchema, allow_none=True, metadata={"description": "The term in the newer version"})
    document_diff = fields.Nested(DocumentDiffSchema, required=True)
    missing_revisions = MissingRevisions


class HistoryEventSchema(_Out):
    version = fields.Str(required=True)
    event = fields.Str(required=True, validate=validate.OneOf(HISTORY_EVENTS))
    id = fields.Str(required=True)
    term = fields.Str(required=True)
    renamed_from = fields.Str()
    changes = fields.Nested(TermChangesSchema)
    compared_with = fields.Str(metadata={"description": "The version the change is measured against"})
    document_diff = fields.Nested(DocumentDiffSchema)
    missing_revisions = MissingRevisions


class TermHistorySchema(_Out):
    query = fields.Str(required=True)
    id = fields.Str(required=True, metadata={"description": "The id the term has in its latest appearance"})
    term = fields.Str(required=True)
    present_in = fields.List(fields.Str(), required=True)
    defined_twice = fields.Dict(keys=fields.Str(), values=fields.List(fields.Str()), metadata={
        "description": "Per version: the other terms it defines under the same name"})
    events = fields.List(fields.Nested(HistoryEventSchema), required=True)


# --- search ----------------------------------------------------------------

class FragmentSchema(_Out):
    text = fields.Str(required=True)
    is_match = fields.Bool(required=True)


class SearchHitSchema(_Out):
    id = fields.Str(required=True)
    term = fields.Str(required=True)
    aliases = fields.List(fields.Str(), required=True)
    kind = fields.Str(required=True)
    version = fields.Str(required=True, metadata={"description": "The version whose text the hit shows"})
    versions = fields.List(fields.Str(), required=True, metadata={"description": "Every version the term matches in"})
    section = fields.Nested(SectionSchema, required=True)
    score = fields.Float(required=True)
    snippet = fields.Str(required=True, metadata={"description": "Definition excerpt, matches in « »; the note's "
                                                                  "when only a note to entry matched"})
    snippet_from = fields.Str(required=True, validate=validate.OneOf(("definition", "note")),
                              metadata={"description": "Where the snippet comes from"})
    fragments = fields.List(fields.Nested(FragmentSchema), required=True)


class SearchResultSchema(_Out):
    query = fields.Str(required=True)
    version = fields.Str(allow_none=True)
    kind = fields.Str(allow_none=True)
    limit = fields.Int(required=True)
    offset = fields.Int(required=True)
    total = fields.Int(required=True)
    hits = fields.List(fields.Nested(SearchHitSchema), required=True)
    suggestion = fields.Str(allow_none=True, metadata={"description": '"Did you mean", when nothing matched'})


class ProblemSchema(_Out):
    type = fields.Str(required=True)
    title = fields.Str(required=True)
    status = fields.Int(required=True)
    detail = fields.Str(required=True)
    instance = fields.Str()
    parameter = fields.Str(metadata={"description": "The query parameter that was wrong (400)"})
    close_matches = fields.List(fields.Str(), metadata={"description": "Known names close to the unknown one (404)"})
    allowed = fields.List(fields.Str(), metadata={"description": "The values the parameter may take (400)"})
    present_in = fields.List(fields.Str(), metadata={
        "description": "The versions that define a term missing from the one asked for (404)"})


# --- query strings ---------------------------------------------------------

_VERSION_HELP = ('A version name, "latest" (default: the newest of any kind), "newest-revision" (the newest numbered) '
                 'or "oldest"')
_CITED_VERSION_HELP = 'A version name, "latest", "newest-revision" or "oldest"; default: the newest numbered revision'


# What ?include= adds to the terms of an answer.
INCLUDABLE = ("source",)


class QuerySchema(Schema):
    """Base of query-string schemas: parameters it does not know are ignored."""

    class Meta:
        unknown = EXCLUDE


class IncludeQuery(QuerySchema):
    include = fields.Str(validate=validate.OneOf(INCLUDABLE), metadata={
        "description": "source: add each term's source_fragment (the RFCXML of its definition)"})


class VersionQuery(IncludeQuery):
    version = fields.Str(metadata={"description": _VERSION_HELP, "example": "draft-bormann-lwig-7228bis-00"})


class KindQuery(IncludeQuery):
    kind = fields.Str(metadata={"description": "Only terms of this kind, e.g. device-class", "example": "device-class"})


class TermDiffQuery(IncludeQuery):
    from_ = fields.Str(data_key="from",
                       metadata={"description": 'Older version (default "oldest")', "example": "oldest"})
    to = fields.Str(metadata={"description": 'Newer version (default "latest")', "example": "latest"})


class DiffQuery(TermDiffQuery):
    kind = fields.Str(metadata={"description": "Only terms of this kind (case insensitive)", "example": "device-class"})
    status = fields.Str(validate=validate.OneOf(STATUSES), metadata={"description": "Only terms of this status"})


class SearchQuery(QuerySchema):
    q = fields.Str(
        required=True,
        # At least one character that is not whitespace: a blank query is a 400, and the document says so.
        validate=[validate.Length(min=1, max=1000),
                  validate.Regexp(r"[\s\S]*\S", error="the query is empty: give at least one word")],
        metadata={"description": 'The query: words, "a phrase", AND/OR/NOT, parentheses',
                  "example": "constrained node"},
    )
    version = fields.Str(metadata={"description": _VERSION_HELP + ', or "all"', "example": "all"})
    kind = fields.Str(metadata={"description": "Only terms of this kind (case insensitive)"})
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=100),
                       metadata={"description": "At most this many hits (default 20)"})
    offset = fields.Int(load_default=0, validate=validate.Range(min=0, max=100000),
                        metadata={"description": "Skip this many hits first, to page through them"})


# --- the usage lint ----------------------------------------------------------

class CitationSchema(_Out):
    text = fields.Str(required=True)
    line = fields.Int(required=True)
    document = fields.Str(required=True, metadata={"description": '"rfc7228" or the draft name without revision'})
    revision = fields.Str(allow_none=True)
    via = fields.Str(allow_none=True, metadata={"description": "The draft's own anchor for the reference, if cited by it"})
    section = fields.Str(allow_none=True, metadata={"description": 'The section cited ("4.3"), if any'})


class MissingRevisionSchema(_Out):
    name = fields.Str(required=True)
    closest = fields.List(fields.Str(), required=True)


class SuccessorSchema(_Out):
    id = fields.Str(required=True)
    term = fields.Str(required=True)
    how = fields.Str(required=True, metadata={"description": "renamed, or its values moved, and where"})


class SectionCitationSchema(_Out):
    line = fields.Int(required=True)
    cited = fields.Str(required=True, metadata={"description": "The section number the draft cites"})
    now = fields.Str(allow_none=True, metadata={"description": "The section that holds the term now"})
    citation = fields.Str(required=True)


class RenamedToSchema(_Out):
    id = fields.Str(required=True)
    term = fields.Str(required=True)


class TermUseSchema(_Out):
    id = fields.Str(required=True)
    term = fields.Str(required=True)
    kind = fields.Str(required=True)
    status = fields.Str(required=True, validate=validate.OneOf(LINT_STATUSES))
    lines = fields.List(fields.Int(), required=True, metadata={"description": "Where the draft uses it"})
    forms = fields.List(fields.Str(), required=True, metadata={"description": "The spellings used"})
    cited_section = fields.Str(allow_none=True)
    current_section = fields.Str(allow_none=True)
    renamed_to = fields.Nested(RenamedToSchema)
    changes = fields.Nested(TermChangesSchema)
    defined_in = fields.List(fields.Str(), metadata={"description": "For absent terms: the versions that define it"})
    successor = fields.Nested(SuccessorSchema, metadata={
        "description": "For removed terms: what took its place, as the history shows it"})
    section_citations = fields.List(fields.Nested(SectionCitationSchema), metadata={
        "description": "Sections cited on the lines of its uses that do not hold it"})
    cited_version = fields.Str(metadata={
        "description": "When not the report's: the version meant by the citation nearest to these uses "
                       "(a draft citing RFC 7228 and the bis)"})


class PossibleUseSchema(_Out):
    id = fields.Str(required=True)
    term = fields.Str(required=True)
    line = fields.Int(required=True)
    form = fields.Str(required=True)


class LintReportSchema(_Out):
    source = fields.Str(required=True)
    format = fields.Str(required=True)
    citations = fields.List(fields.Nested(CitationSchema), required=True)
    cited_version = fields.Str(required=True)
    note = fields.Str(allow_none=True, metadata={"description": "How the citation was mapped, when not exactly"})
    pinned_by = fields.Nested(CitationSchema, allow_none=True,
                              metadata={"description": "The citation that named the revision (its line), if any"})
    missing_revision = fields.Nested(MissingRevisionSchema, allow_none=True, metadata={
        "description": "The revision cited when the store lacks it, with the closest stored ones"})
    against = fields.Str(required=True)
    summary = fields.Dict(keys=fields.Str(), values=fields.Int(), required=True)
    failed = fields.Bool(required=True, metadata={"description": "A used term was removed"})
    terms = fields.List(fields.Nested(TermUseSchema), required=True)
    possible_uses = fields.List(fields.Nested(PossibleUseSchema), required=True, metadata={
        "description": "Short class names outside a class-like phrase or citation, and adjective-like names "
                       "used as ordinary words: perhaps the term, perhaps not"})


# --- authoring: snippets, Terminology sections, exports ---------------------


class EmbedQuery(QuerySchema):
    format = fields.Str(load_default="xml", validate=validate.OneOf(FORMATS),
                        metadata={"description": "Snippet format (default xml)", "example": "kramdown"})
    version = fields.Str(metadata={"description": _CITED_VERSION_HELP})


class TerminologyQuery(QuerySchema):
    terms = fields.Str(required=True, validate=validate.Regexp(r".*[^,\s]", error="name at least one term"),
                       metadata={"description": "Comma-separated ids, terms or aliases", "example": "c1,normally-off"})
    format = fields.Str(load_default="xml", validate=validate.OneOf(SECTION_FORMATS),
                        metadata={"description": "Section format (default xml)"})
    version = fields.Str(metadata={"description": _CITED_VERSION_HELP})
    pointers = fields.Bool(load_default=False,
                           metadata={"description": "Point to each term's section instead of quoting it"})


class ExportQuery(QuerySchema):
    format = fields.Str(required=True, validate=validate.OneOf(list(EXPORTERS)),
                        metadata={"description": "Export format", "example": "csv"})


class LintQuery(QuerySchema):
    against = fields.Str(metadata={"description": 'The version to compare with (default "latest")'})
    ignore = fields.Str(metadata={"description": "Comma-separated names of terms not to report"})


class SnippetSchema(Schema):
    class Meta:
        ordered = True

    format = fields.Str(required=True)
    version = fields.Str(required=True, metadata={"description": "The version cited"})
    snippet = fields.Str(required=True, metadata={"description": "Ready to paste"})
    reference = fields.Str(allow_none=True, metadata={
        "description": "xml: the <reference> for the references section; kramdown: the entry for "
                       "the informative: block of the front matter; text: the references entry; otherwise null"})
    front_matter = fields.Str(allow_none=True, metadata={
        "description": 'kramdown: a setting the front matter needs besides ("stand_alone: true" for a pinned '
                       "revision under the draft's anchor); otherwise null"})


class EmbedSchema(SnippetSchema):
    term = fields.Str(required=True, metadata={"description": "The term's id"})


class TerminologySchema(SnippetSchema):
    terms = fields.List(fields.Str(), required=True, metadata={"description": "The ids, in order, each once"})
