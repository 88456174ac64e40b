"""What the LLM is told. Only the retrieved pairs and the spa's facts: nothing else to draw from."""

from __future__ import annotations

from spacrm.knowledge.qa import QAPair

HANDOFF_TOKEN = "HANDOFF"

ANSWER_SYSTEM = f"""Bạn là nhân viên chăm sóc khách hàng của một spa ở Việt Nam, trả lời tin nhắn của khách.
Quy tắc:
- Chỉ dùng thông tin trong phần "Thông tin của spa" và "Hỏi đáp đã huấn luyện" được cung cấp.
- Không bao giờ tự đặt ra giá, giờ, số buổi, khuyến mãi hay lời hứa không có trong các văn bản đó.
- Trả lời bằng tiếng Việt, giọng lễ phép kiểu miền Nam: mở đầu bằng "Dạ", kết thúc bằng "ạ";
  xưng "em", gọi khách theo cách khách tự xưng (anh/chị), nếu không rõ thì gọi "anh/chị".
- Ngắn gọn, một đoạn, không dùng markdown.
- Nếu các văn bản không trả lời được câu hỏi, hoặc khách muốn gặp người thật, chỉ trả lời đúng
  một từ: {HANDOFF_TOKEN}"""


def answer_prompt(question: str, pairs: list[QAPair], facts: str) -> str:
    lines = ["Thông tin của spa:", facts.strip() or "(không có)", "", "Hỏi đáp đã huấn luyện:"]
    for pair in pairs:
        lines += [f"Hỏi: {pair.question}", f"Đáp: {pair.answer}", ""]
    lines += ["Câu hỏi của khách:", question.strip()]
    return "\n".join(lines)


VARIANTS_SYSTEM = """Bạn giúp một spa ở Việt Nam huấn luyện chatbot. Cho một câu hỏi của khách, viết
các cách hỏi khác cùng ý mà khách hay nhắn: có dấu và không dấu, viết tắt kiểu chat (bn, ko, dc,
ck...), từ đồng nghĩa. Mỗi dòng một câu, không đánh số, không giải thích."""


def variants_prompt(question: str, n: int) -> str:
    return f"Viết {n} cách hỏi khác cho câu: {question.strip()}"


CONFIRM_SYSTEM = """Bạn kiểm tra chatbot của một spa ở Việt Nam trước khi nó trả lời khách. Cho câu hỏi
của khách và vài cặp hỏi–đáp đã huấn luyện (mỗi cặp có Mã), chọn cặp mà câu Đáp của nó trả lời
ĐÚNG điều khách hỏi (đúng dịch vụ, đúng điều được hỏi: giá, thời gian, kiêng cữ, địa chỉ...).
Nếu không cặp nào trả lời đúng, hoặc câu hỏi không liên quan tới spa, trả pair_id = null.
Chỉ trả về JSON theo schema."""

CONFIRM_SCHEMA: dict[str, object] = {
    "type": "OBJECT",
    "properties": {"pair_id": {"type": "STRING", "nullable": True}},
    "required": ["pair_id"],
}


def confirm_prompt(question: str, pairs: list[QAPair]) -> str:
    lines = ["Các cặp hỏi–đáp:"]
    for pair in pairs:
        lines += [f"Mã: {pair.id}", f"Hỏi: {pair.question}", f"Đáp: {pair.answer}", ""]
    lines += ["Câu hỏi của khách:", question.strip()]
    return "\n".join(lines)
