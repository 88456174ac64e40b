"""What the customer chatbot says about appointments (#9): reminders, confirmations, booking.
Customers read Vietnamese; the spa's voice ("Dạ", "quý khách") as in texts.py."""

from __future__ import annotations

BOOKING = {
    "remind": "⏰ Dạ spa nhắc lịch hẹn của quý khách: {when} — {service} tại {branch}. Quý khách "
    "trả lời “xác nhận” để giữ lịch giúp em; cần đổi hay hủy lịch quý khách cứ nhắn em nha ạ.",
    "btn_confirm": "✅ Xác nhận",
    "confirmed": "Dạ em đã xác nhận lịch {when} — {service} của quý khách. Hẹn gặp quý khách ạ!",
    "desk_confirmed": "☑️ {name} đã xác nhận lịch {when} · {service} (qua {channel}).",
    "desk_reached": "💬 Đã nhắn nhắc khách qua {channel}.",
}
