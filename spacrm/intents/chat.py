"""Channel-neutral chat events and replies: what every adapter turns its wire format into and out of."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacrm.core.textnorm import clean_inbound

MAX_PAYLOAD_BYTES = 64  # Telegram's callback_data limit; every channel obeys the strictest one.


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    payload: str

    def __post_init__(self) -> None:
        if len(self.payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"button payload over {MAX_PAYLOAD_BYTES} bytes: {self.payload!r}")


@dataclass(slots=True)
class Reply:
    """One message to show. `edit` asks the channel to replace the message a button was pressed on."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    image: bytes | None = None
    image_name: str = "image.png"
    document: bytes | None = None
    document_name: str = "file.bin"
    # Images and documents to show with the text: (file name, bytes, MIME type). Channels that
    # can send one photo and one document per message take the first of each.
    files: list[tuple[str, bytes, str]] = field(default_factory=list)
    edit: bool = False
    toast: str | None = None
    # Set by the handoff flow so a staff member's reply to this message reaches the customer.
    thread_ref: str | None = None

    def all_files(self) -> list[tuple[str, bytes, str]]:
        """`image`/`document` and `files` as one list (the older fields come first)."""
        out: list[tuple[str, bytes, str]] = []
        if self.image is not None:
            out.append((self.image_name, self.image, "image/png"))
        if self.document is not None:
            out.append((self.document_name, self.document, "application/octet-stream"))
        return out + list(self.files)


@dataclass(slots=True)
class ChatEvent:
    """One inbound message or button press, whatever the channel."""

    channel: str  # "telegram", "zalo", "terminal", "facebook", "widget"
    external_user_id: str
    chat_id: str
    text: str | None = None
    payload: str | None = None
    event_id: str | None = None  # provider id, for idempotency
    message_id: str | None = None
    reply_to_message_id: str | None = None
    reply_to_text: str | None = None  # the replied-to message's text, as the provider echoes it
    display_name: str | None = None
    attachments: list[str] = field(default_factory=list)  # kinds: "image", "sticker", ...
    account_ref: str | None = None  # page id / OA id the customer wrote to

    def __post_init__(self) -> None:
        # The one place every adapter's input passes: NUL bytes, lone surrogates and huge fields
        # stop here (core/textnorm.clean_inbound), whatever the channel.
        self.text = clean_inbound(self.text)
        self.payload = clean_inbound(self.payload, 256)
        self.reply_to_text = clean_inbound(self.reply_to_text)
        self.display_name = clean_inbound(self.display_name, 120)
        self.external_user_id = clean_inbound(self.external_user_id, 120) or ""
        self.chat_id = clean_inbound(self.chat_id, 80) or ""
        for name in ("event_id", "message_id", "reply_to_message_id", "account_ref"):
            setattr(self, name, clean_inbound(getattr(self, name), 120))
