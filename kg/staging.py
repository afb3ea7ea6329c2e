"""Swap-in builds: write a new store beside the live one, then exchange the directories.

Oxigraph does not allow a read-only process (``kg serve``) to read a directory that
another process writes, so ``kg build`` never writes into the live store:

1. take ``<store>.lock`` (``flock``), so two builds never share a staging directory;
2. copy the live store to ``<store>.staging``: immutable ``*.sst`` files are hard
   links and the few mutable files (WAL, manifest) are copied. ``Store.backup`` would
   need the live store opened read-write (a backup taken from a read-only instance
   misses the data still in the write-ahead log), and a writer beside a running
   server is what we avoid;
3. the build writes into the staging store, then closes it;
4. on success the two directories are exchanged in one step (Linux
   ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames through ``<store>.old``)
   and the old data is deleted. On failure the staging copy is deleted and the live
   store is untouched.

A server holding the old directory keeps reading its open files until it calls
``EmbeddedGraphStore.refresh()``. A build killed at any step leaves the live store
whole; the next build clears the leftovers (and undoes a half-done two-rename swap).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import StoreError
from kg.store import GraphStore, open_store

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def staging_store(
    location: str | Path | None, *, copy_current: bool = True
) -> Iterator[GraphStore]:
    """Yield a writable store whose content replaces ``location`` when the block succeeds.

    With ``copy_current`` the staging store starts as a copy of the live one (an
    incremental build); without, it starts empty (a full rebuild). In-memory and
    remote locations have no directory to swap: they are opened and written directly.

    Raises:
        StoreError: if another build holds the lock, or a directory cannot be set up.
    """
    if location is None or re.match(r"^(https?://|:memory:$)", str(location)):
        with open_store(location) as store:
            yield store
        return
    target = Path(location)
    staging = target.with_name(target.name + ".staging")
    with _build_lock(target):
        _clear_leftovers(target, staging)
        if copy_current and (target / "CURRENT").is_file():
            _link_copy(target, staging)
        store = open_store(staging)
        try:
            yield store
            store.flush()
        except BaseException:
            store.close()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        store.close()
        _swap_in(staging, target)


@contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    lock_path = target.with_name(target.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the whole build
    except OSError as e:
        raise StoreError(str(lock_path), f"cannot create the build lock: {e.strerror}") from e
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise StoreError(
                str(target), "another build is writing this store", "Wait for it to finish"
            ) from e
        yield
    finally:
        handle.close()  # closing releases the lock


def _clear_leftovers(target: Path, staging: Path) -> None:
    old = target.with_name(target.name + ".old")
    try:
        if old.exists():
            if target.exists():
                shutil.rmtree(old)
            else:  # killed between the two renames of the fallback swap
                os.replace(old, target)
        if staging.exists():
            shutil.rmtree(staging)
    except OSError as e:
        raise StoreError(str(target), f"cannot clear an interrupted build: {e}") from e


def _link_copy(source: Path, destination: Path) -> None:
    def link_or_copy(src: str, dst: str) -> None:
        if src.endswith(".sst"):
            try:
                os.link(src, dst)
                return
            except OSError:
                pass  # another file system: copy instead
        shutil.copy2(src, dst)

    try:
        shutil.copytree(source, destination, copy_function=link_or_copy)
    except (OSError, shutil.Error) as e:
        shutil.rmtree(destination, ignore_errors=True)
        raise StoreError(str(source), f"cannot copy the store for the build: {e}") from e


def _swap_in(staging: Path, target: Path) -> None:
    try:
        if not target.exists():
            os.replace(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)  # now the old store
        else:
            old = target.with_name(target.name + ".old")
            os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old)
    except OSError as e:
        raise StoreError(str(target), f"cannot swap in the new store: {e}") from e


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    status = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))
