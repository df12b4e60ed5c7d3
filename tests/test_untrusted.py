"""Bounded reading of untrusted raw files and containment of paths (nero.untrusted)."""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile

import pytest

from nero.untrusted import (
    RATIO_GRACE_BYTES,
    ArchiveBudget,
    InputLimitError,
    ReadLimits,
    allowed_root,
    read_file,
    read_member,
)

MiB = 1024 * 1024


def zip_with(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def lying_zip(data: bytes, declared: int) -> zipfile.ZipFile:
    """One deflated member whose central directory declares ``declared`` bytes instead of ``len(data)``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Sources/a.txt", data)
    raw = bytearray(buffer.getvalue())
    central = raw.rindex(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, declared)  # uncompressed size in the central directory
    local = raw.index(b"PK\x03\x04")
    struct.pack_into("<I", raw, local + 22, declared)
    return zipfile.ZipFile(io.BytesIO(bytes(raw)))


def test_defaults_are_the_documented_ones_and_config_overrides_them():
    limits = ReadLimits()
    assert (limits.file_bytes, limits.member_bytes, limits.member_ratio, limits.archive_bytes) == (
        200 * MiB,
        200 * MiB,
        100.0,
        1024 * MiB,
    )
    assert ReadLimits.from_config(None) == limits and ReadLimits.from_config({"limits": {}}) == limits
    assert ReadLimits.from_config({"limits": {"member_ratio": 20}}).member_ratio == 20
    with pytest.raises(ValueError, match="unknown key.*'member_byte'"):
        ReadLimits.from_config({"limits": {"member_byte": 1}})


def test_config_yaml_sets_the_default_limits(repo_root):
    import yaml

    config = yaml.safe_load((repo_root / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert ReadLimits.from_config(config) == ReadLimits()
    assert config["qual"]["allowed_source_roots"] == []


def test_member_at_the_size_limit_is_read_one_byte_over_is_refused():
    data = bytes(range(256)) * 4096  # 1 MiB, barely compressible
    limits = ReadLimits(member_bytes=len(data))
    archive = zip_with({"m.txt": data})
    assert read_member(archive, archive.getinfo("m.txt"), "p.qdpx", ArchiveBudget(limits)) == data
    with pytest.raises(InputLimitError) as err:
        read_member(archive, archive.getinfo("m.txt"), "p.qdpx", ArchiveBudget(ReadLimits(member_bytes=len(data) - 1)))
    message = str(err.value)
    assert "p.qdpx" in message and "'m.txt'" in message and f"{len(data):,}" in message
    assert f"declares {len(data):,} bytes, over the limit of {len(data) - 1:,} bytes" in message
    assert "limits.member_bytes" in message and "config/config.yaml" in message


def test_ratio_is_judged_past_the_grace_size_only():
    small = b" " * RATIO_GRACE_BYTES  # compresses ~1000:1 but is no larger than the grace size
    archive = zip_with({"small.txt": small, "big.txt": small + b" "})
    budget = ArchiveBudget()
    assert read_member(archive, archive.getinfo("small.txt"), "p.qdpx", budget) == small
    with pytest.raises(
        InputLimitError,
        match=r"'big.txt' declares .* \(ratio [\d,]+\), over the limit ratio of 100.*limits.member_ratio",
    ):
        read_member(archive, archive.getinfo("big.txt"), "p.qdpx", budget)
    # exactly at the limit ratio is accepted, just above is refused
    info = archive.getinfo("big.txt")
    at = info.file_size / info.compress_size
    assert read_member(archive, info, "p.qdpx", ArchiveBudget(ReadLimits(member_ratio=at))) == small + b" "
    with pytest.raises(InputLimitError, match="limits.member_ratio"):
        read_member(archive, info, "p.qdpx", ArchiveBudget(ReadLimits(member_ratio=at * 0.999)))


def test_archive_total_counts_every_member_read():
    data = bytes(range(256)) * 1024  # 256 KiB each
    archive = zip_with({"a": data, "b": data, "c": data})
    budget = ArchiveBudget(ReadLimits(archive_bytes=2 * len(data)))
    read_member(archive, archive.getinfo("a"), "p.qdpx", budget)
    read_member(archive, archive.getinfo("b"), "p.qdpx", budget)  # exactly at the total
    assert budget.inflated == 2 * len(data)
    with pytest.raises(
        InputLimitError,
        match=r"'c' brings the archive's declared total to 786,432 bytes, over the limit of 524,288 bytes.*limits.archive_bytes",
    ):
        read_member(archive, archive.getinfo("c"), "p.qdpx", budget)


def test_a_member_that_lies_about_its_size_is_refused_after_one_chunk():
    bomb = b" " * (8 * MiB)
    archive = lying_zip(bomb, declared=1000)
    info = archive.getinfo("Sources/a.txt")
    assert info.file_size == 1000
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        read_member(archive, info, "p.qdpx", ArchiveBudget())


def test_file_at_the_limit_is_read_one_byte_over_is_refused(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"x" * 100)
    assert read_file(path, ReadLimits(file_bytes=100)) == b"x" * 100
    with pytest.raises(InputLimitError) as err:
        read_file(path, ReadLimits(file_bytes=99), "interviews/t.txt")
    assert "interviews/t.txt is 100 bytes, over the limit of 99 bytes" in str(err.value)
    assert "limits.file_bytes" in str(err.value)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_file(empty) == b""


def test_allowed_root_follows_dotdot_and_symlinks(tmp_path):
    raw = tmp_path / "raw"
    (raw / "interviews").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    inside = raw / "interviews" / "t.txt"
    inside.write_text("t")
    assert allowed_root(inside, [raw]) == raw.resolve()
    assert allowed_root(raw, [raw]) == raw.resolve()  # the root itself counts as inside
    assert allowed_root(raw / "interviews" / ".." / ".." / "secret.txt", [raw]) is None
    assert allowed_root(tmp_path / "raw-other" / "x", [raw]) is None  # a sibling sharing the prefix
    (raw / "interviews" / "link.txt").symlink_to(outside)
    assert allowed_root(raw / "interviews" / "link.txt", [raw]) is None
    assert allowed_root(raw / "interviews" / "link.txt", [raw, tmp_path]) == tmp_path.resolve()
    assert allowed_root(inside, []) is None


@pytest.mark.skipif(os.environ.get("NERO_SKIP_BOMB") == "1", reason="NERO_SKIP_BOMB=1")
def test_a_declared_zip_bomb_is_refused_at_once():
    """A 64 MiB member of spaces (ratio ~1000) is refused before a byte is inflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("Sources/bomb.txt", "w") as handle:
            block = b" " * MiB
            for _ in range(64):
                handle.write(block)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    started = time.perf_counter()
    with pytest.raises(InputLimitError, match="declares 67,108,864 bytes"):
        read_member(archive, archive.getinfo("Sources/bomb.txt"), "bomb.qdpx", ArchiveBudget())
    assert time.perf_counter() - started < 0.5


def test_exports_are_read_within_the_limit(tmp_path, monkeypatch, repo_root):
    """A literature-database export and a survey export over the file limit are refused naming the file."""
    from nero.slr.exports import ExportFormatError
    from nero.slr.readers import read_export
    from nero.survey import readers_csv
    from nero.survey.errors import SurveyInputError

    ris = repo_root / "data" / "raw" / "slr" / "searches" / "scopus_supplement" / "scopus.ris"
    size = ris.stat().st_size
    assert read_export(ris, limits=ReadLimits(file_bytes=size))[0] == "ris"
    with pytest.raises(
        ExportFormatError,
        match=rf"scopus.ris: the file is {size:,} bytes, over the limit of {size - 1:,} bytes.*limits.file_bytes",
    ):
        read_export(ris, limits=ReadLimits(file_bytes=size - 1))
    wave = next((repo_root / "data" / "raw" / "survey" / "wave-1").glob("*.csv"))
    monkeypatch.setattr(readers_csv, "read_file", lambda path: read_file(path, ReadLimits(file_bytes=1000)))
    with pytest.raises(
        SurveyInputError, match=rf"{wave.name} is [\d,]+ bytes, over the limit of 1,000 bytes.*limits.file_bytes"
    ):
        readers_csv._decode(wave)
