"""Customer chatbot: the connected pages/OAs, customer conversations, the trained Q&A."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class CustomerChannel(Model):
    """A Facebook page or the Zalo OA the spa connected. Tokens are secrets: never logged."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=12)  # facebook zalo
    external_id = fields.CharField(max_length=80)  # page id / OA id
    name = fields.CharField(max_length=120, default="")
    access_token = fields.TextField()  # page token / OA access token
    refresh_token = fields.TextField(null=True)  # Zalo: single-use, replaced on every refresh
    token_expires_at = fields.DatetimeField(null=True)
    app_id = fields.CharField(max_length=80, null=True)
    secret_key = fields.TextField(null=True)  # Zalo OA secret key (webhook mac)
    assignees: list[int] = fields.JSONField(default=list)  # user ids, round-robin order
    rr_cursor = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "customer_channel"
        unique_together = (("kind", "external_id"),)


class Conversation(Model):
    """One customer on one channel account (a PSID on a page, a Zalo user on the OA, a widget
    session)."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=12)  # facebook zalo widget
    account_ref = fields.CharField(max_length=80)
    customer_ref = fields.CharField(max_length=120)
    display_name = fields.CharField(max_length=120, null=True)
    phone = fields.CharField(max_length=15, null=True)
    lead_id = fields.IntField(null=True)
    assignee_id = fields.IntField(null=True)
    state = fields.CharField(max_length=10, default="bot")  # bot handoff closed
    last_customer_at = fields.DatetimeField(null=True)
    last_customer_msg_id = fields.CharField(max_length=120, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "conversation"
        unique_together = (("channel", "account_ref", "customer_ref"),)


class ConversationMessage(Model):
    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="messages", on_delete=fields.CASCADE
    )
    author = fields.CharField(max_length=10)  # customer bot staff
    staff_id = fields.IntField(null=True)
    text = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "conversation_message"


class QARecord(Model):
    """A trained question/answer pair (what `spacrm kb import` writes)."""

    id = fields.CharField(max_length=80, primary_key=True)
    question = fields.TextField()
    answer = fields.TextField()
    variants: list[str] = fields.JSONField(default=list)
    approved = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "qa_record"
        # "Has the Q&A changed" is asked on every customer message (kb.approved_version)
        # and the console pages the pairs by id (kb_edit.page_pairs).
        indexes = (("approved", "updated_at"), ("approved", "id"))


class VariantSuggestion(Model):
    """A phrasing suggested (by Gemini) for a Q&A pair, counted only once staff approve it."""

    id = fields.IntField(primary_key=True)
    qa_id = fields.CharField(max_length=80, db_index=True)
    text = fields.TextField()
    status = fields.CharField(max_length=10, default="pending")  # pending approved rejected
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "variant_suggestion"


class StaffReplyTarget(Model):
    """After "Trả lời", the staff member's next typed text goes to this conversation."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=20)  # the staff member's chat channel
    chat_id = fields.CharField(max_length=80)
    conversation_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_reply_target"
        unique_together = (("channel", "chat_id"),)


class UnansweredQuestion(Model):
    """A customer question the bot handed off or answered with low confidence (issue 7): kept so
    staff can turn it into a new Q&A pair or a variant of an existing one."""

    id = fields.IntField(primary_key=True)
    text = fields.TextField()
    channel = fields.CharField(max_length=12, default="")
    conversation_id = fields.IntField(null=True)
    confidence = fields.FloatField(default=0.0)
    best_match = fields.CharField(max_length=80, null=True)  # the pair answered / nearest
    handed_off = fields.BooleanField(default=True)
    status = fields.CharField(max_length=10, default="open", db_index=True)  # open taught dismissed
    taught_pair_id = fields.CharField(max_length=80, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "unanswered_question"


class QAEmbedding(Model):
    """A Q&A pair's embedding by one model (Gemini), cached. The text hash tells when the pair
    changed and must be embedded again."""

    id = fields.IntField(primary_key=True)
    pair_id = fields.CharField(max_length=80, db_index=True)
    model = fields.CharField(max_length=80)
    text_hash = fields.CharField(max_length=64)
    vector: list[float] = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "qa_embedding"
        unique_together = (("pair_id", "model"),)
