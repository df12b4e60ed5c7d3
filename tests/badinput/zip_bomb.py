"""Write a decompression bomb made from the shipped study: ``study1.qdpx`` whose first transcript
inflates to N GiB of spaces (about 2 MB on disk for 2 GiB), as the issue's attacker built it.

    python tests/badinput/zip_bomb.py OUT.qdpx [--gib 2]

Used for the benchmark in docs/qual.md ("Untrusted inputs"); the test suite uses small
bombs (and a member that lies about its size, in tests/test_untrusted.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def write_bomb(out: Path, gib: float) -> None:
    with zipfile.ZipFile(RAW / "interviews" / "study1.qdpx") as shipped:
        content = {info.filename: shipped.read(info) for info in shipped.infolist()}
    # the transcript of INT01_FirmA, found by its name in the project (its GUID changes with the seed)
    guid = re.search(r'<TextSource guid="([^"]+)" name="INT01_FirmA"', content["project.qde"].decode("utf-8")).group(1)
    int01 = f"Sources/{guid}.txt"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if name != int01:
                archive.writestr(info, data)
                continue
            block = b" " * (1 << 20)
            with archive.open(info, "w", force_zip64=True) as handle:
                for _ in range(int(gib * 1024)):
                    handle.write(block)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--gib", type=float, default=2.0)
    args = parser.parse_args(argv)
    write_bomb(Path(args.out), args.gib)
    print(f"wrote {args.out}: {Path(args.out).stat().st_size:,} bytes, inflating to {args.gib:g} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
