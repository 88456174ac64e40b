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
    # booking from the chatbot
    "ask_service": "Dạ quý khách muốn đặt lịch dịch vụ nào ạ? (ví dụ: triệt lông nách, chăm sóc da)",
    "offer": "Dạ {service} {day} còn các giờ trống sau, quý khách chọn giúp em (bấm hoặc gõ giờ, "
    "hoặc số thứ tự) ạ:",
    "taken": "Dạ giờ đó vừa có khách khác đặt mất rồi ạ.",
    "no_slot": "Dạ {service} trong 7 ngày tới đã kín lịch ạ. Em chuyển nhân viên liên hệ xếp lịch "
    "cho quý khách nha.",
    "ask_phone": "Dạ quý khách cho em xin số điện thoại để em giữ lịch {label} ạ.",
    "ask_name_phone": "Dạ quý khách cho em xin tên và số điện thoại để em giữ lịch {label} ạ "
    "(ví dụ: tên Lan, 0912 345 678).",
    "booked": "✅ Dạ em đã đặt lịch {service} lúc {when} tại {branch} cho quý khách. Spa sẽ nhắn "
    "nhắc lịch trước giờ hẹn, hẹn gặp quý khách ạ!",
    "cancelled": "Dạ vâng, em chưa đặt lịch nào ạ. Khi cần quý khách cứ nhắn em nha.",
    "desk_booked": "📅 Khách tự đặt lịch qua {channel}: {name} {phone} · {service} · {when} · KTV "
    "{tech}",
    "btn_desk_confirm": "☑️ Xác nhận",
    "ask_cancel": "Dạ quý khách muốn hủy lịch {when} — {service} phải không ạ? Quý khách trả lời "
    "“đúng” để em hủy giúp nha.",
    "btn_cancel_yes": "Đúng, hủy lịch",
    "cancelled_appt": "Dạ em đã hủy lịch {when} — {service} cho quý khách. Khi cần quý khách cứ "
    "nhắn em đặt lại nha ạ.",
    "kept": "Dạ vâng, em giữ nguyên lịch {when} cho quý khách ạ.",
    "moved": "✅ Dạ em đã dời lịch {service} của quý khách sang {when}. Hẹn gặp quý khách ạ!",
    "no_appt": "Dạ em chưa thấy lịch hẹn nào sắp tới của quý khách ạ. Quý khách muốn đặt lịch mới "
    "thì cứ nhắn em dịch vụ và giờ mong muốn nha.",
    "desk_cancelled": "✖️ Khách tự hủy lịch qua {channel}: {name} · {service} · {when}",
    "desk_moved": "🔁 Khách tự dời lịch qua {channel}: {name} · {service} → {when}",
    "failed": "Dạ em chưa giữ được giờ này ạ. Nhân viên sẽ gọi quý khách để xếp lịch ngay ạ.",
    "desk_failed": "📞 Khách {name} {phone} muốn đặt {service} lúc {label} qua chatbot nhưng chưa "
    "đặt được — gọi xếp lịch giúp khách nhé.",
    # Zalo OA text has no buttons: the reminder ends with numbered answers (#9).
    "remind_numbers": "⏰ Dạ spa nhắc lịch hẹn của quý khách: {when} — {service} tại {branch}.\n"
    "Quý khách trả lời giúp em:\n1 — xác nhận giữ lịch\n2 — đổi giờ\n3 — hủy lịch",
    "ask_new_time": "Dạ quý khách muốn đổi lịch {when} — {service} ạ.",
    # custqa: why the asked time is not offered, and "để em sắp xếp rồi báo lại".
    "outside_hours": "Dạ spa nhận khách từ {hours} ạ.",
    "closed_day": "Dạ {day} spa nghỉ ạ.",
    "wish_taken": "Dạ {time} {day} đã kín lịch ạ.",
    "later": "Dạ vâng ạ, khi nào quý khách sắp xếp được thời gian cứ nhắn em giữ lịch nha ạ.",
}

