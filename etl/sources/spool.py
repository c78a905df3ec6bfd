"""Response bodies streamed to a temporary file (hash and size on the way), not held in memory.

A body is written chunk by chunk to `<dir>/.<random>.body.tmp` (the archive's `raw/.tmp/` in a
refresh), its sha256 and size computed as it arrives. The archive then moves the file into place
(a rename, no copy); a body nobody archives is deleted once its `SpooledBody` is garbage-collected,
and what a killed run leaves is removed by the next run's housekeeping.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

CHUNK = 1 << 20  # read size when hashing or copying a spooled file
SUFFIX = ".body.tmp"


class SizeCapExceeded(Exception):
    """The body passed the cap: writing stopped and the partial file is deleted."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class SpooledBody:
    """The exact bytes of one response, in a file: path, size and sha256 known without reading."""

    def __init__(self, path: Path, size: int, sha256: str) -> None:
        self.path = path
        self.size = size
        self.sha256 = sha256
        self._cleanup = weakref.finalize(self, _unlink, str(path))

    def read(self) -> bytes:
        """The whole body (read from the file each time; nothing is kept in memory)."""
        return self.path.read_bytes()

    def chunks(self) -> Iterable[bytes]:
        """The body in pieces of at most 1 MiB."""
        with open(self.path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def move_to(self, target: Path) -> None:
        """Make the file durable and move it to `target` (a rename on the same file system).

        A body already moved (archived once) is copied instead, so the first copy stays.
        """
        spooled = self._cleanup.alive
        if spooled:
            with open(self.path, "rb") as fh:
                os.fsync(fh.fileno())
            with contextlib.suppress(OSError):  # another file system: copied below
                os.replace(self.path, target)
                self._cleanup.detach()
                self.path = target
                return
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(self.path, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        if spooled:
            self._cleanup()
            self.path = target

    def discard(self) -> None:
        """Delete the spool file now (a body that is not archived)."""
        self._cleanup()


def spool(
    chunks: Iterable[bytes],
    folder: Path | None,
    cap: int,
    check: Callable[[int], None] = lambda size: None,
) -> SpooledBody:
    """Write `chunks` to a temporary file in `folder` (the system's when None), hashing them.

    Stops with SizeCapExceeded, the partial file deleted, once more than `cap` bytes arrived;
    `check(size)` runs after every chunk (a deadline) and may raise to stop the same way.
    """
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".", suffix=SUFFIX, dir=folder)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                size += len(chunk)
                if size > cap:
                    raise SizeCapExceeded(size)
                fh.write(chunk)
                digest.update(chunk)
                check(size)
    except BaseException:
        _unlink(name)
        raise
    return SpooledBody(Path(name), size, digest.hexdigest())
