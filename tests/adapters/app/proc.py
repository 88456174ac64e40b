"""Run `spacrm serve` as a real process (as a user does) against the fake providers."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass, field

SPACRM = [sys.executable, "-m", "spacrm.adapters.cli.main"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_env(**extra: str) -> dict[str, str]:
    """This test run's database and data dir (the `db` fixture set them), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPACRM_")}
    for key in ("SPACRM_DATABASE_URL", "SPACRM_DATA_DIR"):
        env[key] = os.environ[key]
    env["SPACRM_SCHEDULER_SECONDS"] = "1"
    env.update(extra)
    return env


@dataclass
class Serve:
    proc: asyncio.subprocess.Process
    port: int
    lines: list[str] = field(default_factory=list)

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            self.lines.append(raw.decode(errors="replace").rstrip())

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    async def wait_line(self, text: str, timeout: float = 60) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not any(text in line for line in self.lines):
            if self.proc.returncode is not None or loop.time() > deadline:
                raise AssertionError(f"no {text!r} from serve:\n{self.output}")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
        await self.proc.wait()


async def start_serve(env: dict[str, str], *, port: int | None = None) -> Serve:
    port = port or free_port()
    proc = await asyncio.create_subprocess_exec(
        *SPACRM, "serve", "--port", str(port), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    serve = Serve(proc, port)
    asyncio.get_running_loop().create_task(serve._read())
    return serve


async def run_serve(env: dict[str, str], *args: str, timeout: float = 60) -> tuple[int, str]:
    """Run `spacrm serve ARGS` expecting it to stop by itself; (exit code, stderr)."""
    proc = await asyncio.create_subprocess_exec(
        *SPACRM, "serve", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, err.decode(errors="replace")
