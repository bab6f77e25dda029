"""The notices' settings: the mail server, the templates (validated, audited), the carriers'
tracking links, and the customers' and channels' opt-outs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select

from app.db.models import Channel, Customer, NoticeTemplate, SettingRow, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.notices import (
    DEFAULT_TEMPLATES,
    KIND_LANGUAGES,
    SmtpSettings,
    Template,
    check_template,
)
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.notice_store import (
    SMTP_KEY,
    TRACKING_URLS_KEY,
    put_setting,
    smtp_settings_in,
    templates_in,
    tracking_urls_in,
)

#: what the settings show instead of a saved password
HIDDEN = "********"


@dataclass(frozen=True)
class TemplateView:
    kind: str
    language: str
    subject: str
    body: str
    #: the shop saved its own wording (False: the default)
    own: bool
    updated_at: datetime | None


@reads
def get_smtp_settings(uow: UnitOfWork, actor: Actor) -> SmtpSettings:
    """The mail server settings, the password hidden."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        s = smtp_settings_in(uow.session)
        return replace(s, password=HIDDEN if s.password else "")


@writes(Permission.MANAGE_SETTINGS)
def save_smtp_settings(
    uow: UnitOfWork,
    actor: Actor,
    *,
    host: str,
    port: int,
    starttls: bool,
    user: str,
    password: str,
    from_address: str,
    from_name: str = "",
    enabled: bool = True,
    ca_file: str = "",
) -> SmtpSettings:
    """Save the mail server; ``password`` HIDDEN keeps the saved one. Audited (never the
    password)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        old = smtp_settings_in(uow.session)
        new = SmtpSettings(
            enabled=enabled,
            host=host.strip(),
            port=port,
            starttls=starttls,
            user=user.strip(),
            password=old.password if password == HIDDEN else password,
            from_address=from_address.strip(),
            from_name=from_name.strip(),
            ca_file=ca_file.strip(),
            timeout=old.timeout,
        )
        new.check()
        put_setting(uow.session, SMTP_KEY, new.to_json())
        uow.audit(
            actor,
            "settings.notices_smtp",
            "setting",
            SMTP_KEY,
            before=_shown(old),
            after=_shown(new),
        )
        uow.commit()
        return replace(new, password=HIDDEN if new.password else "")


def _shown(s: SmtpSettings) -> dict[str, object]:
    return {**s.to_json(), "password": "(set)" if s.password else ""}


@reads
def list_templates(uow: UnitOfWork, actor: Actor) -> tuple[TemplateView, ...]:
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        own = {(r.kind, r.language): r for r in uow.session.scalars(select(NoticeTemplate))}
        current = templates_in(uow.session)
        out = []
        for key in KIND_LANGUAGES:
            t, row = current[key], own.get(key)
            out.append(
                TemplateView(
                    *key, t.subject, t.body, row is not None, row.updated_at if row else None
                )
            )
        return tuple(out)


@writes(Permission.MANAGE_SETTINGS)
def save_template(
    uow: UnitOfWork, actor: Actor, kind: str, language: str, subject: str, body: str
) -> TemplateView:
    """Save the shop's wording of one notice (checked first: known placeholders only)."""
    with uow:
        current = uow.require(actor, Permission.MANAGE_SETTINGS)
        check_template(kind, language, subject, body)
        s = uow.session
        row = s.scalar(
            select(NoticeTemplate).where(
                NoticeTemplate.kind == kind, NoticeTemplate.language == language
            )
        )
        before = templates_in(s)[(kind, language)]
        now = utcnow()
        if row is None:
            row = NoticeTemplate(kind=kind, language=language, subject=subject, body=body)
            s.add(row)
        row.subject, row.body, row.updated_at, row.updated_by = subject, body, now, current.user_id
        uow.audit(
            actor,
            "notice_template.save",
            "notice_template",
            f"{kind}/{language}",
            before={"subject": before.subject, "body": before.body},
            after={"subject": subject, "body": body},
        )
        uow.commit()
        return TemplateView(kind, language, subject, body, True, now)


