"""Smaller guards of issue 13: a reply target whose conversation moved away, capped log lines,
the clean_inbound edge function, and migration 0006 over old duplicate data."""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from spacrm.bot.customer_engine import CustomerEngine
from spacrm.core import logcap
from spacrm.core.actors import Actor
from spacrm.core.models import ChannelIdentity, ConversationMessage, OutboxMessage, User
from spacrm.core.permissions import record_id
from spacrm.core.services import conversations
from spacrm.core.textnorm import clean_inbound
from spacrm.intents.chat import ChatEvent

ROOT = Path(__file__).resolve().parents[2]


async def test_a_reply_after_the_conversation_moved_to_another_branch_is_not_sent(db: str) -> None:
    me = uuid.uuid4().hex[:8]
    mine = await User.get(login="st_q1a1")
    other = await User.get(login="st_hda1")  # another region
    await ChannelIdentity.create(user=mine, channel="scope", external_id=me, chat_id=me)
    conv = await conversations.open_conversation("facebook", "p1", f"psid-{me}", display_name="Vy")
    await conversations.set_state(conv, "handoff", assignee_id=mine.id)
    engine = CustomerEngine()
    ev = {"channel": "scope", "external_user_id": me, "chat_id": me}
    pressed = await engine.staff_hook(ChatEvent(**ev, payload=f"hr:{conv.id}"))
    assert pressed and "Nhập câu trả lời" in pressed[0].text
    await conversations.set_state(conv, "handoff", assignee_id=other.id)  # reassigned meanwhile
    typed = await engine.staff_hook(ChatEvent(**ev, text=f"bí mật {me}"))
    assert typed and typed[0].text == "Cuộc trò chuyện này không còn nữa."
    assert not await ConversationMessage.filter(text__contains=me).exists()
    assert not await OutboxMessage.filter(chat_id=f"psid-{me}").exists()
    for payload in (f"hc:{conv.id}", f"hb:{conv.id}", "hr:²", "hr:" + "9" * 60, "hc:-1"):
        gone = await engine.staff_hook(ChatEvent(**ev, payload=payload))
        assert gone and gone[0].text == "Cuộc trò chuyện này không còn nữa."
    fresh = await conversations.get_conversation(conv.id)
    assert fresh is not None and fresh.state == "handoff" and fresh.assignee_id == other.id


def test_clean_inbound_and_record_id() -> None:
    assert clean_inbound("a\x00b\ud800c\udfff\td\n") == "abc\td\n"
    assert clean_inbound(None) is None
    assert len(clean_inbound("x" * 50_000) or "") == 20_000
    assert clean_inbound("Nguyễn Thị Lan 🙂") == "Nguyễn Thị Lan 🙂"
    assert [record_id(v) for v in ("12", "²", "9" * 4400, "0", "-3", "2147483648", "", None)] == [
        12, None, None, None, None, None, None, None,
    ]  # fmt: skip


def test_long_log_messages_are_truncated(caplog: pytest.LogCaptureFixture) -> None:
    logcap.install()
    with caplog.at_level(logging.INFO, logger="spacrm.test"):
        logging.getLogger("spacrm.test").info("unknown update: %s", "U" * 5_000_000)
    (record,) = [r for r in caplog.records if r.name == "spacrm.test"]
    assert len(record.getMessage()) < 2100 and "chars)" in record.getMessage()


_LEGACY = """
import asyncio, sys
from tortoise import connections
from spacrm.core.db import init_db, close_db
from spacrm.core.migrations import __name__ as pkg
import importlib
m = importlib.import_module(pkg + ".0006_unique_identifiers")

class Editor:
    client = None

async def main(url):
    await init_db(url)
    conn = connections.get("default")
    from spacrm.core.models import CustomerKey, Lead
    for name, phone, email in (("A", "0912000001", "x@e.vn"), ("B", "0912000001", "x@e.vn"),
                               ("C", "0912000002", None)):
        await Lead.create(name=name, name_key=name.lower(), phone=phone, email=email, owner_id=1)
    await CustomerKey.all().delete()  # as before 0006: the leads hold duplicates, no keys
    Editor.client = conn
    await m.forward(None, Editor)
    rows = await conn.execute_query_dict(
        "SELECT k.kind, l.name FROM customer_key k JOIN lead l ON l.id = k.lead_id ORDER BY k.kind, l.name")
    print(sorted((r["kind"], r["name"]) for r in rows))
    await close_db()

asyncio.run(main(sys.argv[1]))
"""


def test_migration_0006_keeps_old_duplicates_and_gives_the_key_to_the_oldest(
    tmp_path: Path,
) -> None:
    url = f"sqlite://{tmp_path / 'legacy.sqlite3'}"
    out = subprocess.run(
        [sys.executable, "-c", _LEGACY, url], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert "[('email', 'A'), ('phone', 'A'), ('phone', 'C')]" in out.stdout
    assert "shared by several leads" in out.stderr


def test_zalo_staff_numbered_choice_ignores_odd_digits() -> None:
    from spacrm.adapters.zalo.render import payload_for_choice

    buttons = [[("Xem", "lc:1"), ("Gọi", "lg:1")]]
    assert payload_for_choice(buttons, " 2. ") == "lg:1"
    for odd in ("²", "١", "9" * 4400, "0", "3", "-1"):
        assert payload_for_choice(buttons, odd) is None


async def test_a_legacy_duplicate_stays_editable_but_cannot_take_a_held_phone(
    personas: dict[str, Actor],
) -> None:
    """Two leads sharing a phone from before migration 0006: the newer one keeps working (a name
    edit re-indexes it), yet no lead can newly take a phone another lead holds."""
    from spacrm.core.errors import DomainError
    from spacrm.core.models import CustomerKey, Lead, SearchEntry
    from spacrm.core.permissions import Ownership
    from spacrm.core.services.lead_edits import edit_lead
    from spacrm.core.services.leads import create_lead
    from tests.conftest import new_phone

    actor = personas["st_q1a1"]
    phone = new_phone()
    first = await create_lead(actor, name="Cũ Một", phone=phone)
    legacy = await Lead.create(
        name="Cũ Hai", name_key="cu hai", phone=phone, **Ownership.of(first).columns()
    )
    await SearchEntry.create(  # its index row as it was before 0006 (no key)
        kind="lead", ref_id=legacy.id, name_key="cu hai", phone=phone, phone_rev=phone[::-1],
        **Ownership.of(first).columns(),
    )  # fmt: skip
    edited = await edit_lead(actor, lead_id=legacy.id, field="name", value="Cũ Hai Sửa")
    assert edited.lead.name == "Cũ Hai Sửa"
    assert await CustomerKey.filter(kind="phone", value=phone).values_list(
        "lead_id", flat=True
    ) == [first.id]
    other = await create_lead(actor, name="Mới", phone=new_phone())
    with pytest.raises(DomainError):
        await edit_lead(actor, lead_id=other.id, field="phone", value=phone)
