"""Is the store's folder on a network file system?

SQLite's write-ahead log keeps its index in shared memory, which only processes on one computer
share: "WAL does not work over a network filesystem" (sqlite.org/wal.html), and the one-editor
lock is an advisory lock that network file systems may not pass on to other computers. A store
on a network share is opened with a warning (see `desktop.app`), never silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

# Linux file-system types (/proc/self/mountinfo) and macOS ones (mount's output) that live on
# another computer.
NETWORK_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "afpfs",
        "webdav",
        "davfs",
        "fuse.davfs",
        "fuse.sshfs",
        "sshfs",
        "fuse.gvfsd-fuse",
        "fuse.rclone",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "gpfs",
    }
)


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _deepest(path: Path, mounts: Iterable[tuple[str, str]]) -> str | None:
    """The type of the deepest mount point (of (point, type) pairs) that holds `path`."""
    best, best_type = "", None
    target = str(path)
    for point, kind in mounts:
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, kind
    return best_type


def _linux_mounts(mountinfo: str) -> Iterator[tuple[str, str]]:
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields, after = left.split(), right.split()
        if sep and len(fields) >= 5 and after:
            yield _unescape(fields[4]), after[0]


def _mac_mounts(mount_output: str) -> Iterator[tuple[str, str]]:
    for line in mount_output.splitlines():
        _source, sep, rest = line.partition(" on ")
        point, paren, options = rest.rpartition(" (")
        if sep and paren:
            yield point, options.split(",")[0].strip(" )")


def linux_mount_type(path: Path, mountinfo: str) -> str | None:
    """The file-system type of the mount holding `path`, from /proc/self/mountinfo's text."""
    return _deepest(path, _linux_mounts(mountinfo))


def mac_mount_type(path: Path, mount_output: str) -> str | None:
    """The same from macOS `mount` lines: '//user@server/share on /Volumes/share (smbfs, ...)'."""
    return _deepest(path, _mac_mounts(mount_output))


def _windows_remote(path: Path) -> bool:
    import ctypes  # noqa: PLC0415 - Windows only

    anchor = path.anchor or str(path)
    if anchor.startswith(("\\\\", "//")):
        return True  # a UNC path: \\server\share
    drive_remote = 4  # DRIVE_REMOTE from GetDriveTypeW
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return bool(kernel32.GetDriveTypeW(anchor) == drive_remote)


def network_file_system(
    path: Path, *, mountinfo: Path = Path("/proc/self/mountinfo")
) -> str | None:
    """The network file system's name when `path` is on one, else None (also when unsure).
    `mountinfo`: where Linux lists the mounts (another file in tests)."""
    path = Path(os.path.realpath(path))
    try:
        if sys.platform == "win32":
            return "a network drive" if _windows_remote(path) else None
        if sys.platform == "darwin":
            out = subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False
            ).stdout
            kind = mac_mount_type(path, out)
        else:
            kind = linux_mount_type(path, mountinfo.read_text("utf-8"))
    except (OSError, subprocess.SubprocessError, AttributeError):
        return None
    return kind if kind in NETWORK_TYPES else None


def network_warning(data_dir: Path, kind: str) -> str:
    """What the window says when the data folder is on a network file system."""
    return (
        f"The data folder {data_dir} is on a network file system ({kind}). The draft store is "
        "safe there only while one computer uses it: SQLite cannot share its write-ahead log "
        "between computers, and the lock that keeps a second Registry Desk out may not reach "
        "them. Keep the data folder on this computer (start Registry Desk with --data-dir) "
        "and hand drafts over with Export and Import."
    )
