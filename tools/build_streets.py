"""Derive wiqnet/search/streets.json from the Krefeld open data (run when that data changes).

Example: python tools/build_streets.py ../shared/krefeld-open-data
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from wiqnet.search.streets import FILE_NAME, build_streets

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Read the open-data folder and write the compact street index into the package."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the krefeld-open-data folder")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "wiqnet" / "search" / FILE_NAME)
    args = parser.parse_args()
    data = build_streets(args.folder)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{args.output}: {len(data['streets'])} streets, {len(data['postcodes'])} postcodes")


if __name__ == "__main__":
    main()
