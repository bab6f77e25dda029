"""Writes the carrier status files (物流状态文件) the delivery tracking tests import, beside this
script. Run it again after changing it (``python -m tests.data.make_tracking_status_samples``);
the files are committed.

- ``tracking_status_cn_gb18030.csv``: what a Chinese carrier's or aggregator's batch query
  (批量查询) exports: GB18030, Chinese headers (运单号, 物流状态, 扫描时间, 所在城市, 物流信息),
  several events per parcel, times without a zone. SF0000000001 (PD1 in the pack fixtures) is
  picked up, in transit, out for delivery and signed for (已签收); SF0000000002 (PD2) arrives
  broken (快件破损); an event repeated (the same row twice); a number no parcel has; and three
  bad rows: no number, a time nobody can read, a status word that means nothing.
- ``tracking_status_en.xlsx``: an English export (Tracking Number, Status, Event Time, Location),
  times as Excel date cells: SF0000000001 delivered, SF0000000002 returned to sender.
- ``tracking_status_detail.csv``: UTF-8 with a BOM, no status column: the status is read from the
  description (最新物流信息 "【杭州市】已签收，签收人凭取货码签收").
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
CN_OUT = HERE / "tracking_status_cn_gb18030.csv"
EN_OUT = HERE / "tracking_status_en.xlsx"
DETAIL_OUT = HERE / "tracking_status_detail.csv"

CN_HEADER = ["运单号", "快递公司", "物流状态", "扫描时间", "所在城市", "物流信息"]
CN_ROWS = [
    ["SF0000000001", "顺丰速运", "已揽收", "2026-12-01 09:15:00", "杭州市", "顺丰速运 已收取快件"],
    ["SF0000000002", "顺丰速运", "已揽收", "2026-12-01 09:20:00", "杭州市", "顺丰速运 已收取快件"],
    ["SF0000000001", "顺丰速运", "运输中", "2026-12-01 21:40:00", "杭州市", "快件已发往 上海"],
    ["SF0000000002", "顺丰速运", "运输中", "2026-12-01 21:45:00", "杭州市", "快件已发往 北京"],
    ["SF0000000001", "顺丰速运", "派送中", "2026-12-02 08:05:00", "上海市", "快递员正在派件"],
    # the same event twice (the aggregator repeats the latest event): stored once
    ["SF0000000001", "顺丰速运", "派送中", "2026-12-02 08:05:00", "上海市", "快递员正在派件"],
    [
        "SF0000000001",
        "顺丰速运",
        "已签收",
        "2026-12-02 11:32:00",
        "上海市",
        "已签收，签收人凭取货码签收",
    ],
    ["SF0000000002", "顺丰速运", "快件破损", "2026-12-02 16:10:00", "北京市", "外包装破损"],
    ["SF0000009999", "顺丰速运", "已签收", "2026-12-02 12:00:00", "广州市", "已签收"],
    ["", "顺丰速运", "运输中", "2026-12-02 12:00:00", "广州市", "单号缺失"],
    ["SF0000000002", "顺丰速运", "运输中", "昨天下午", "北京市", "时间写错"],
    ["SF0000000002", "顺丰速运", "哈哈", "2026-12-02 17:00:00", "北京市", ""],
]

EN_HEADER = ["Tracking Number", "Status", "Event Time", "Location"]
EN_ROWS = [
    ["SF0000000001", "Picked up", datetime(2026, 12, 1, 9, 15), "Hangzhou"],
    ["SF0000000001", "In transit", datetime(2026, 12, 1, 21, 40), "Hangzhou"],
    ["SF0000000001", "Delivered", datetime(2026, 12, 2, 11, 32), "Shanghai"],
    ["SF0000000002", "Picked up", datetime(2026, 12, 1, 9, 20), "Hangzhou"],
    ["SF0000000002", "Return to sender: refused", datetime(2026, 12, 3, 10, 0), "Beijing"],
]

DETAIL_HEADER = ["快递单号", "最新时间", "最新物流信息"]
DETAIL_ROWS = [
    ["SF0000000001", "2026/12/02 11:32", "【上海市】已签收，签收人凭取货码签收"],
    ["SF0000000002", "2026/12/02 09:00", "【北京市】快件到达 北京顺义集散中心"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def main() -> None:
    write_csv(CN_OUT, CN_HEADER, CN_ROWS, "gb18030")
    write_csv(DETAIL_OUT, DETAIL_HEADER, DETAIL_ROWS, "utf-8-sig")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tracking"
    ws.append(EN_HEADER)
    for row in EN_ROWS:
        ws.append(row)
    wb.save(EN_OUT)


if __name__ == "__main__":
    main()