@writes(Permission.MANAGE_SETTINGS)
def reset_template(uow: UnitOfWork, actor: Actor, kind: str, language: str) -> TemplateView:
    """Go back to the default wording of one notice."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        t: Template | None = DEFAULT_TEMPLATES.get((kind, language))
        if t is None:
            raise ValidationError(
                "There is no {kind} notice in {language}.", kind=kind, language=language
            )
        row = uow.session.scalar(
            select(NoticeTemplate).where(
                NoticeTemplate.kind == kind, NoticeTemplate.language == language
            )
        )
        if row is not None:
            uow.session.delete(row)
            uow.audit(
                actor,
                "notice_template.reset",
                "notice_template",
                f"{kind}/{language}",
                before={"subject": row.subject, "body": row.body},
            )
        uow.commit()
        return TemplateView(kind, language, t.subject, t.body, False, None)


@reads
def tracking_urls(uow: UnitOfWork, actor: Actor) -> dict[str, str]:
    """The tracking page of each carrier code (the shop's own over the defaults)."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        return tracking_urls_in(uow.session)


@writes(Permission.MANAGE_SETTINGS)
def set_tracking_url(uow: UnitOfWork, actor: Actor, carrier: str, url: str) -> str:
    """The tracking page of a carrier code, with {tracking} for the number ("" : the default)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        url = url.strip()
        if url and ("{tracking}" not in url or not url.startswith(("https://", "http://"))):
            raise ValidationError(
                "A tracking link starts with https:// and has {placeholder} where the number goes.",
                placeholder="{tracking}",
            )
        row = uow.session.get(SettingRow, TRACKING_URLS_KEY)
        own = dict(row.value) if row and row.value else {}
        code = carrier.strip().upper()
        if url:
            own[code] = url
        else:
            own.pop(code, None)
        before = put_setting(uow.session, TRACKING_URLS_KEY, own)
        uow.audit(
            actor, "settings.tracking_url", "setting", TRACKING_URLS_KEY, before=before, after=own
        )
        uow.commit()
        return url


@writes(Permission.MANAGE_NOTICES)
def set_customer_opt_out(uow: UnitOfWork, actor: Actor, email: str, opted_out: bool) -> int:
    """Opt the customers with this e-mail address out of notices (or back in); returns how
    many customers that is."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        address = email.strip().lower()
        found = list(
            uow.session.scalars(select(Customer).where(func.lower(Customer.email) == address))
        )
        if not address or not found:
            raise NotFound(what="Customer", key=email)
        for c in found:
            c.notices_opt_out = opted_out
        uow.audit(
            actor,
            "customer.notices_opt_out",
            "customer",
            ",".join(str(c.id) for c in found),
            after={"notices_opt_out": opted_out},
        )
        uow.commit()
        return len(found)


@writes(Permission.MANAGE_NOTICES)
def set_channel_opt_out(uow: UnitOfWork, actor: Actor, channel: str, opted_out: bool) -> str:
    """Opt a sales channel's customers out of notices (or back in), by the channel's code or
    name; returns its code."""
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        ch = uow.session.scalar(
            select(Channel).where((Channel.code == channel) | (Channel.name == channel))
        )
        if ch is None:
            raise NotFound(what="Channel", key=channel)
        before = ch.notices_opt_out
        ch.notices_opt_out = opted_out
        uow.audit(
            actor,
            "channel.notices_opt_out",
            "channel",
            ch.id,
            before={"notices_opt_out": before},
            after={"notices_opt_out": opted_out},
        )
        uow.commit()
        return ch.code


@dataclass(frozen=True)
class ChannelNotices:
    code: str
    name: str
    opted_out: bool


@reads
def channel_opt_outs(uow: UnitOfWork, actor: Actor) -> tuple[ChannelNotices, ...]:
    with uow:
        uow.require(actor, Permission.MANAGE_NOTICES)
        rows = uow.session.execute(
            select(Channel.code, Channel.name, Channel.notices_opt_out).order_by(Channel.code)
        ).tuples()
        return tuple(ChannelNotices(c, n, bool(o)) for c, n, o in rows)
