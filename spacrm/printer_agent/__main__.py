"""`python -m spacrm.printer_agent` / `spacrm-printer`: run the counter printer agent."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from spacrm.printer_agent.agent import Agent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="spacrm-printer",
        description="Pull print jobs from the spacrm server and print them (ESC/POS raster).",
    )
    p.add_argument(
        "--server", default=os.environ.get("SPACRM_PRINTER_SERVER", "http://127.0.0.1:8000")
    )
    p.add_argument(
        "--token",
        default=os.environ.get("SPACRM_PRINTER_TOKEN", ""),
        help="the token `spacrm printers add` printed (or env SPACRM_PRINTER_TOKEN)",
    )
    p.add_argument(
        "--printer",
        default=os.environ.get("SPACRM_PRINTER_TARGET", ""),
        help="file:PATH | network:HOST[:PORT] | usb:VID:PID (hex) | serial:DEV[:BAUD]",
    )
    p.add_argument("--interval", type=float, default=2.0, help="seconds between polls when idle")
    p.add_argument("--once", action="store_true", help="print what is waiting, then exit")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s",
        force=True,  # python-escpos installs a root handler when imported
    )
    if not args.token or not args.printer:
        print("spacrm-printer: --token and --printer are required", file=sys.stderr)
        return 2
    agent = Agent(args.server, args.token, args.printer, interval=args.interval)
    try:
        printed = agent.run(once=args.once)
    except PermissionError as exc:
        print(f"spacrm-printer: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # unreachable server with --once, bad target: one line
        print(f"spacrm-printer: {exc}", file=sys.stderr)
        return 1
    if args.once:
        print(f"printed {printed} job(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
