"""A store on a network file system is recognised (the window then warns: WAL and the lock do
not work across computers). Mount tables in the formats Linux and macOS print them."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.store import open_store
from desktop.store.filesystem import (
    linux_mount_type,
    mac_mount_type,
    network_file_system,
    network_warning,
)

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
40 27 0:45 / /home rw,relatime - ext4 /dev/sda2 rw
41 40 0:46 / /home/ann/Shared\\040Drive rw,relatime - nfs4 files:/export/shared rw,vers=4.2
42 40 0:47 / /home/ann/office rw,relatime shared:5 - cifs //srv/office rw,vers=3.1.1
43 41 0:48 / /home/ann/Shared\\040Drive/local rw,relatime - ext4 /dev/sdb1 rw
"""

MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)
//ann@files.example.com/Office on /Volumes/Office (smbfs, nodev, nosuid, mounted by ann)
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/ann/RegistryDesk", "ext4"),
        ("/home/ann/Shared Drive/RegistryDesk", "nfs4"),  # the escaped space is read back
        ("/home/ann/Shared Drive", "nfs4"),
        ("/home/ann/Shared Drive/local/RegistryDesk", "ext4"),  # the deepest mount wins
        ("/home/ann/office/drafts", "cifs"),  # optional fields before the separator
        ("/home/ann/officers", "ext4"),  # a prefix of a mount point is not inside it
        ("/srv/data", "ext4"),
    ],
)
def test_linux_mount_table(path: str, kind: str) -> None:
    assert linux_mount_type(Path(path), MOUNTINFO) == kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/Users/ann/Library/Application Support/RegistryDesk", "apfs"),
        ("/Volumes/Office/RegistryDesk", "smbfs"),
    ],
)
def test_mac_mount_table(path: str, kind: str) -> None:
    assert mac_mount_type(Path(path), MAC_MOUNT) == kind


def test_only_network_types_count(tmp_path: Path) -> None:
    table = tmp_path / "mountinfo"
    table.write_text(
        f"27 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
        f"50 27 0:50 / {tmp_path}/share rw - nfs files:/export rw\n",
        encoding="utf-8",
    )
    (tmp_path / "share").mkdir()
    assert network_file_system(tmp_path / "share" / "data", mountinfo=table) == "nfs"
    assert network_file_system(tmp_path / "local", mountinfo=table) is None
    assert network_file_system(tmp_path, mountinfo=tmp_path / "no such file") is None


def test_a_local_store_is_not_flagged(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        assert store.network_fs is None  # tmp is local on every machine the tests run on


def test_the_warning_says_what_to_do() -> None:
    text = network_warning(Path("/home/ann/Shared Drive/RegistryDesk"), "nfs4")
    assert "/home/ann/Shared Drive/RegistryDesk" in text and "(nfs4)" in text
    assert "--data-dir" in text and "Export" in text
