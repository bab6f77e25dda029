"""``packdesk notices ...``: the customer notices (docs/notices.md).

The JSON output is a contract (keys are added, never renamed)::

    notices send --json     {"sent", "failed", "retrying", "waiting", "error"}
    notices list --json     [{"id", "order", "kind", "language", "to", "status", "attempts",
                              "next_attempt_at", "sent_at", "reason", "message_id"}]

``notices send`` exits 1 when a notice failed for good in this pass, 0 otherwise.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import asdict
from typing import Any

from app.cli.common import CliContext, print_json
from app.domain.notices import NoticeStatus
from app.services import notice_outbox, notice_settings, notices

#: the mail server's password, when not given on the command line (which would keep it in the
#: shell's history)
ENV_PASSWORD = "PACKDESK_SMTP_PASSWORD"


def register(sub: Any) -> None:
    p = sub.add_parser("notices", help="e-mail notices to customers (shipped, delivered)")
    nsub = p.add_subparsers(dest="notices_command", metavar="action", required=True)
    sp = nsub.add_parser("send", help="send the notices that are due, once")
    sp.add_argument("--limit", type=int, default=50, help="send at most this many (50)")
    sp.add_argument("--json", action="store_true", help="a JSON object instead of text")
    sp.set_defaults(handler=send)

    lp = nsub.add_parser("list", help="the outbox, newest first")
    lp.add_argument("--status", choices=[s.value for s in NoticeStatus], default="")
    lp.add_argument("--json", action="store_true", help="a JSON list instead of text")
    lp.set_defaults(handler=list_outbox)
    for name, helptext in (
        ("retry", "send a failed or cancelled notice again"),
        ("cancel", "do not send a waiting notice"),
    ):
        rp = nsub.add_parser(name, help=helptext)
        rp.add_argument("notice_id", type=int, metavar="ID")
        rp.set_defaults(handler=retry if name == "retry" else cancel)

    op = nsub.add_parser("opt-out", help="no notices for a customer or a channel (--undo: again)")
    who = op.add_mutually_exclusive_group(required=True)
    who.add_argument("--customer", metavar="EMAIL", help="the customer's e-mail address")
    who.add_argument("--channel", metavar="NAME", help="the sales channel's code or name")
    op.add_argument("--undo", action="store_true", help="send them notices again")
    op.set_defaults(handler=opt_out)

    smtp = nsub.add_parser("smtp", help="the mail server notices are sent through")
    ssub = smtp.add_subparsers(dest="smtp_command", metavar="action", required=True)
    show = ssub.add_parser("show", help="show the mail server settings (not the password)")
    show.set_defaults(handler=smtp_show)
    st = ssub.add_parser(
        "set",
        help="set the mail server and switch notices on",
        description=f"The password comes from --password, else {ENV_PASSWORD}, else it is "
        "asked; with neither and no terminal the saved one is kept.",
    )
    st.add_argument("--host", required=True)
    st.add_argument("--port", type=int, default=587, help="587 (STARTTLS) by default; 465: TLS")
    st.add_argument("--no-starttls", action="store_true", help="plain SMTP (a local relay)")
    st.add_argument("--user", dest="smtp_user", default="", help="log-in name (none: no log-in)")
    st.add_argument("--password", default=None)
    st.add_argument("--from", dest="from_address", required=True, metavar="ADDRESS")
    st.add_argument("--from-name", default="", help="the sender's name customers see")
    st.add_argument("--ca-file", default="", help="a PEM certificate to trust (own CA)")
    st.add_argument("--off", action="store_true", help="keep the settings, send no notices")
    st.set_defaults(handler=smtp_set)

    tp = nsub.add_parser("tracking-url", help="a carrier's tracking link in the notices")
    tp.add_argument("carrier", help="carrier code (SF, ZTO...)")
    tp.add_argument("url", nargs="?", default="", help="with {tracking}; empty: the default")
    tp.set_defaults(handler=tracking_url)


def send(ctx: CliContext) -> int:
    r = ctx.services.run(notices.send_due, ctx.actor, limit=ctx.args.limit)
    if ctx.args.json:
        print_json(asdict(r))
    else:
        print(f"sent {r.sent}, failed {r.failed}, retrying {r.retrying}, waiting {r.waiting}")
        if r.error:
            print(r.error)
    return 1 if r.failed else 0


def list_outbox(ctx: CliContext) -> int:
    rows = ctx.services.run(notice_outbox.list_notices, ctx.actor, ctx.args.status)
    if ctx.args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "order": r.order_number,
                    "kind": r.kind,
                    "language": r.language,
                    "to": r.to,
                    "status": r.status,
                    "attempts": r.attempts,
                    "next_attempt_at": r.next_attempt_at,
                    "sent_at": r.sent_at,
                    "reason": r.reason,
                    "message_id": r.message_id,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        print(f"{r.id:>6} {r.order_number:<12} {r.kind:<9} {r.status:<9} {r.to}  {r.reason}")
    return 0


def retry(ctx: CliContext) -> int:
    row = ctx.services.run(notice_outbox.retry_notice, ctx.actor, ctx.args.notice_id)
    print(f"notice {row.id} of {row.order_number} waits to be sent")
    return 0


def cancel(ctx: CliContext) -> int:
    row = ctx.services.run(notice_outbox.cancel_notice, ctx.actor, ctx.args.notice_id)
    print(f"notice {row.id} of {row.order_number} cancelled")
    return 0


def opt_out(ctx: CliContext) -> int:
    a = ctx.args
    out = not a.undo
    if a.customer:
        n = ctx.services.run(notice_settings.set_customer_opt_out, ctx.actor, a.customer, out)
        print(f"{a.customer}: {n} customer(s) {'opted out' if out else 'get notices again'}")
    else:
        code = ctx.services.run(notice_settings.set_channel_opt_out, ctx.actor, a.channel, out)
        print(f"channel {code}: {'opted out' if out else 'gets notices again'}")
    return 0


def smtp_show(ctx: CliContext) -> int:
    s = ctx.services.run(notice_settings.get_smtp_settings, ctx.actor)
    shown = asdict(s)
    shown["password"] = "(set)" if s.password else "(none)"
    for key, value in shown.items():
        print(f"{key:<13} {value}")
    return 0


def smtp_set(ctx: CliContext) -> int:
    a = ctx.args
    password = a.password
    if password is None:
        password = os.environ.get(ENV_PASSWORD)
    if password is None and a.smtp_user:
        try:
            password = getpass.getpass(f"Password of {a.smtp_user} on {a.host}: ")
        except (EOFError, OSError):
            password = None
    s = ctx.services.run(
        notice_settings.save_smtp_settings,
        ctx.actor,
        host=a.host,
        port=a.port,
        starttls=not a.no_starttls,
        user=a.smtp_user,
        password=notice_settings.HIDDEN if password is None else password,
        from_address=a.from_address,
        from_name=a.from_name,
        enabled=not a.off,
        ca_file=a.ca_file,
    )
    state = "on" if s.enabled else "off"
    print(f"notices {state}: {s.host}:{s.port} from {s.from_address}")
    return 0


def tracking_url(ctx: CliContext) -> int:
    a = ctx.args
    ctx.services.run(notice_settings.set_tracking_url, ctx.actor, a.carrier, a.url)
    urls = ctx.services.run(notice_settings.tracking_urls, ctx.actor)
    code = a.carrier.strip().upper()
    print(f"{code}: {urls.get(code, 'the generic tracking site (kuaidi100)')}")
    return 0
