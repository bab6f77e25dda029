"""Customer notices: the outbox of e-mails to send (one per order and kind) and the shop's own
wording of each notice (the defaults live in ``app.domain.notices``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, personal, utcnow


class Notice(Base):
    """One e-mail to a customer: rendered when queued, so the outbox shows what is sent."""

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("order_id", "kind"),
        Index("ix_notices_status_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    #: shipped | delivered
    kind: Mapped[str] = mapped_column(String(16))
    #: en | zh
    language: Mapped[str] = mapped_column(String(8))
    to_address: Mapped[str] = mapped_column(String(200), **personal())
    subject: Mapped[str] = mapped_column(String(300))
    #: greets the customer by name
    body: Mapped[str] = mapped_column(Text, **personal())
    #: waiting | sending | sent | failed | cancelled
    status: Mapped[str] = mapped_column(String(16))
    #: sends tried (a retry after a failure counts again)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: a waiting notice is sent from then on
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: why the last send failed, or why the notice was cancelled, in plain words
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: the same as its English template and values, for screens in other languages
    error_template: Mapped[str] = mapped_column(Text, default="")
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: the e-mail's Message-ID, made when it is first claimed and kept for a resend
    message_id: Mapped[str] = mapped_column(String(200), default="")


class NoticeTemplate(Base):
    """The shop's wording of one notice in one language (no row: the default)."""

    __tablename__ = "notice_templates"
    __table_args__ = (UniqueConstraint("kind", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
