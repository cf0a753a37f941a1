"""The versioned store: a directory of immutable versions, one canonical JSON file each.

Layout::

    <store>/<version name>.json   json of Version.to_dict(): fields in the model's order, indent 2, trailing newline
    <store>/index.json            {"versions": [...]}: one summary per version, in lineage order
    <store>/.lock                 flock'ed by writers so that concurrent imports serialise
    <store>/.index/               derived from the above, kept in step by every import, rebuilt
                                  when missing or stale (never committed; deleting it is safe):
        lineage.json              per term, the versions where it changed (glossary.lineage)
        search/                   the search index: one document per distinct term content,
                                  a segment added per import (glossary.search.update_store_index)

index.json is what makes a version visible: it is rewritten after the version
file, both atomically (temporary file, fsync, rename), and a failure between
the two puts the version file back, so a failed import leaves the store as it
was. Imports in a ``with store.batch():`` block share one lock, one
rewrite of index.json and one update of the derived indexes. The embedded store is ``data/terms/`` at the repository root; a wheel
carries a copy as ``glossary/data/terms/`` (see setup.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson

from .errors import NotFound, StoreError
from .limits import MAX_RFC_NUMBER, MAX_VERSION_NAME_CHARS, quote
from .lineage import FILE_NAME as LINEAGE_FILE, Lineage, identity
from .lookup import close_matches, resolve_version
from .model import (ALL_VERSIONS, MOVING_VERSION_NAMES, NEWEST, NEWEST_REVISION, VERSION_ALIASES, Version,
                    is_editors_copy, lookup_key, newest_revision, rfc_number)

INDEX_FILE = "index.json"
LOCK_FILE = ".lock"
DERIVED_DIR = ".index"
SEARCH_DIR = "search"
STORE_ENV = "GLOSSARY_STORE"

# The bis drafts changed name as the work moved between working groups; at
# equal dates the later document comes later.
DOCUMENT_LINEAGE = ("draft-bormann-lwig-7228bis", "draft-ietf-lwig-7228bis", "draft-ietf-iotops-7228bis")
# Names that mean something else wherever a version is named ("all": every version, in search), as lookup keys.
RESERVED_VERSION_NAMES = {lookup_key(name) for name in MOVING_VERSION_NAMES}

_NUMBERED_RFC_NAME = re.compile(r"rfc-?\d+", re.IGNORECASE)  # what names an RFC, well or not
_VERSION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_TEMPORARY_FILE = ".*.tmp"  # _write_atomically's, left behind when a writer was killed


class Store:
    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self._batch: _Batch | None = None

    def __repr__(self) -> str:
        return f"Store({str(self.directory)!r})"

    # Reading

    def versions(self) -> list[dict]:
        """The index entries (name, document, revision, date, title, terms, sha256), oldest first."""
        if self._batch is not None:
            return list(self._batch.entries)
        return self._read_index(self._read_index_bytes())

    def resolve(self, name: str) -> str:
        """The stored version name meant by ``name``: a version name, "latest"/"newest", "newest-revision" or
        "oldest"."""
        return resolve_version_name(name, [entry["name"] for entry in self.versions()], self.directory)

    def load(self, name: str = NEWEST) -> Version:
        return self.load_stored(self.resolve(name))

    def load_stored(self, name: str) -> Version:
        """The version of this exact stored name, without reading the index to resolve it."""
        path = self._version_path(name)
        try:
            return Version.from_dict(orjson.loads(path.read_bytes()))
        except FileNotFoundError:
            raise StoreError(f"{self.directory / INDEX_FILE} lists {name} but {path.name} is missing") from None
        except (OSError, ValueError, KeyError) as error:
            raise StoreError(f"cannot read {path}: {error}") from error

    def load_versions(self) -> list[Version]:
        """Every stored version, oldest first."""
        return [self.load(entry["name"]) for entry in self.versions()]

    def lineage(self, entries: list[dict] | None = None) -> Lineage:
        """The lineage index of the versions of ``entries`` (default: the stored ones).

        Read from .index/lineage.json; an import may be writing it, so a stale
        one is read again under the writers' lock, and rebuilt (the repair
        path) if it still is.
        """
        entries = self.versions() if entries is None else entries
        found = self._read_lineage()
        if found is not None and found.matches(entries):
            return found
        try:
            with self._locked():
                entries = self.versions()
                found = self._read_lineage()
                if found is None or not found.matches(entries):
                    found = self._update_lineage(found, entries)
                return found
        except OSError:  # a store this process cannot write: derive it in memory
            return Lineage.build([self.load(entry["name"]) for entry in entries], [identity(e) for e in entries])

    def content_hash(self) -> str:
        """sha256 over index.json and every version it lists: changes whenever the store does."""
        digest = hashlib.sha256()
        index_bytes = self._read_index_bytes()
        if index_bytes is None:
            return digest.hexdigest()
        files = [(INDEX_FILE, index_bytes)]
        for entry in self._read_index(index_bytes):
            path = self._version_path(entry["name"])
            try:
                files.append((path.name, path.read_bytes()))
            except OSError as error:
                raise StoreError(f"cannot read {path}: {error}") from error
        for file_name, data in files:
            digest.update(f"{file_name}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()

    # Writing

    @contextlib.contextmanager
    def batch(self):
        """Saves inside the block share the lock, one rewrite of index.json and one derived-index update.

        A save that fails inside the block changes nothing; if writing the
        index fails at the end, every version saved in the block is taken back.
        """
        if self._batch is not None:
            yield self
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self._locked():
                self._remove_stale_temporary_files()
                self._batch = _Batch(self._read_index(self._read_index_bytes()))
                try:
                    yield self
                    self._commit(self._batch)
                except BaseException:
                    self._batch.take_back()
                    raise
                finally:
                    self._batch = None
        except OSError as error:
            raise StoreError(f"cannot write to the store {self.directory}: {error}") from error

    def save(self, version: Version, replace: bool = False) -> str:
        """Store ``version``: "imported", "replaced", or "unchanged" when it is already there as it is.

        A version is immutable: different content under a stored name raises
        StoreError unless ``replace``.
        """
        check_version_name(version.name)
        version_bytes = canonical_json(version.to_dict())
        with self.batch():
            batch = self._batch
            path = self._version_path(version.name)
            try:
                stored_bytes = _read_if_exists(path)
            except OSError as error:
                raise StoreError(f"cannot read {path}: {error}") from error
            was_indexed = batch.indexes(version.name)
            if stored_bytes is not None and was_indexed:
                if _same_content(stored_bytes, version_bytes):
                    return "unchanged"
                if not replace:
                    raise StoreError(
                        f"version {version.name} is already stored with different content; "
                        "stored versions are immutable (replace it explicitly with --replace)"
                    )
            try:
                batch.write(path, version_bytes)
            except OSError as error:
                raise StoreError(f"cannot write to the store {self.directory}: {error}") from error
            batch.index(index_entry(version, version_bytes))
            batch.saved[version.name] = version
            return "replaced" if was_indexed else "imported"

    def _commit(self, batch: "_Batch") -> None:
        """Make the batch's versions visible: index.json, then the derived indexes."""
        if not batch.saved:
            return
        batch.sync()
        _replace_files({self.directory / INDEX_FILE: canonical_json({"versions": batch.entries})})
        batch.committed = True
        try:
            lineage = self._read_lineage()
            previous = ([list(v) for v in lineage.versions], set(lineage.records)) if lineage is not None else None
            lineage = self._update_lineage(lineage, batch.entries, batch.saved)
            from .search import update_store_index  # whoosh, only when writing

            update_store_index(self.derived_directory / SEARCH_DIR, lineage, previous=previous)
        except Exception:
            # Derived, so never worth failing an import for: it is rebuilt when next read.
            with contextlib.suppress(OSError):
                (self.derived_directory / LINEAGE_FILE).unlink()

    @property
    def derived_directory(self) -> Path:
        """Where the indexes derived from the store live."""
        return self.directory / DERIVED_DIR

    @contextlib.contextmanager
    def locked(self):
        """The writers' lock: no import changes the store (or its derived indexes) meanwhile."""
        with self._locked():
            yield

    # Derived indexes (under the lock)

    def _read_lineage(self) -> Lineage | None:
        try:
            return Lineage.from_bytes((self.directory / DERIVED_DIR / LINEAGE_FILE).read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _update_lineage(self, lineage: Lineage | None, entries: list[dict],
                        new: dict[str, Version] | None = None) -> Lineage:
        """``lineage`` brought in step with ``entries``: appended to when they only add versions at the end."""
        new = new or {}

        def load(name: str) -> Version:
            return new[name] if name in new else self.load(name)

        known = len(lineage.versions) if lineage is not None else 0
        if lineage is not None and known and lineage.matches(entries[:known]):
            previous = load(entries[known - 1]["name"])
            for entry in entries[known:]:
                version = load(entry["name"])
                lineage.append(version, previous, identity(entry))
                previous = version
        else:
            lineage = Lineage.build([load(entry["name"]) for entry in entries], [identity(e) for e in entries])
        (self.directory / DERIVED_DIR).mkdir(exist_ok=True)
        _write_atomically(self.directory / DERIVED_DIR / LINEAGE_FILE, lineage.to_bytes(), durable=False)
        return lineage

    # Internals

    def _version_path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def _read_index_bytes(self) -> bytes | None:
        try:
            return _read_if_exists(self.directory / INDEX_FILE)
        except OSError as error:
            raise StoreError(f"cannot read {self.directory / INDEX_FILE}: {error}") from error

    def _read_index(self, index_bytes: bytes | None) -> list[dict]:
        if index_bytes is None:
            return []
        try:
            return orjson.loads(index_bytes)["versions"]
        except (ValueError, KeyError, TypeError) as error:
            raise StoreError(f"{self.directory / INDEX_FILE} is not a store index: {error}") from error

    def _remove_stale_temporary_files(self) -> None:
        """Only writers make temporary files, under the lock: any there now is a killed writer's."""
        for stale in [*self.directory.glob(_TEMPORARY_FILE), *self.derived_directory.glob(_TEMPORARY_FILE)]:
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()

    @contextlib.contextmanager
    def _locked(self):
        with open(self.directory / LOCK_FILE, "ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield  # closing the file releases the lock


def resolve_version_name(name: str, names: list[str], directory: Path) -> str:
    """The one of ``names`` (in lineage order) that ``name`` means, as Store.resolve explains."""
    if not names:
        raise StoreError(f"the store {directory} has no versions yet: import some first")
    if name.lower() in VERSION_ALIASES and name not in names:
        return names[VERSION_ALIASES[name.lower()]]
    if name.lower() == NEWEST_REVISION and name not in names:
        newest = newest_revision(names)
        if newest is None:
            raise NotFound("version", name, None, [names[-1]])
        return newest
    if len(name) > MAX_VERSION_NAME_CHARS:
        raise NotFound("version", name)
    resolved = resolve_version(name, names)
    if resolved is not None:
        return resolved
    raise NotFound("version", name, None, close_matches(name, names))


def canonical_json(data) -> bytes:
    """The one serialisation of store files, so that equal content means equal bytes.

    Keys keep the order the model's to_dict() gives them, which is fixed: sorting
    them would lose the column order of table attributes, which is the document's.
    The bytes are those of json.dumps(data, indent=2, ensure_ascii=False); orjson
    writes them an order of magnitude faster, which the import benchmark shows.
    """
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def index_entry(version: Version, version_bytes: bytes) -> dict:
    """``version_bytes``: what the store holds of it (see glossary.lineage.identity)."""
    return {
        "name": version.name,
        "document": version.document,
        "revision": version.revision,
        "date": version.date,
        "title": version.title,
        "terms": len(version.terms),
        "sha256": version.source.sha256,
        "content_sha256": hashlib.sha256(version_bytes).hexdigest(),
    }


def lineage_key(entry: dict) -> tuple:
    """Sort key: RFCs first, then drafts by date (document lineage breaks ties); an editor's copy after the
    numbered revision it follows, at an equal date too."""
    rfc = rfc_number(entry["name"])
    if rfc:
        return (0, int(rfc), "", 0, 0, "", entry["name"])
    document = entry.get("document")
    rank = DOCUMENT_LINEAGE.index(document) if document in DOCUMENT_LINEAGE else len(DOCUMENT_LINEAGE)
    editors_copy = 1 if is_editors_copy(entry.get("revision")) else 0
    return (1, 0, entry.get("date") or "", rank, editors_copy, entry.get("revision") or "", entry["name"])


def check_version_name(name: str) -> None:
    """A name a document may be stored under.

    Version names become file names: nothing that could escape the store or
    hide the index. Nor a name that means something else where versions are
    named (``latest``, ``newest-revision``, ``all``), an RFC number that no RFC has (``rfc0``,
    ``rfc-1``, ``rfc99999999``), or a name too long to be a draft's.
    """
    problem = None
    if len(name) > MAX_VERSION_NAME_CHARS:
        problem = f"longer than {MAX_VERSION_NAME_CHARS} characters"
    elif not _VERSION_NAME.fullmatch(name) or f"{name}.json" == INDEX_FILE:
        problem = "it could name a file outside the store, or the index"
    elif lookup_key(name) in RESERVED_VERSION_NAMES:
        problem = "reserved: it names " + ("every version" if lookup_key(name) == lookup_key(ALL_VERSIONS)
                                           else "another version")
    elif _NUMBERED_RFC_NAME.fullmatch(name) and not _is_rfc_number(name[3:]):
        problem = f"no RFC has that number (RFC numbers run from 1 to {MAX_RFC_NUMBER})"
    if problem:
        raise StoreError(f"{quote(name)} cannot be a version name in the store: {problem}")


def _is_rfc_number(text: str) -> bool:
    return text.isdigit() and not text.startswith("0") and int(text) <= MAX_RFC_NUMBER


def locate_store(directory: str | os.PathLike | None = None) -> Path:
    """The store to use: ``directory`` if given, else $GLOSSARY_STORE, else the embedded store."""
    if directory:
        return Path(directory)
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV])
    return embedded_store()


