"""Pull → print → confirm (or report the failure, so the server retries and tells the cashier)."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from spacrm.printer_agent.device import open_target, print_png

log = logging.getLogger("spacrm.printer_agent")


@dataclass
class Agent:
    server: str
    token: str
    target: str
    interval: float = 2.0
    opener: Callable[[str], Any] = open_target

    def _client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.server.rstrip("/"),
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=15,
        )

    def run_once(self, client: httpx.Client) -> str:
        """One claim: "idle" (nothing waiting), "printed" or "failed". Raises on HTTP trouble."""
        resp = client.post("/printer/jobs/claim")
        if resp.status_code == 204:
            return "idle"
        if resp.status_code == 401:
            raise PermissionError("the server refused this printer token")
        resp.raise_for_status()
        job = resp.json()["job"]
        try:
            png = base64.b64decode(job["image_png_b64"])
            print_png(self.opener(self.target), png)
        except Exception as exc:  # paper out, cable, bad image: the server decides on retries
            log.warning("job %s failed: %s", job["id"], exc)
            client.post(f"/printer/jobs/{job['id']}/failed", json={"error": str(exc)[:300]})
            return "failed"
        client.post(f"/printer/jobs/{job['id']}/done").raise_for_status()
        log.info("printed job %s (%s)", job["id"], job.get("ref", ""))
        return "printed"

    def run(self, *, once: bool = False, max_idle_polls: int | None = None) -> int:
        """Poll until stopped (or, with `once`, until the queue is empty). Returns jobs printed."""
        printed, idle, failures = 0, 0, 0
        backoff = self.interval
        with self._client() as client:
            while True:
                try:
                    outcome = self.run_once(client)
                    backoff = self.interval
                except PermissionError:
                    raise
                except httpx.HTTPError as exc:
                    log.warning("server unreachable: %s", exc)
                    if once:
                        raise
                    time.sleep(backoff)
                    backoff = min(backoff * 2, 60)
                    continue
                if outcome == "printed":
                    printed, failures = printed + 1, 0
                if outcome == "failed":
                    # give the cashier time to add paper or plug the cable in before the retry
                    failures += 1
                    time.sleep(min(self.interval * 2**failures, 60))
                if outcome != "idle":
                    continue
                idle += 1
                if once or (max_idle_polls is not None and idle >= max_idle_polls):
                    return printed
                time.sleep(self.interval)
