"""atomic_write: all or nothing, never a half-written or damaged file."""
import os
import sys

import pytest

from desktop.domain.tasks import CancelToken, Cancelled
from desktop.exports.atomic import atomic_write


def test_success_replaces_target_and_leaves_no_temp(tmp_path):
    target = tmp_path / "党员名册.pdf"
    target.write_bytes(b"old")

    with atomic_write(target, suffix=".pdf") as tmp:
        assert tmp.parent == tmp_path
        assert tmp.name.startswith(".~党员名册.pdf.tmp-")
        assert tmp.suffix == ".pdf"
        assert tmp.exists()  # reserved, empty
        assert target.read_bytes() == b"old"  # untouched while writing
        tmp.write_bytes(b"new content")

    assert target.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["党员名册.pdf"]


def test_creates_a_new_file(tmp_path):
    target = tmp_path / "new.xlsx"
    with atomic_write(target) as tmp:
        assert not tmp.name.endswith(".xlsx")  # no suffix unless asked
        tmp.write_text("x", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "x"
    assert os.listdir(tmp_path) == ["new.xlsx"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_new_file_gets_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "a.pdf") as tmp:
            tmp.write_bytes(b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644


def test_exception_leaves_existing_target_untouched(tmp_path):
    target = tmp_path / "roster.pdf"
    target.write_bytes(b"old")

    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(target, suffix=".pdf") as tmp:
            tmp.write_bytes(b"half a fi")
            raise RuntimeError("boom")

    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["roster.pdf"]


def test_exception_creates_nothing(tmp_path):
    target = tmp_path / "roster.pdf"
    with pytest.raises(ValueError):
        with atomic_write(target) as tmp:
            tmp.write_bytes(b"partial")
            raise ValueError
    assert os.listdir(tmp_path) == []


def test_cancel_deletes_the_partial_file(tmp_path):
    target = tmp_path / "roster.pdf"
    target.write_bytes(b"old")
    token = CancelToken()

    with pytest.raises(Cancelled):
        with atomic_write(target, suffix=".pdf") as tmp:
            with open(tmp, "wb") as f:
                for i in range(10):
                    f.write(b"row %d\n" % i)
                    if i == 3:
                        token.cancel()
                    token.check()

    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["roster.pdf"]


def test_writer_may_delete_and_recreate_the_temp_file(tmp_path):
    target = tmp_path / "out.bin"
    with atomic_write(target) as tmp:
        tmp.unlink()
        tmp.write_bytes(b"again")
    assert target.read_bytes() == b"again"


def test_missing_directory_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        with atomic_write(tmp_path / "no" / "such.pdf"):
            pass
