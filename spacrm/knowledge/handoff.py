"""Recognise a customer asking for a human ("cho gặp nhân viên", "admin ơi")."""

from __future__ import annotations

import re

from spacrm.core.textnorm import fold_words

HANDOFF_TEXT = (
    "Dạ em đã chuyển câu hỏi cho nhân viên tư vấn, anh/chị vui lòng chờ trong giây lát ạ."
)

# Folded. An explicit request for a person anywhere in the message.
_ASKS_FOR_PERSON = re.compile(
    r"\b(gap|noi chuyen voi|chat voi|goi cho|ket noi voi|chuyen cho|can|muon gap)"
    # "chuyển cho người thân" passes a package on; it asks for nobody.
    r" (nhan vien|nv|nguoi that|nguoi(?! than| khac| nha| quen| yeu| ban)|quan ly|chu|admin|ad"
    r"|tu van vien|le tan|bac si)\b"
    r"|\bnguoi that\b|\btu van vien\b|\bnhan vien tu van\b|\bnguoi tu van\b"
    r"|\bcho gap\b|\bgap quan ly\b"
    # English: "can I talk to a real person", "speak with your staff".
    r"|\b(?:talk|speak|chat) (?:to|with) (?:a |an |the |your |some )?(?:real |human )?"
    r"(?:person|human|staff|someone|somebody|consultant|manager|agent)\b|\breal person\b"
)
# Just calling out ("admin ơi", "shop ơi") with nothing else is asking someone to come.
_CALLS_OUT = re.compile(
    r"^(?:(?:admin|ad|shop|spa|nhan vien|nv|tiem|le tan|alo|oi|co ai khong)\s*)+$"
)


def asks_for_person(text: str) -> bool:
    folded = fold_words(text[:500])
    return bool(_ASKS_FOR_PERSON.search(folded) or (folded and _CALLS_OUT.match(folded)))
