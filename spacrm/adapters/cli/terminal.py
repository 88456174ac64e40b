"""The terminal channel: `spacrm chat --user LOGIN`. One line = one message; buttons by number."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

from spacrm.bot.engine import Engine
from spacrm.bot.notify import send_due_reminders
from spacrm.core.actors import Actor
from spacrm.core.services import outbox, reminders
from spacrm.core.services.users import actor_by_login as actor_for_login
from spacrm.core.textnorm import fold_words
from spacrm.intents.chat import Button, ChatEvent, Reply

log = logging.getLogger(__name__)


def save_file(files_dir: Path, name: str, data: bytes) -> Path:
    """Write a reply's file under `files_dir` without overwriting an earlier one."""
    files_dir.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(Path(name).name).stem or "file", Path(name).suffix
    path = files_dir / f"{stem}{suffix}"
    n = 1
    while path.exists():
        n += 1
        path = files_dir / f"{stem}-{n}{suffix}"
    path.write_bytes(data)
    return path


def render(replies: list[Reply], out: TextIO, files_dir: Path | None = None) -> list[Button]:
    """Print replies; return the buttons in the order they were numbered. Images and documents
    are written to `files_dir` and shown by path (without it: by name and size)."""
    numbered: list[Button] = []
    for reply in replies:
        out.write("🤖 " + reply.text.replace("\n", "\n   ") + "\n")
        for name, data, mime in reply.all_files():
            label = "hình ảnh" if mime.startswith("image/") else "tệp"
            where = (
                str(save_file(files_dir, name, data)) if files_dir else f"{name}, {len(data)} bytes"
            )
            out.write(f"   [{label}: {where}]\n")
        for row in reply.buttons:
            cells = []
            for button in row:
                numbered.append(button)
                cells.append(f"[{len(numbered)}] {button.text}")
            out.write("   " + "   ".join(cells) + "\n")
    out.flush()
    return numbered


def render_buttons(reply: Reply, out: TextIO, start: int = 0) -> list[Button]:
    """Only the numbered buttons of `reply` (for a notice whose text is already printed),
    numbered from `start` + 1."""
    numbered: list[Button] = []
    for row in reply.buttons:
        cells = []
        for button in row:
            numbered.append(button)
            cells.append(f"[{start + len(numbered)}] {button.text}")
        out.write("   " + "   ".join(cells) + "\n")
    out.flush()
    return numbered


def to_event(
    line: str, buttons: list[Button], actor: Actor, counter: int, session: str = ""
) -> ChatEvent:
    text = line.strip()
    base: dict[str, Any] = {
        "channel": "terminal",
        "external_user_id": actor.login,
        # One chat per terminal session: a card opened yesterday is not "chị ấy" today (#6).
        "chat_id": f"term:{actor.login}:{session}" if session else f"term:{actor.login}",
    }
    # ASCII digits only, and short: "²".isdigit() is true but int("²") raises, and int() of
    # 4,300+ digits raises too.
    if text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= len(buttons):
        return ChatEvent(**base, payload=buttons[int(text) - 1].payload, message_id=str(counter))
    typed = fold_words(text)
    for button in buttons:
        # "trả lời" matches "💬 Trả lời": emoji, case and diacritics do not matter
        if typed and typed == fold_words(button.text):
            return ChatEvent(**base, payload=button.payload, message_id=str(counter))
    return ChatEvent(**base, text=text, message_id=str(counter))


def chat_of(actor: Actor) -> str:
    return f"term:{actor.login}"


async def _reminders(
    actor: Actor, out: TextIO, interactive: bool, every: float, stop: asyncio.Event,
    latest: list[list[Button]] | None = None,
) -> None:  # fmt: skip
    """While the chat is open, reminders of this user are printed here (not sent elsewhere).
    The terminal also runs the reminder tick itself, so they arrive without `spacrm serve`.
    It stops between ticks when `stop` is set, never in the middle of a database call: a task
    cancelled inside a transaction could leave the connection's lock held (Python 3.11)."""
    chat = chat_of(actor)
    ticks = 0
    notices: list[Button] = []  # the buttons of the notices printed since the last reply
    while not stop.is_set():
        try:
            await reminders.mark_open(actor.user_id, chat)
            if ticks % 5 == 0:
                await send_due_reminders()
            for row in await outbox.take_for_chat("terminal", chat):
                text = str(row.payload.get("text", "")).replace("\n", "\n   ")
                out.write(("\n" if interactive else "") + "🔔 " + text + "\n")
                # A notice's buttons (a leave request's Duyệt / Từ chối) are numbered like a
                # reply's: the last list printed is the one a typed number presses.
                notice = Reply("", [[Button(str(label), str(payload)) for label, payload in cells]
                                    for cells in row.payload.get("buttons") or []])  # fmt: skip
                if notice.buttons and latest is not None:
                    # Notices in a row number on ([3] [4] after [1] [2]) until the next reply.
                    shown = latest[0] if latest[0] is notices else []
                    notices = shown + render_buttons(notice, out, start=len(shown))
                    latest[0] = notices
                if interactive:
                    out.write("» ")
                out.flush()
        except Exception:  # a busy database now and then: the next tick tries again
            log.warning("terminal reminders tick failed", exc_info=True)
        ticks += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


async def chat_loop(
    engine: Engine,
    actor: Actor,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    files_dir: Path | None = None,
    *,
    reminder_seconds: float = 2.0,
) -> None:
    stop = asyncio.Event()
    latest: list[list[Button]] = [[]]  # the buttons a typed number presses, shared with notices
    ticker = asyncio.get_running_loop().create_task(
        _reminders(actor, out, stdin.isatty(), reminder_seconds, stop, latest)
    )
    try:
        await _chat(engine, actor, stdin, out, files_dir, latest)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await ticker
        with contextlib.suppress(Exception):
            await reminders.mark_closed(chat_of(actor))


def _printer(out: TextIO) -> Callable[[str], Awaitable[None]]:
    """A long export's progress, one line at a time."""

    async def say(text: str) -> None:
        out.write(f"   {text}\n")
        out.flush()

    return say


async def _chat(
    engine: Engine, actor: Actor, stdin: TextIO, out: TextIO, files_dir: Path | None,
    latest: list[list[Button]] | None = None,
) -> None:  # fmt: skip
    interactive = stdin.isatty()
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:  # bytes that are not UTF-8 become "�" instead of a traceback
        reconfigure(errors="replace")
    if interactive:
        out.write(
            f"Đang trò chuyện với tư cách {actor.name} ({actor.login}). Gõ /help, Ctrl-D để thoát.\n"
        )
    buttons: list[Button] = []
    counter = 0
    # One dialog per terminal session (#6); reminders use the user's terminal mailbox (chat_of).
    session = secrets.token_hex(4)
    while True:
        if interactive:
            out.write("» ")
            out.flush()
        line = await asyncio.to_thread(stdin.readline)  # the reminder ticker runs meanwhile
        if not line:
            break
        if not line.strip():
            continue
        counter += 1
        if not interactive:
            out.write(f"» {line.strip()}\n")
        if latest is not None and latest[0] is not buttons:
            buttons = latest[0]  # a notice printed its buttons after the last reply
        event = to_event(line, buttons, actor, counter, session)
        replies = await engine.handle(event, actor=actor, progress=_printer(out))
        buttons = render(replies, out, files_dir) or buttons
        if latest is not None:
            latest[0] = buttons
        actor = await actor_for_login(actor.login)  # the user may have changed language
