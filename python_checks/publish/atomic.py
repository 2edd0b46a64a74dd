"""Durable, atomic replacement of files and links (POSIX rename semantics)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file's or a folder's data and metadata to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(temp: Path, target: Path) -> None:
    """Rename ``temp`` over ``target`` in one step and make the rename durable."""
    os.replace(temp, target)
    fsync_path(target.parent)


def write_json(target: Path, temp: Path, payload: object) -> None:
    """Write JSON to ``temp`` (same folder), fsync it and rename it over ``target``."""
    with temp.open("w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    replace(temp, target)


def point_symlink(link: Path, temp: Path, target: str) -> None:
    """Make ``link`` point at ``target`` by renaming a new link over it (never missing)."""
    if link.exists() and not link.is_symlink():
        raise IsADirectoryError(f"{link} exists and is not a symlink; move it away first")
    remove(temp)
    os.symlink(target, temp)
    replace(temp, link)


def remove(path: Path) -> None:
    """Remove a file, link or folder if it is there."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
