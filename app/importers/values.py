"""Reading the values of a cell: quantities, money, dates, yes/no, countries, Chinese addresses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation


class BadValue(ValueError):
    """A cell that cannot be read as the kind of value it should hold."""


def clean(value: object) -> str:
    """A cell as text: stripped; numbers from spreadsheets without a trailing '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


def unquote_apostrophe(text: str) -> str:
    """Shopify writes zip codes and phones as '02134 so spreadsheets keep the leading zero."""
    return text[1:].strip() if text.startswith("'") else text


def parse_qty(text: str) -> int:
    """A whole quantity: '2', '2.0', ' 3 '; zero and negatives pass (the checks hold them)."""
    t = text.strip().replace(",", "")
    if not t:
        raise BadValue(text)
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise BadValue(text) from None
    if not d.is_finite() or d != d.to_integral_value():
        raise BadValue(text)
    return int(d)


_MONEY_JUNK = re.compile(r"[\s$€£¥￥元,]|RMB|CNY|USD|EUR|GBP", re.IGNORECASE)


def parse_money(text: str) -> Decimal:
    """An amount as Decimal with two places: '1,299.00', '¥59.9', '59.90元'."""
    t = _MONEY_JUNK.sub("", text.strip())
    if not t:
        return Decimal("0.00")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise BadValue(text) from None
    if not d.is_finite():
        raise BadValue(text)
    return d.quantize(Decimal("0.01"))


_TRUE = {"true", "yes", "y", "1", "是", "t"}
_FALSE = {"false", "no", "n", "0", "否", "f"}


def parse_bool(text: str, default: bool) -> bool:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return default


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",  # Shopify: 2024-03-01 10:15:22 -0500
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%m/%d/%Y %H:%M:%S",  # WooCommerce exports: 9/6/2016 6:29:00
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)


_SHOPIFY_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}")


def parse_datetime(text: str, local: tzinfo) -> datetime:
    """A time in one of the usual export formats; times without a zone are in ``local``.
    Returned in UTC."""
    t = text.strip()
    if not t:
        raise BadValue(text)
    if _SHOPIFY_TIME.fullmatch(t):
        # "2024-03-01 10:15:22 -0500": the common case, read without strptime (much faster)
        t = f"{t[:19]}{t[20:23]}:{t[23:]}"
    elif t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        pass
    else:
        return (dt if dt.tzinfo else dt.replace(tzinfo=local)).astimezone(UTC)
    for fmt in _DATE_FORMATS:
        try:
            dt = datetime.strptime(t, fmt)
        except ValueError:
            continue
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=local)
        return dt.astimezone(UTC)
    raise BadValue(text)


def digits_of(phone: str) -> str:
    """Digits only, for search by phone."""
    return "".join(filter(str.isdigit, phone))


_COUNTRIES = {
    "china": "CN",
    "中国": "CN",
    "中国大陆": "CN",
    "中华人民共和国": "CN",
    "people's republic of china": "CN",
    "prc": "CN",
    "hong kong": "HK",
    "中国香港": "HK",
    "香港": "HK",
    "taiwan": "TW",
    "台湾": "TW",
    "中国台湾": "TW",
    "macau": "MO",
    "macao": "MO",
    "澳门": "MO",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "美国": "US",
    "united kingdom": "GB",
    "great britain": "GB",
    "uk": "GB",
    "英国": "GB",
    "canada": "CA",
    "加拿大": "CA",
    "australia": "AU",
    "澳大利亚": "AU",
    "germany": "DE",
    "deutschland": "DE",
    "德国": "DE",
    "france": "FR",
    "法国": "FR",
    "japan": "JP",
    "日本": "JP",
    "south korea": "KR",
    "korea": "KR",
    "韩国": "KR",
    "singapore": "SG",
    "新加坡": "SG",
    "netherlands": "NL",
    "荷兰": "NL",
    "italy": "IT",
    "意大利": "IT",
    "spain": "ES",
    "西班牙": "ES",
    "new zealand": "NZ",
    "新西兰": "NZ",
}


def country_code(text: str, default: str = "") -> str:
    """ISO 3166-1 alpha-2 for a code or a common name (English or Chinese); "" when unknown."""
    t = text.strip()
    if not t:
        return default
    if len(t) == 2 and t.isascii() and t.isalpha():
        return t.upper()
    return _COUNTRIES.get(t.lower(), "")


_CN_PARTS = re.compile(
    r"^(?P<province>[^省市区]{2,7}?(?:省|自治区|特别行政区)|北京市?|上海市?|天津市?|重庆市?)?"
    r"(?P<city>[^市区县]{1,9}?(?:市|自治州|盟|地区))?"
    r"(?P<district>[^区县旗]{1,9}?(?:区|县|旗|市))?"
    r"(?P<street>.*)$"
)
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")


def split_cn_address(text: str) -> tuple[str, str, str, str]:
    """'浙江省 杭州市 西湖区 文三路90号' -> (province, city, district, street).

    Exports separate the parts with spaces more often than not; without spaces the usual
    suffixes (省/自治区, 市/州, 区/县) are used. Whatever is not recognised stays in street.
    """
    t = text.strip()
    parts = t.split()
    if len(parts) >= 4:
        province, city, district = parts[0], parts[1], parts[2]
        return province, city, district, " ".join(parts[3:])
    compact = "".join(parts)
    m = _CN_PARTS.match(compact)
    if not m:
        return "", "", "", t
    province = m.group("province") or ""
    city = m.group("city") or ""
    district = m.group("district") or ""
    street = m.group("street") or ""
    if province.rstrip("市") in _MUNICIPALITIES:
        province = province if province.endswith("市") else province + "市"
        if not city:
            city = province
    if not street:
        return "", "", "", t
    return province, city, district, street
