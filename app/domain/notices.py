"""Customer notices (shipped, delivered): templates with named placeholders, the language of an
order's notice, the tracking link, what a notice may say about the customer, and when a failed
send is tried again. Pure: no database, no network."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from app.domain.errors import ValidationError


class NoticeKind(StrEnum):
    SHIPPED = "shipped"
    DELIVERED = "delivered"


class NoticeStatus(StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


LANGUAGES = ("en", "zh")
#: every template there is, in the order the editor lists them
KIND_LANGUAGES = tuple((k.value, lang) for k in NoticeKind for lang in LANGUAGES)

#: countries whose customers get the Chinese notice (Simplified Chinese is the only Chinese
#: the app ships); an order without an address follows its channel's platform
CHINESE_COUNTRIES = frozenset({"CN", "HK", "MO", "TW"})
CHINESE_PLATFORMS = frozenset({"taobao", "tmall", "jd", "pinduoduo", "douyin"})

#: the reason written on a notice not sent because the customer or the channel opted out
OPTED_OUT_CUSTOMER = "opted out (customer)"
OPTED_OUT_CHANNEL = "opted out (channel)"


@dataclass(frozen=True, slots=True)
class NoticeValues:
    """Everything a notice may say. This is the whole of the personal data it holds: the
    customer's name to greet them (its address is the notice's recipient); never a phone
    number, a street address or what the order cost."""

    customer_name: str
    order_number: str
    channel_order: str
    carrier: str
    tracking: str
    tracking_url: str
    shop_name: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


#: the placeholders a template may use, and what each is (shown in the template editor)
PLACEHOLDERS: dict[str, str] = {
    "customer_name": "the customer's name",
    "order_number": "our order number",
    "channel_order": "the shop's own order number",
    "carrier": "the carrier's name",
    "tracking": "the tracking number(s)",
    "tracking_url": "the link to follow the parcel",
    "shop_name": "the shop (the sales channel's name)",
}


@dataclass(frozen=True, slots=True)
class Template:
    kind: str
    language: str
    subject: str
    body: str


DEFAULT_TEMPLATES: dict[tuple[str, str], Template] = {
    ("shipped", "en"): Template(
        "shipped",
        "en",
        "Your order {channel_order} from {shop_name} is on its way",
        "Hello {customer_name},\n\n"
        "Your order {channel_order} has been handed to {carrier}.\n"
        "Tracking number: {tracking}\n"
        "Follow your parcel: {tracking_url}\n\n"
        "Thank you for shopping with {shop_name}.\n",
    ),
    ("shipped", "zh"): Template(
        "shipped",
        "zh",
        "您在{shop_name}的订单{channel_order}已发货",
        "{customer_name}，您好：\n\n"
        "您的订单{channel_order}已交给{carrier}。\n"
        "运单号：{tracking}\n"
        "查询物流：{tracking_url}\n\n"
        "感谢您在{shop_name}购物。\n",
    ),
    ("delivered", "en"): Template(
        "delivered",
        "en",
        "Your order {channel_order} from {shop_name} has been delivered",
        "Hello {customer_name},\n\n"
        "{carrier} reports your order {channel_order} delivered (tracking number {tracking}).\n"
        "Details: {tracking_url}\n\n"
        "If anything is wrong with it, reply to this e-mail.\n"
        "Thank you for shopping with {shop_name}.\n",
    ),
    ("delivered", "zh"): Template(
        "delivered",
        "zh",
        "您在{shop_name}的订单{channel_order}已签收",
        "{customer_name}，您好：\n\n"
        "{carrier}显示您的订单{channel_order}已签收（运单号{tracking}）。\n"
        "物流详情：{tracking_url}\n\n"
        "如有任何问题，请直接回复本邮件。\n"
        "感谢您在{shop_name}购物。\n",
    ),
}

#: the carriers' own tracking pages, by our carrier code ({tracking}: the number). A carrier
#: not listed gets the generic Chinese tracking site, which knows most carriers.
DEFAULT_TRACKING_URLS: dict[str, str] = {
    "SF": "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{tracking}",
    "ZTO": "https://www.zto.com/?num={tracking}",
    "YTO": "https://www.yto.net.cn/gw/index/index.html?mailNo={tracking}",
    "JD": "https://www.jdl.com/orderSearch/?waybillCodes={tracking}",
    "EMS": "https://www.ems.com.cn/qps/yjcx?mailNum={tracking}",
    "UPS": "https://www.ups.com/track?tracknum={tracking}",
    "DHL": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={tracking}",
    "FEDEX": "https://www.fedex.com/fedextrack/?trknbr={tracking}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking}",
}
FALLBACK_TRACKING_URL = "https://www.kuaidi100.com/chaxun?nu={tracking}"

#: minutes before each retry after a failed send (1st failure: 1 min, ...); the send after
#: the last delay is the last one
RETRY_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """When to try again after ``attempts`` failed sends; None: failed for good."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + timedelta(minutes=RETRY_MINUTES[max(attempts, 1) - 1])


