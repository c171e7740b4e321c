"""The content-addressed cache of expensive steps, under <project>/.cache/clss/<kind>/.

An entry is found by a key that hashes *every* input of the step (the caller's business: texts,
templates, options, tool versions). Each entry carries the SHA-256 of its bytes, checked on every
read: a damaged or truncated entry is deleted and reported as missing, so it is made again, never
used. Writes go to a temporary file renamed into place (a killed build leaves no half entry).

`Cache(None)` is the disabled cache (`CLSS_NO_CACHE=1`): nothing is read or written.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import jinja2
import jinja2.bccache

MAGIC = b"clss-cache-1 "  # then the hex SHA-256 of the data, a newline, the data


DIR = Path(".cache") / "clss"  # in the project folder


def folder(root: Path, enabled: bool = True) -> Path | None:
    """The cache folder of the project at `root` (None when caching is off: CLSS_NO_CACHE=1)."""
    return root / DIR if enabled else None


def key(*parts: str | bytes) -> str:
    """A key from the inputs of a step (each part hashed on its own, so no two lists collide)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part if isinstance(part, bytes) else part.encode("utf-8")).digest())
    return h.hexdigest()


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _path(self, kind: str, k: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / k[:2] / k

    def get(self, kind: str, k: str) -> bytes | None:
        """The bytes stored under `k`, or None (absent, disabled, or damaged: then deleted)."""
        if self.folder is None:
            return None
        path = self._path(kind, k)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head, sep, data = raw.partition(b"\n")
        if sep and head.startswith(MAGIC) and head[len(MAGIC):].decode("ascii", "replace") == hashlib.sha256(data).hexdigest():
            return data
        path.unlink(missing_ok=True)
        return None

    def put(self, kind: str, k: str, data: bytes) -> None:
        """Store `data` under `k` (a full disk or a read-only folder only loses the entry)."""
        if self.folder is None:
            return
        path = self._path(kind, k)
        tmp = path.with_name(f"{k}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(MAGIC + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def made(self, kind: str, k: str, make: Callable[[], bytes]) -> bytes:
        """The bytes under `k`; when absent (or damaged), `make()`'s, stored for next time."""
        data = self.get(kind, k)
        if data is None:
            data = make()
            self.put(kind, k, data)
        return data

    def forget(self, kind: str, k: str) -> None:
        """Remove the entry under `k` (e.g. made from files that changed while being read)."""
        if self.folder is not None:
            self._path(kind, k).unlink(missing_ok=True)

    def get_tree(self, kind: str, k: str) -> dict[str, bytes] | None:
        """A folder stored with put_tree: {relative path: bytes}, or None."""
        import json

        index = self.get(kind, k)
        if index is None:
            return None
        try:
            names = json.loads(index)
        except ValueError:
            return None
        out = {}
        for name, digest in names.items():
            data = self.get(kind + "-files", digest)
            if data is None:
                return None
            out[name] = data
        return out

    def put_tree(self, kind: str, k: str, files: dict[str, bytes]) -> None:
        """Store a folder's files (each file once by its hash, then the index under `k`)."""
        import json

        if self.folder is None:
            return
        names = {}
        for name, data in sorted(files.items()):
            digest = hashlib.sha256(data).hexdigest()
            if not self._path(kind + "-files", digest).is_file():
                self.put(kind + "-files", digest, data)
            names[name] = digest
        self.put(kind, k, json.dumps(names, sort_keys=True).encode("utf-8"))


class JinjaBytecode(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in the cache (kind "jinja"): a template compiles once, not
    on every build. Jinja checks the template's source checksum and the Python version in the
    bucket; the cache's own checksum refuses a damaged entry."""

    def __init__(self, cache: Cache):
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.cache.get("jinja", bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put("jinja", bucket.key, bucket.bytecode_to_string())
