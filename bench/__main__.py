"""`python -m bench`: run the benchmark parts, print every figure with its target, write
them into docs/benchmarks.md. For now the only part is the peer (django-helpdesk)."""

from __future__ import annotations

import argparse
import json
import sys
import time

from . import peer_helpdesk
from .report import DOC, ROOT, format_console, write_section

PARTS = ["peer"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reps", type=int, default=30, help="timed requests per figure")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--tickets", type=int, default=100_000, help="peer's tickets")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args(argv)
    parts = args.only or PARTS
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = time.monotonic()

    if "peer" in parts:
        print(f"== peer: django-helpdesk ticket list, {args.tickets:,} tickets, {dbs}", flush=True)
        run = peer_helpdesk.run_peer(
            dbs, reps=args.reps, warmup=args.warmup, tickets=args.tickets, keep=args.keep
        )
        out = ROOT / "var" / "bench" / "peer.json"
        out.write_text(json.dumps(run, indent=2, ensure_ascii=False))
        print(format_console(peer_helpdesk.figures(run)))
        print(f"peer part: {run['elapsed_s']} s; raw figures in {out.relative_to(ROOT)}")
        if not args.no_write:
            write_section(peer_helpdesk.SECTION_TITLE, peer_helpdesk.section(run))
            print(f"written {DOC.relative_to(ROOT)} § {peer_helpdesk.SECTION_TITLE}")

    print(f"bench: {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
