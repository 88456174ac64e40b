"""Routing a reply to the thread of the message it quotes, whether or not the send has returned."""

from __future__ import annotations

import uuid

from spacrm.core.services import outbox


def chat() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


async def test_reply_to_a_message_still_in_flight_is_matched_by_its_text(db: str) -> None:
    c = chat()
    await outbox.enqueue("telegram", c, {"text": "Khách A hỏi giá"}, thread_ref="conv:1")
    row_b = await outbox.enqueue(
        "telegram", c, {"text": "Khách B muốn gặp nhân viên"}, thread_ref="conv:2"
    )
    await outbox.enqueue("telegram", c, {"text": "Không thuộc luồng nào"})
    assert (
        await outbox.thread_of("telegram", c, "900", text="Khách B muốn gặp nhân viên") == "conv:2"
    )
    assert await outbox.thread_of("telegram", c, "900", text="Khách A hỏi giá") == "conv:1"
    # Without the quoted text, or quoting something else, nothing is guessed.
    assert await outbox.thread_of("telegram", c, "900") is None
    assert await outbox.thread_of("telegram", c, "900", text="Không thuộc luồng nào") is None
    assert await outbox.thread_of("telegram", "other-chat", "900", text="Khách A hỏi giá") is None
    # Once sent, the provider id decides, and the text no longer matters.
    await outbox.mark_sent(row_b, "901")
    assert await outbox.thread_of("telegram", c, "901") == "conv:2"
    assert await outbox.thread_of("telegram", c, "902", text="Khách B muốn gặp nhân viên") is None


async def test_failed_sends_are_never_replied_to(db: str) -> None:
    c = chat()
    row = await outbox.enqueue(
        "telegram", c, {"text": "Chuyển cho bạn: chị Lan"}, thread_ref="conv:3"
    )
    await outbox.mark_failed(row, "blocked")
    assert await outbox.thread_of("telegram", c, "5", text="Chuyển cho bạn: chị Lan") is None


async def test_a_split_message_is_matched_by_the_part_replied_to(db: str) -> None:
    c = chat()
    await outbox.enqueue(
        "telegram", c, {"text": "phần một\n" + "x" * 50 + "\nphần hai"}, thread_ref="conv:4"
    )
    assert await outbox.thread_of("telegram", c, "7", text="phần hai") == "conv:4"
