"""Editor's copies are versions of their own: each new one is kept beside the ones reviewers compared against."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from glossary.errors import StoreError
from glossary.model import editors_copy_revision, missing_revisions
from glossary.store import Store
from support import EDITORS_COPY_WITHOUT_COMMIT, FIXTURES, NEWEST, SEVEN, copy_of_embedded_store, make_version
from support import glossary_cli as glossary

UNSEEN = FIXTURES / "unseen"
# Renders of later editor's copies (each calls itself draft-ietf-iotops-7228bis-latest), named by their dates.
POST_09 = UNSEEN / "draft-ietf-iotops-7228bis-post-09-2026-07-06.txt"
POST_08_NITS = UNSEEN / "draft-ietf-iotops-7228bis-collecting-post08-nits-2026-06-19.txt"
EDITORS_COPY_OF_JULY = "draft-ietf-iotops-7228bis-editors-2026-07-06"
EDITORS_COPY_OF_MID_JUNE = "draft-ietf-iotops-7228bis-editors-2026-06-19"


def names_in(store: Path) -> list[str]:
    return [entry["name"] for entry in Store(store).versions()]


@pytest.fixture
def store_of_two_copies(tmp_path, revision_file) -> Path:
    """-07, then two editor's copies of different dates, imported newest first."""
    store = tmp_path / "store"
    result = glossary(store, "import", revision_file(SEVEN), POST_09, revision_file(NEWEST))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [f"imported {EDITORS_COPY_OF_JULY} (87 terms)",
                                              f"imported {EDITORS_COPY_WITHOUT_COMMIT} (87 terms)"]
    return store


@pytest.mark.corpus
def test_two_editors_copies_are_two_versions_in_date_order_after_the_revision(store_of_two_copies):
    assert names_in(store_of_two_copies) == [SEVEN, EDITORS_COPY_WITHOUT_COMMIT, EDITORS_COPY_OF_JULY]
    listed = json.loads(glossary(store_of_two_copies, "versions", "--json").stdout)
    assert [(v["date"], v["revision"]) for v in listed] == [
        ("2026-04-23", "07"), ("2026-06-30", "editors-2026-06-30"), ("2026-07-06", "editors-2026-07-06")]


@pytest.mark.corpus
def test_an_editors_copy_dated_between_others_takes_its_place(store_of_two_copies):
    result = glossary(store_of_two_copies, "import", POST_08_NITS)
    assert result.exit_code == 0, result.output
    assert names_in(store_of_two_copies) == [SEVEN, EDITORS_COPY_OF_MID_JUNE, EDITORS_COPY_WITHOUT_COMMIT,
                                             EDITORS_COPY_OF_JULY]


@pytest.mark.corpus
def test_latest_is_the_newest_of_any_kind_and_newest_revision_the_newest_numbered(store_of_two_copies):
    def shown_in(version: str) -> str:
        result = glossary(store_of_two_copies, "show", "Class 2", "--version", version)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[3]

    assert shown_in("latest").endswith(f", {EDITORS_COPY_OF_JULY}")
    assert shown_in("newest-revision").endswith(f", {SEVEN}")
    assert Store(store_of_two_copies).load("newest-revision").name == SEVEN


@pytest.mark.corpus
def test_the_same_editors_copy_imported_again_is_unchanged(store_of_two_copies):
    again = glossary(store_of_two_copies, "import", POST_09)
    assert again.exit_code == 0, again.output
    assert again.stdout == f"unchanged {EDITORS_COPY_OF_JULY}\n"
    assert names_in(store_of_two_copies) == [SEVEN, EDITORS_COPY_WITHOUT_COMMIT, EDITORS_COPY_OF_JULY]


def test_the_committed_store_names_its_editors_copy_by_date_and_commit(tmp_path):
    store = copy_of_embedded_store(tmp_path / "terms")
    stored = store.load(NEWEST)
    assert (stored.revision, stored.date, stored.source.commit) == ("editors-2026-06-30-40fe265", "2026-06-30",
                                                                     "40fe265")
    result = glossary(store.directory, "import", POST_09)
    assert result.exit_code == 0, result.output
    assert names_in(store.directory)[-3:] == [SEVEN, NEWEST, EDITORS_COPY_OF_JULY]
    assert store.load(NEWEST).source.sha256 == stored.source.sha256  # the one reviewers compared against stays


def test_a_stored_version_named_newest_revision_is_refused(tmp_path):
    version = make_version("newest-revision", date="2026-01-01")
    with pytest.raises(StoreError, match="'newest-revision' cannot be a version name in the store: reserved"):
        Store(tmp_path / "store").save(version)
    assert not (tmp_path / "store" / "newest-revision.json").exists()


def test_an_editors_copy_needs_a_date_to_be_named_by():
    assert editors_copy_revision("2026-06-30", "40FE265") == "editors-2026-06-30-40fe265"
    assert editors_copy_revision("2026-06-30", None) == "editors-2026-06-30"
    with pytest.raises(ValueError, match="needs an ISO date"):
        editors_copy_revision(None)


def test_a_revision_after_an_editors_copy_counts_its_gap_from_the_revision_before():
    def version(document, revision):
        return SimpleNamespace(document=document, revision=revision)

    span = [version("draft-a-x", "03"), version("draft-a-x", "editors-2026-03-13"), version("draft-a-x", "07")]
    assert missing_revisions(span) == ["draft-a-x-04", "draft-a-x-05", "draft-a-x-06"]
    assert missing_revisions([version("draft-a-x", "07"), version("draft-a-x", "editors-2026-06-30")]) == []


def test_every_face_accepts_newest_revision(client):
    assert client.get("/api/v1/versions/newest-revision").get_json()["name"] == SEVEN
    assert client.get("/api/v1/terms/c2?version=newest-revision").get_json()["version"] == SEVEN
    assert client.get("/api/v1/versions/latest").get_json()["name"] == NEWEST
    page = client.get("/versions/newest-revision")
    assert page.status_code == 200 and SEVEN in page.get_data(as_text=True)
