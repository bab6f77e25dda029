"""Writes the Chinese platforms' sample exports beside this script (run it again after changing
it): Taobao/Tmall (order list + items file, GB18030), JD (Excel), Pinduoduo and Douyin (CSV,
UTF-8 with BOM, long numbers with a leading tab as Douyin writes them).

Each file has the traps of a real shop's day: a blank SKU (商家编码 empty), cash on delivery
(货到付款), an order cancelled before shipping (交易关闭/已取消), an order shipped already, a
partly shipped line, a pickup (自提), an unpaid order, a 6-pack sold as one listing, and a
recipient the platform masks or encrypts. Taobao's address carries the postal code, so its file
also has a placeholder postal code (000000) and one too long. Names, phones and addresses are
made up. Column names: docs/import-formats-cn.md.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

TAOBAO_HEADER = (  # noqa: SIM905
    "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,"
    "买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址,运送方式,联系电话,"
    "联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,物流单号,物流公司,订单备注,宝贝总数量,"
    "店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,发票抬头,是否手机订单,分阶段订单信息,"
    "特权订金订单id,定金排名,修改后的sku,修改后的收货地址,异常信息"
).split(",")
TAOBAO_ITEMS_HEADER = (  # noqa: SIM905
    "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码"
).split(",")
JD_HEADER = (  # noqa: SIM905
    "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,"
    "订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,发票类型,发票抬头,发票内容,"
    "商家备注,商家备注等级（等级1-5为由高到低）,运费金额,付款确认时间,增值税发票,货号,订单完成时间,"
    "订单来源,订单渠道,配送方式"
).split(",")
PDD_HEADER = (  # noqa: SIM905
    "商品,订单号,订单状态,商品总价(元),店铺优惠折扣(元),平台优惠折扣(元),邮费(元),用户实付金额(元),"
    "商家实收金额(元),商品数量(件),身份证姓名,身份证号码,收货人,手机,是否审核中,省,市,区,街道,"
    "支付时间,拼单成功时间,订单确认时间,承诺发货时间,发货时间,确认收货时间,商品id,商品规格,"
    "用户购买手机号,样式ID,商家编码-SKU维度,商家编码-商品维度,快递单号,快递公司,支付方式,商家备注,"
    "售后状态,买家留言,是否门店自提,门店名称"
).split(",")
DOUYIN_HEADER = (  # noqa: SIM905
    "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品金额,订单应付金额,运费,"
    "收件人,收件人手机号,省,市,区,街道,详细地址,订单提交时间,支付完成时间,支付方式,订单状态,"
    "售后状态,取消原因,商家备注,配送方式"
).split(",")


def row(header: list[str], **values: str) -> list[str]:
    """A row of ``header``: the given columns (by header name), the rest empty."""
    unknown = set(values) - set(header)
    assert not unknown, unknown
    return [values.get(h, "") for h in header]


# --- Taobao / Tmall: order list + items file, joined by 订单编号 ----------------------------------

PAID_TB = "买家已付款，等待卖家发货"


def taobao_order(oid: str, status: str = PAID_TB, **kw: str) -> list[str]:
    values = {
        "订单编号": oid,
        "买家会员名": f"tb_{oid[-3:]}",
        "订单状态": status,
        "收货人姓名": "张三丰",
        "收货地址": "浙江省 杭州市 西湖区 文三路90号东部软件园3号楼502室(310012)",
        "运送方式": "快递",
        "联系手机": f"1381234{oid[-4:]}",
        "订单创建时间": "2026-11-21 10:20:30",
        "宝贝总数量": "1",
        "宝贝标题": "保温杯500ml",
        "买家实际支付金额": "59.00",
    }
    values.update(kw)
    return row(TAOBAO_HEADER, **values)


def taobao_item(oid: str, sku: str, qty: str = "1", status: str = PAID_TB, **kw: str) -> list[str]:
    values = {
        "订单编号": oid,
        "标题": "保温杯500ml",
        "价格": "59.00",
        "购买数量": qty,
        "商品属性": "颜色分类：蓝色",
        "订单状态": status,
        "商家编码": sku,
    }
    values.update(kw)
    return row(TAOBAO_ITEMS_HEADER, **values)


def taobao_sample() -> tuple[list[list[str]], list[list[str]]]:
    orders = [
        TAOBAO_HEADER,
        taobao_order("3876543210987601", 宝贝总数量="3"),
        taobao_order("3876543210987602", 收货人姓名="李四"),  # blank SKU
        taobao_order("3876543210987603", "货到付款，等待卖家发货", 收货人姓名="王五"),
        taobao_order("3876543210987604", "交易关闭", 订单关闭原因="买家不想买了"),
        taobao_order("3876543210987605", "卖家已发货，等待买家确认收货"),
        taobao_order("3876543210987606", "部分发货", 宝贝总数量="2"),
        taobao_order("3876543210987607", 运送方式="自提"),
        taobao_order("3876543210987608", 收货地址="广东省 深圳市 南山区 科技园南路15号(000000)"),
        taobao_order(
            "3876543210987609", 收货地址="广东省 深圳市 南山区 科技园南路16号(51805712345)"
        ),
        taobao_order("3876543210987610", 宝贝标题="矿泉水500ml 6瓶装"),
        taobao_order("3876543210987611", 收货人姓名="赵**", 联系手机="138****5678"),
        taobao_order("3876543210987612", "等待买家付款"),
    ]
    items = [
        TAOBAO_ITEMS_HEADER,
        taobao_item("3876543210987601", "BOTTLE-500-BL", "2"),
        taobao_item("3876543210987601", "LID-BAMBOO", "1", 标题="竹盖"),
        taobao_item("3876543210987602", ""),
        taobao_item("3876543210987603", "BOTTLE-500-BL", status="货到付款，等待卖家发货"),
        taobao_item("3876543210987604", "BOTTLE-500-BL", status="交易关闭"),
        taobao_item("3876543210987605", "BOTTLE-500-BL", status="卖家已发货，等待买家确认收货"),
        taobao_item("3876543210987606", "BOTTLE-500-BL", status="卖家已发货，等待买家确认收货"),
        taobao_item("3876543210987606", "LID-BAMBOO", status="部分发货", 标题="竹盖"),
        taobao_item("3876543210987607", "BOTTLE-500-BL"),
        taobao_item("3876543210987608", "BOTTLE-500-BL"),
        taobao_item("3876543210987609", "BOTTLE-500-BL"),
        taobao_item("3876543210987610", "WATER-500-6PK", 标题="矿泉水500ml 6瓶装"),
        taobao_item("3876543210987611", "BOTTLE-500-BL"),
        taobao_item("3876543210987612", "BOTTLE-500-BL", status="等待买家付款"),
    ]
    return orders, items


# --- JD: one row per item ------------------------------------------------------------------------


def jd_row(oid: str, sku: str, status: str = "等待出库", **kw: str) -> list[str]:
    values = {
        "订单号": oid,
        "商品ID": "100012345678",
        "商品名称": "保温杯500ml 蓝色",
        "订购数量": "1",
        "支付方式": "在线支付",
        "下单时间": "2026-11-21 09:00:00",
        "京东价": "59.00",
        "订单金额": "59.00",
        "应付金额": "59.00",
        "订单状态": status,
        "客户姓名": "孙七",
        "客户地址": "北京北京市朝阳区建国路88号SOHO现代城A座1201",
        "联系电话": "13912345678",
        "货号": sku,
        "配送方式": "京东配送",
    }
    values.update(kw)
    return row(JD_HEADER, **values)


def jd_sample() -> list[list[str]]:
    return [
        JD_HEADER,
        jd_row("290000000001", "BOTTLE-500-BL", 订购数量="2", 订单金额="177.00", 应付金额="177.00"),
        jd_row(
            "290000000001", "LID-BAMBOO", 商品ID="100012345679", 商品名称="竹盖", 订单金额="177.00"
        ),
        jd_row("290000000002", ""),  # blank SKU
        jd_row("290000000003", "BOTTLE-500-BL", 支付方式="货到付款"),
        jd_row("290000000004", "BOTTLE-500-BL", "已取消"),
        jd_row("290000000005", "BOTTLE-500-BL", "等待确认收货"),
        jd_row("290000000006", "BOTTLE-500-BL", "部分发货"),
        jd_row("290000000007", "BOTTLE-500-BL", 配送方式="上门自提"),
        jd_row("290000000008", "WATER-500-6PK", 商品ID="100099999906", 商品名称="矿泉水 6瓶装"),
        jd_row("290000000009", "BOTTLE-500-BL", 客户姓名="周*", 联系电话="1******6198"),
        jd_row("290000000010", "BOTTLE-500-BL", "等待付款"),
    ]


# --- Pinduoduo: one row per order, the recipient masked since 2020 --------------------------------


def pdd_row(oid: str, sku: str, status: str = "待发货", **kw: str) -> list[str]:
    values = {
        "商品": "保温杯500ml",
        "订单号": oid,
        "订单状态": status,
        "商品总价(元)": "59.00",
        "用户实付金额(元)": "55.00",
        "商品数量(件)": "1",
        "收货人": "吴**",
        "手机": "138****1234",
        "省": "四川省",
        "市": "成都市",
        "区": "青羊区",
        "街道": "人民中路一段12号**",
        "支付时间": "2026-11-21 08:30:00",
        "商品id": "354000000001",
        "商品规格": "蓝色",
        "样式ID": "1160000000001",
        "商家编码-SKU维度": sku,
        "支付方式": "微信支付",
        "售后状态": "无售后或售后取消",
        "是否门店自提": "否",
    }
    values.update(kw)
    return row(PDD_HEADER, **values)


def pdd_sample() -> list[list[str]]:
    return [
        PDD_HEADER,
        pdd_row("261121-000000000000001", "BOTTLE-500-BL", **{"商品数量(件)": "2"}),
        pdd_row("261121-000000000000002", ""),  # blank SKU
        pdd_row("261121-000000000000003", "BOTTLE-500-BL", 支付方式="货到付款"),
        pdd_row("261121-000000000000004", "BOTTLE-500-BL", "已取消"),
        pdd_row("261121-000000000000005", "BOTTLE-500-BL", "已发货，待收货"),
        pdd_row("261121-000000000000006", "BOTTLE-500-BL", "部分发货"),
        pdd_row("261121-000000000000007", "BOTTLE-500-BL", 是否门店自提="是"),
        pdd_row(
            "261121-000000000000008", "WATER-500-6PK", 商品="矿泉水 6瓶装", 样式ID="1160000000006"
        ),
        pdd_row("261121-000000000000009", "BOTTLE-500-BL", 收货人="郑十", 手机="13800138000-1234"),
        pdd_row(
            "261121-000000000000010",
            "BOTTLE-500-BL",
            收货人="冯颖",
            手机="13912345678",
            街道="人民中路一段12号",
        ),
        pdd_row("261121-000000000000011", "BOTTLE-500-BL", "待发货", 售后状态="退款成功"),
    ]


# --- Douyin: one row per sub-order, the recipient encrypted since 2022 ---------------------------


def douyin_row(oid: str, sub: str, sku: str, status: str = "待发货", **kw: str) -> list[str]:
    values = {
        "主订单编号": f"\t{oid}",
        "子订单编号": f"\t{sub}",
        "选购商品": "保温杯500ml",
        "商品规格": "蓝色",
        "商品数量": "1",
        "商品ID": "\t3600000000000001",
        "商家编码": f"\t{sku}" if sku else "",
        "商品金额": "59.00",
        "订单应付金额": "59.00",
        "运费": "0.00",
        "收件人": "#Q7eRx0lUbmSg#",
        "收件人手机号": "$MTM4MDAxMzgwMDB4eXo=$",
        "省": "广东省",
        "市": "广州市",
        "区": "天河区",
        "街道": "石牌街道",
        "详细地址": "~Pz9VuBiMJc8a8+Yl0mYp6g==~",
        "订单提交时间": "2026-11-21 20:15:03",
        "支付完成时间": "2026-11-21 20:15:30",
        "支付方式": "抖音支付",
        "订单状态": status,
        "售后状态": "-",
        "配送方式": "快递",
    }
    values.update(kw)
    return row(DOUYIN_HEADER, **values)


def douyin_sample() -> list[list[str]]:
    a = "6917926768823640001"
    return [
        DOUYIN_HEADER,
        douyin_row(a, a + "1", "BOTTLE-500-BL", 商品数量="2", 订单应付金额="118.00"),
        douyin_row(a, a + "2", "", 选购商品="赠品 杯刷", 商品金额="0.00", 订单应付金额="0.00"),
        douyin_row(
            "6917926768823640002", "69179267688236400021", "BOTTLE-500-BL", 支付方式="货到付款"
        ),
        douyin_row("6917926768823640003", "69179267688236400031", "BOTTLE-500-BL", "已取消"),
        douyin_row("6917926768823640004", "69179267688236400041", "BOTTLE-500-BL", "已发货"),
        douyin_row("6917926768823640005", "69179267688236400051", "BOTTLE-500-BL", "已发货"),
        douyin_row("6917926768823640005", "69179267688236400052", "LID-BAMBOO", "部分发货"),
        douyin_row(
            "6917926768823640006", "69179267688236400061", "BOTTLE-500-BL", 配送方式="到店自提"
        ),
        douyin_row(
            "6917926768823640007", "69179267688236400071", "WATER-500-6PK", 选购商品="矿泉水 6瓶装"
        ),
        douyin_row("6917926768823640008", "69179267688236400081", "BOTTLE-500-BL", "待支付"),
        douyin_row(
            "6917926768823640009", "69179267688236400091", "BOTTLE-500-BL", 售后状态="退款成功"
        ),
    ]


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "订单"
    for r in rows:
        ws.append(r)
    wb.save(path)


def main() -> None:
    orders, items = taobao_sample()
    write_csv(HERE / "cn_taobao_orders.csv", orders, "gb18030")
    write_csv(HERE / "cn_taobao_orders_detail.csv", items, "gb18030")
    write_xlsx(HERE / "cn_jd_orders.xlsx", jd_sample())
    write_csv(HERE / "cn_pinduoduo_orders.csv", pdd_sample(), "utf-8-sig")
    write_csv(HERE / "cn_douyin_orders.csv", douyin_sample(), "utf-8-sig")


if __name__ == "__main__":
    main()
