"""Roles, users, stations, the audit log and shared settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, JSONType, utcnow


class RoleRow(Base):
    """The roles of app.domain.users.Role; permissions per role live in the domain."""

    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(ForeignKey("roles.code"))
    #: argon2id hash; never a plain password
    password_hash: Mapped[str] = mapped_column(String(200))
    #: personal badge barcode, scanned at log-in with a short PIN
    badge_code: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    pin_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Station(Base):
    """One PC with its devices; device settings are kept here so they survive restarts."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"), nullable=True)
    devices: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    last_seen_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: the Packdesk version this station last ran (a shared upgrade waits for older stations)
    app_version: Mapped[str] = mapped_column(String(32), default="", server_default="")


class LoginThrottle(Base):
    """Failed log-ins per user name or badge (known or not): wait times grow after 5."""

    __tablename__ = "login_throttle"

    #: "user:<name>" or "badge:<code>", case-folded
    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_failure_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AuditEntry(Base):
    """Every state change: who, which station, when, what, before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class SettingRow(Base):
    """Warehouse-wide settings shared by all stations (rule thresholds, policies)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