def language_for(country: str | None, platform: str | None) -> str:
    """The notice's language: Chinese for a delivery address in China (mainland, Hong Kong,
    Macao, Taiwan); without an address, Chinese for the Chinese platforms' orders; English
    otherwise."""
    if country:
        return "zh" if country.upper() in CHINESE_COUNTRIES else "en"
    return "zh" if (platform or "").lower() in CHINESE_PLATFORMS else "en"


def tracking_link(template: str, number: str) -> str:
    """The carrier's tracking page for ``number``; "" without a number."""
    if not number:
        return ""
    link = template or FALLBACK_TRACKING_URL
    for name in ("{tracking}", "{tracking_number}", "{number}"):
        link = link.replace(name, number)
    return link


def fields_of(text: str) -> list[str]:
    """The placeholders in ``text`` (raises on broken braces)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            "A brace in the template is not closed or has no opening: write placeholders as "
            "{customer_name}, and a brace itself as two braces."
        ) from None
    return [name for _, name, _, _ in parsed if name is not None]


def check_template(kind: str, language: str, subject: str, body: str) -> None:
    """Refuse a template that could not be sent: unknown kind or language, an empty subject or
    body, a line break in the subject, or a placeholder that is not one of PLACEHOLDERS."""
    if kind not in {k.value for k in NoticeKind}:
        raise ValidationError("{kind} is not a notice kind: use shipped or delivered.", kind=kind)
    if language not in LANGUAGES:
        raise ValidationError(
            "{language} is not a notice language: use en or zh.", language=language
        )
    if not subject.strip() or not body.strip():
        raise ValidationError("A notice needs a subject and a text.")
    if "\n" in subject or "\r" in subject:
        raise ValidationError("The subject must be one line.")
    unknown = [n for n in fields_of(subject) + fields_of(body) if n not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            "Unknown placeholder {names}: use {known}.",
            names=", ".join("{" + n + "}" for n in dict.fromkeys(unknown)),
            known=" ".join("{" + n + "}" for n in PLACEHOLDERS),
        )


def render(template: Template, values: NoticeValues) -> tuple[str, str]:
    """The subject and text of a notice: each placeholder filled with its value."""
    data: dict[str, Any] = values.as_dict()
    subject = template.subject.format(**data)
    return " ".join(subject.split()), template.body.format(**data)


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """How notices leave: the shop's mail server (settings ``notices.smtp``)."""

    enabled: bool = False
    host: str = ""
    port: int = 587
    starttls: bool = True
    user: str = ""
    password: str = ""
    from_address: str = ""
    from_name: str = ""
    #: a certificate file (PEM) to trust besides the system's: a mail server with its own CA
    ca_file: str = ""
    #: seconds to wait for the server
    timeout: float = 20.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> SmtpSettings:
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def check(self) -> None:
        if not self.enabled:
            return
        if not self.host:
            raise ValidationError("Give the mail server's host name.")
        if not 0 < self.port < 65536:
            raise ValidationError("{port} is not a port number.", port=self.port)
        if "@" not in self.from_address:
            raise ValidationError(
                "Give the address notices come from (for example shop@example.com)."
            )
