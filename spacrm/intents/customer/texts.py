"""What the customer bot says (polite southern-spa register, UX.md) and what staff see about it."""

from __future__ import annotations

CUSTOMER = {
    "handoff": "Dạ câu này em xin phép chuyển cho nhân viên tư vấn, quý khách chờ em một chút, "
    "nhân viên sẽ trả lời mình ngay ạ.",
    "handoff_human": "Dạ vâng, em đã báo nhân viên tư vấn, quý khách chờ một chút, nhân viên "
    "sẽ nhắn lại cho mình ngay ạ.",
    "complaint": "Dạ spa thành thật xin lỗi quý khách về trải nghiệm chưa tốt này. Em đã ghi nhận "
    "và chuyển ngay cho quản lý, nhân viên sẽ liên hệ quý khách sớm nhất ạ.",
    "phone_saved": "Dạ em đã ghi nhận số điện thoại {phone}. Nhân viên tư vấn sẽ liên hệ quý "
    "khách trong thời gian sớm nhất ạ.",
    "non_text": "Dạ em đã nhận được {what} của quý khách ạ. Hiện em chỉ đọc được tin nhắn chữ, "
    "quý khách cần tư vấn gì cứ nhắn cho em nha.",
    "empty": "Dạ quý khách cần spa hỗ trợ gì ạ? Quý khách cứ nhắn câu hỏi cho em nha.",
    "sorry": "Dạ hệ thống của spa đang bận một chút, em đã ghi nhận tin nhắn, nhân viên sẽ trả lời "
    "quý khách sớm nhất ạ.",
    "staff_closed": "Dạ cảm ơn quý khách đã nhắn tin cho spa. Nếu cần thêm gì quý khách cứ nhắn "
    "em nha ạ.",
    # sec (issue 13): the public widget's rate limit
    "too_fast": "Dạ quý khách nhắn hơi nhanh, em chưa kịp ghi nhận. Quý khách đợi ít phút rồi nhắn "
    "lại giúp em, hoặc gọi hotline của spa nha ạ.",
    # issue 7: a likely pair offered to confirm before its answer is sent
    "offer": "Trong lúc chờ, nếu quý khách đang hỏi “{question}” thì bấm “Xem câu trả lời” (hoặc "
    "nhắn “đúng”) để xem ngay ạ.",
    "offer_yes": "📖 Xem câu trả lời",
}

ATTACHMENT_NAMES = {
    "sticker": "nhãn dán",
    "image": "hình ảnh",
    "photo": "hình ảnh",
    "gif": "ảnh động",
    "audio": "tin nhắn thoại",
    "voice": "tin nhắn thoại",
    "video": "video",
    "file": "tệp",
    "location": "vị trí",
}

CHANNEL_NAMES = {"facebook": "Facebook", "zalo": "Zalo OA", "widget": "Website"}

STAFF = {
    "handoff": "💬 Khách cần nhân viên trả lời ({channel})\n👤 {name}{phone}\n{why}\n\n{history}\n\n"
    "↩️ Trả lời tin nhắn này để nhắn cho khách.",
    # The last line of "handoff" on Telegram, and what replaces it on the Zalo staff bot.
    "tg_hint": "↩️ Trả lời tin nhắn này để nhắn cho khách.",
    "zalo_hint": "↩️ Gõ số của “Trả lời” rồi gõ nội dung để nhắn cho khách.",
    "why_unsure": "Bot chưa chắc câu trả lời.",
    "why_human": "Khách muốn nói chuyện với nhân viên.",
    "why_complaint": "⚠️ Khách phàn nàn: đã mở vụ việc #{case_id}.",
    "forward": "💬 {name} ({channel}): {text}",
    # issue 7: she took the answer offered with the hand-off
    "offer_taken": "📖 Khách đã bấm xem câu trả lời có sẵn cho “{question}” và bot đã gửi. Nếu khách "
    "không hỏi thêm, bạn có thể bấm Đóng hoặc Trả cho bot.",
    "new_lead": "🆕 Khách tiềm năng mới từ {channel}: {name} ({phone}). Bạn phụ trách khách này.",
    "linked_lead": "🔗 Khách {name} ({phone}) trên {channel} trùng với khách đã có, đã liên kết.",
    "sent": "✅ Đã gửi cho khách.",
    "type_reply": "✍️ Nhập câu trả lời cho {name}, tin nhắn tiếp theo của bạn sẽ gửi cho khách "
    "(gõ “hủy” nếu đổi ý).",
    "reply_cancelled": "Đã hủy trả lời, không có gì được gửi cho khách.",
    "closed": "✅ Đã đóng cuộc trò chuyện với {name}.",
    "to_bot": "🤖 Đã trả {name} cho bot trả lời.",
    "gone": "Cuộc trò chuyện này không còn nữa.",
    "outside_window": "⚠️ Chưa gửi được tin cho {name} trên {channel}: {reason}",
    "fb_window": "khách nhắn lần cuối quá 7 ngày, Facebook chỉ cho trả lời khi khách nhắn lại.",
    "zalo_window": "ngoài khung trả lời của Zalo OA (48 giờ / 8 tin sau tin cuối của khách). "
    "Hãy gọi khách hoặc chờ khách nhắn lại.",
    "failed": "lỗi từ {channel} ({reason}).",
    "btn_reply": "Trả lời",
    "btn_close": "Đóng",
    "btn_bot": "Trả cho bot",
    "btn_card": "Xem khách",
    "btn_case": "Xem vụ việc #{id}",
    "customer": "Khách",
    "bot": "Bot",
    "staff": "NV",
    # Issue 7: who was told, and why them (the channel names nobody: front desk, else managers).
    "told_assignee": "📌 Giao cho {who} (phụ trách kênh này).",
    "told_front_desk": "📌 Giao cho {who} (lễ tân, vì kênh này chưa có người phụ trách).",
    "told_manager": "📌 Giao cho {who} (quản lý, vì kênh này chưa có người phụ trách và "
    "chưa có lễ tân nhận tin).",
}

# English, for customers who write English (custqa); keys missing here are said in Vietnamese.
CUSTOMER_EN = {
    "handoff": "Let me pass this to one of our consultants; they will reply to you shortly.",
    "handoff_human": "Sure, I have let our staff know; someone will reply to you shortly.",
    "complaint": "We are truly sorry about this experience. I have passed it to the manager and "
    "someone will contact you as soon as possible.",
    "phone_saved": "Thank you, I have noted your phone number {phone}. Our staff will contact you "
    "soon.",
    "non_text": "I received your {what}. I can only read text for now: please type what you need.",
    "empty": "How can we help you? Just type your question.",
    "sorry": "Our system is a little busy; your message is saved and our staff will reply soon.",
    "staff_closed": "Thank you for messaging us. Message us again any time.",
    "hello": "Hello! Welcome to our spa. How can I help you? You can ask about our treatments or "
    "book an appointment here.",
    "thanks": "You are welcome! Message us any time.",
    "offer": "Meanwhile, if you are asking “{question}”, tap “See the answer” (or type “yes”) to "
    "read it now.",
    "offer_yes": "📖 See the answer",
}

# custqa: a phone number with a digit missing or extra.
CUSTOMER["phone_check"] = (
    "Dạ số điện thoại {digits} có vẻ chưa đúng (thiếu hoặc thừa số), quý khách kiểm tra lại giúp "
    "em nha ạ."
)
CUSTOMER_EN["phone_check"] = (
    "The phone number {digits} looks incomplete; could you check it for me, please?"
)