# English, for customers who write English (custqa); keys missing here are said in Vietnamese.
BOOKING_EN = {
    "ask_service": "Which treatment would you like to book? (for example: underarm hair removal, "
    "basic facial)",
    "offer": "{service} on {day}: these times are free. Please pick one (tap it, type the time "
    "or its number):",
    "taken": "Sorry, that time has just been taken by another guest.",
    "no_slot": "Sorry, {service} is fully booked for the next 7 days. A staff member will contact "
    "you to find a time.",
    "ask_phone": "May I have your phone number to hold {label} for you?",
    "ask_name_phone": "May I have your name and phone number to hold {label} for you? (for "
    "example: Anna, 0912 345 678)",
    "booked": "✅ You are booked: {service} at {when}, {branch}. We will send you a reminder "
    "before your appointment. See you soon!",
    "cancelled": "All right, nothing has been booked. Message us any time you need.",
    "ask_cancel": "Do you want to cancel {when} — {service}? Reply “yes” and I will cancel it.",
    "btn_cancel_yes": "Yes, cancel",
    "cancelled_appt": "Your appointment {when} — {service} is cancelled. Message us any time to "
    "book again.",
    "kept": "All right, your appointment {when} stays as it is.",
    "moved": "✅ Your {service} is moved to {when}. See you then!",
    "no_appt": "I cannot find an upcoming appointment for you. To book, just tell me the treatment "
    "and the time you would like.",
    "failed": "Sorry, I could not hold this time. A staff member will call you to arrange it.",
    "ask_new_time": "You would like to change {when} — {service}.",
    "confirmed": "Your appointment {when} — {service} is confirmed. See you soon!",
    "outside_hours": "We welcome guests from {hours}.",
    "closed_day": "We are closed on {day}.",
    "wish_taken": "{time} on {day} is already booked.",
    "later": "All right. Whenever you are ready, just message us and we will hold a time for you.",
}

# custqa: a booking for several people (one appointment each, same time).
BOOKING.update(
    {
        "offer_party": "Dạ {service} cho {n} người {day} còn các giờ trống sau, quý khách chọn giúp em "
        "(bấm hoặc gõ giờ, hoặc số thứ tự) ạ:",
        "booked_party": "✅ Dạ em đã đặt lịch {service} cho {n} người lúc {when} tại {branch}. Spa sẽ "
        "nhắn nhắc lịch trước giờ hẹn, hẹn gặp quý khách ạ!",
        "note_party": "Khách tự đặt qua chatbot ({n} người)",
        "desk_party": " · {n} người",
    }
)
BOOKING_EN.update(
    {
        "offer_party": "{service} for {n} people on {day}: these times are free. Please pick one (tap "
        "it, type the time or its number):",
        "booked_party": "✅ You are booked: {service} for {n} people at {when}, {branch}. We will send "
        "you a reminder before your appointment. See you soon!",
    }
)
BOOKING_EN.update(
    {
        "remind": "⏰ A reminder of your appointment: {when} — {service} at {branch}. Reply “confirm” to "
        "keep it; to change or cancel it, just message us.",
        "remind_numbers": "⏰ A reminder of your appointment: {when} — {service} at {branch}.\n"
        "Please reply:\n1 — confirm\n2 — change the time\n3 — cancel",
        "btn_confirm": "✅ Confirm",
    }
)

# custqa: which of several services; "hủy lịch" from a chat without a phone yet.
BOOKING.update(
    {
        "which_service": "Dạ quý khách muốn đặt dịch vụ nào ạ?",
        "ask_phone_change": "Dạ quý khách cho em xin số điện thoại đã đặt lịch để em kiểm tra lịch "
        "hẹn giúp mình ạ.",
    }
)
BOOKING_EN.update(
    {
        "which_service": "Which of these would you like?",
        "ask_phone_change": "May I have the phone number you booked with, so I can find your "
        "appointment?",
    }
)