def embedded_store() -> Path:
    """data/terms/ of the checkout this code runs from, or the copy inside the installed package."""
    package = Path(__file__).resolve().parent
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "data" / "terms").is_dir():
        return checkout / "data" / "terms"
    return package / "data" / "terms"


def _same_content(stored_bytes: bytes, new_bytes: bytes) -> bool:
    """Equal but for source.uri: the same bytes re-read from another path or URL are the same version."""
    try:
        stored = json.loads(stored_bytes)
    except ValueError:
        return False
    new = json.loads(new_bytes)
    for version in (stored, new):
        version.get("source", {}).pop("uri", None)
    return stored == new


def _read_if_exists(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _replace_files(files: dict[Path, bytes]) -> None:
    """Write each file atomically, in order; if one fails, put back the ones already written."""
    previous = {path: _read_if_exists(path) for path in files}
    written: list[Path] = []
    try:
        for path, data in files.items():
            _write_atomically(path, data)
            written.append(path)
    except BaseException:
        for path in reversed(written):
            if previous[path] is None:
                path.unlink()
            else:
                _write_atomically(path, previous[path])
        raise


def _write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(file.fileno(), 0o644)
            file.write(data)
            file.flush()
            if durable:
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if durable:
        _fsync(path.parent)  # the rename itself


class _Batch:
    """The saves of one Store.batch block: written version files, and the index entries to publish."""

    def __init__(self, entries: list[dict]):
        self._entries = {entry["name"]: entry for entry in entries}
        self._in_order: list[dict] | None = list(entries)  # None until sorted again after a save
        self.saved: dict[str, Version] = {}
        self.previous: dict[Path, bytes | None] = {}  # what each written file held before the batch
        self.committed = False

    @property
    def entries(self) -> list[dict]:
        """The index entries to publish, in lineage order (sorted once after any number of saves)."""
        if self._in_order is None:
            self._in_order = sorted(self._entries.values(), key=lineage_key)
        return self._in_order

    def indexes(self, name: str) -> bool:
        return name in self._entries

    def index(self, entry: dict) -> None:
        """Add an entry, or replace the one of its name."""
        self._entries[entry["name"]] = entry
        self._in_order = None

    def write(self, path: Path, data: bytes) -> None:
        """Replace ``path`` atomically; made durable by sync() before the index names it."""
        if path not in self.previous:
            self.previous[path] = _read_if_exists(path)
        _write_atomically(path, data, durable=False)

    def sync(self) -> None:
        """Every written file on disk, then the folder; concurrent fsyncs share the journal's commits."""
        if not self.previous:
            return
        with ThreadPoolExecutor(max_workers=min(16, len(self.previous))) as pool:
            list(pool.map(_fsync, self.previous))
        _fsync(next(iter(self.previous)).parent)

    def take_back(self) -> None:
        """Put back every file the batch wrote, unless the index already names them."""
        if self.committed:
            return
        for path, data in self.previous.items():
            if data is None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            else:
                _write_atomically(path, data)


def _fsync(path: Path) -> None:
    """A file's data on disk; of a folder, the renames made in it."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
