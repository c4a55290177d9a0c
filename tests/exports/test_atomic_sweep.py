"""Temporary files a killed export left behind are removed by the next export to that folder."""
from __future__ import annotations

import os
import time

from desktop.exports.atomic import atomic_write


def test_stale_temporaries_go_young_ones_and_other_files_stay(tmp_path):
    day_old = time.time() - 25 * 3600
    stale = [tmp_path / ".~花名册.xlsx.tmp-1a2b3c4d.xlsx", tmp_path / ".~台账.pdf.tmp-deadbeef"]
    young = tmp_path / ".~花名册.xlsx.tmp-0f0f0f0f.xlsx"  # maybe another export running now
    others = [tmp_path / "花名册.xlsx", tmp_path / ".~lock.花名册.xlsx#",  # WPS/LibreOffice lock
              tmp_path / ".~花名册.xlsx.tmp-notours.xlsx"]
    for p in stale + [young] + others:
        p.write_bytes(b"x")
    for p in stale + others:
        os.utime(p, (day_old, day_old))
    with atomic_write(tmp_path / "新.xlsx", suffix=".xlsx") as tmp:
        tmp.write_bytes(b"new")
    assert not any(p.exists() for p in stale)
    assert young.exists() and all(p.exists() for p in others)
    assert (tmp_path / "新.xlsx").read_bytes() == b"new"
