"""Mapping files (CSV and XLSX) through the service on SQLite and PostgreSQL, and
``packdesk mappings list|import`` through the real command line."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import insert, select

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import AuditEntry, Channel
from app.domain.errors import ImportFileError
from app.domain.users import SYSTEM, Actor
from app.services import listing_mappings as lm
from tests.integration.test_listing_mappings import L, import_orders, lines_of, record
from tests.order_action_fixtures import add_products, status_of


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def add_channel(services: Services, code: str, name: str) -> int:
    with services.uow() as uow:
        cid = uow.session.execute(
            insert(Channel).returning(Channel.id), [{"code": code, "name": name}]
        ).scalar_one()
        uow.commit()
        return cid


def test_a_mapping_file_saves_six_packs_and_kits_and_names_each_bad_row(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_products(services, "NAPKIN-1", "TEA-GREEN", "TEA-BLACK", "CUP-1")
    add_channel(services, "tb", "淘宝旗舰店")
    path = write(
        tmp_path / "mappings.csv",
        [
            ["Channel", "Match", "Listing", "SKU", "Units"],
            ["淘宝旗舰店", "sku", "NAPKIN-6PK", "NAPKIN-1", "6"],  # 2
            ["", "title", "Tea gift set", "TEA-GREEN", "2"],  # 3: a kit of three
            ["", "title", "Tea gift set", "TEA-BLACK", "2"],  # 4
            ["", "title", "Tea gift set", "CUP-1", ""],  # 5: blank units = 1
            [],  # 6: blank rows count
            ["tb", "listing_id", "var-1", "NOPE-9", "1"],  # 7: unknown SKU
            ["", "colour", "red", "CUP-1", "1"],  # 8
            ["", "sku", "", "CUP-1", "1"],  # 9
            ["", "sku", "CUP-2PK", "CUP-1", "1.5"],  # 10
            ["Nowhere shop", "sku", "X-1", "CUP-1", "1"],  # 11
            ["", "title", "Broken kit", "CUP-1", "1"],  # 12
            ["", "title", "Broken kit", "MISSING", "1"],  # 13
        ],
    )
    r = services.run(lm.import_mappings, admin, path)
    assert (r.added, r.updated) == (2, 0)
    assert [(p.row, p.reason) for p in r.problems] == [
        (7, "The SKU NOPE-9 is not a product."),
        (8, "The match 'colour' is not one of sku, listing_id or title."),
        (9, "The listing is empty; write the channel's SKU, id or title."),
        (10, "The units '1.5' are not a whole number above 0."),
        (11, "There is no channel called Nowhere shop."),
        (12, "Left out with the rest of its mapping: row 13 of the same mapping has a problem."),
        (13, "The SKU MISSING is not a product."),
    ]
    saved = {m.match_text: m for m in services.run(lm.list_mappings, admin)}
    assert set(saved) == {"NAPKIN-6PK", "Tea gift set"}
    assert saved["NAPKIN-6PK"].channel_name == "淘宝旗舰店"
    assert [(p.sku, p.units) for p in saved["Tea gift set"].parts] == [
        ("TEA-GREEN", 2),
        ("TEA-BLACK", 2),
        ("CUP-1", 1),
    ]
    with services.uow() as uow:
        audit = uow.session.scalar(
            select(AuditEntry.after).where(AuditEntry.action == "mapping.import")
        )
    assert audit is not None and audit["added"] == 2 and audit["problems"] == 7


def test_importing_the_file_again_changes_the_mappings_instead_of_adding(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_products(services, "A-1", "B-1")
    path = write(
        tmp_path / "m.csv", [["match", "listing", "sku", "units"], ["sku", "X", "A-1", "1"]]
    )
    services.run(lm.import_mappings, admin, path)
    write(path, [["match", "listing", "sku", "units"], ["sku", "x", "B-1", "3"]])
    r = services.run(lm.import_mappings, admin, path)
    assert (r.added, r.updated, r.problems) == (0, 1, ())
    [m] = services.run(lm.list_mappings, admin)
    assert [(p.sku, p.units) for p in m.parts] == [("B-1", 3)]


def test_a_chinese_gb18030_file_with_chinese_headers_maps_the_held_orders(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_products(services, "MUG-BLUE")
    held = import_orders(services, admin, record("C1", L("", "蓝色 马克杯", 2))).order_ids[0]
    other = import_orders(services, admin, record("C2", L("", "红色马克杯"), row=3)).order_ids[0]
    path = write(
        tmp_path / "对应表.csv",
        [
            ["渠道", "匹配方式", "平台货品", "货品编码", "数量"],
            ["", "标题", "蓝色 马克杯", "MUG-BLUE", "1"],
        ],
        encoding="gb18030",
    )
    r = services.run(lm.import_mappings, admin, path)
    assert (r.added, r.rechecked, r.released) == (1, 1, 1)
    assert status_of(services, held) == "released"
    assert [(ln.sku, ln.qty) for ln in lines_of(services, held)] == [("MUG-BLUE", 2)]
    assert status_of(services, other) == "on_hold"


def test_an_excel_mapping_file_is_read_like_a_csv_one(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_products(services, "CUP-1", "LID-1")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["channel", "match", "listing", "sku", "units"])
    ws.append([None, "listing_id", 778899, "CUP-1", 1])
    ws.append([None, "listing_id", 778899, "LID-1", 2])
    ws.append([None, "sku", "CUP-BIG", "CUP-1", 0])
    wb.save(tmp_path / "m.xlsx")
    r = services.run(lm.import_mappings, admin, tmp_path / "m.xlsx")
    assert r.added == 1
    assert [(p.row, p.reason) for p in r.problems] == [
        (4, "The units '0' are not a whole number above 0.")
    ]
    [m] = services.run(lm.list_mappings, admin)
    assert (m.match_text, [p.units for p in m.parts]) == ("778899", [1, 2])


def test_a_file_without_the_mapping_columns_is_refused_before_anything_is_written(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    path = write(tmp_path / "orders.csv", [["Name", "Email"], ["#1", "a@example.com"]])
    with pytest.raises(ImportFileError, match="not a product mapping file"):
        services.run(lm.import_mappings, admin, path)
    assert services.run(lm.list_mappings, admin) == []


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def shop(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    add_products(svc, "NAPKIN-1", "CUP-1")
    yield svc
    svc.close()


def test_mappings_import_json_gives_the_counts_and_each_problem_with_its_row(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [held] = import_orders(shop, SYSTEM, record("J1", L("", "Napkins x6"))).order_ids
    path = write(
        tmp_path / "m.csv",
        [
            ["channel", "match", "listing", "sku", "units"],
            ["", "title", "Napkins x6", "NAPKIN-1", "6"],
            ["", "sku", "ZZ", "NOPE", "1"],
        ],
    )
    code = main(["--db", str(shop.engine.url), "mappings", "import", str(path), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {
        "added": 1,
        "updated": 0,
        "problems": [{"row": 3, "reason": "The SKU NOPE is not a product."}],
        "rechecked": 1,
        "released": 1,
    }
    assert status_of(shop, held) == "released"


def test_mappings_list_json_gives_each_mapping_with_its_parts(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path / "m.csv",
        [["match", "listing", "sku", "units"], ["sku", "BOX-6", "NAPKIN-1", "6"]],
    )
    assert main(["--db", str(shop.engine.url), "mappings", "import", str(path)]) == 0
    assert "1 mappings added" in capsys.readouterr().out
    assert main(["--db", str(shop.engine.url), "mappings", "list", "--json"]) == 0
    [m] = json.loads(capsys.readouterr().out)["mappings"]
    assert set(m) == {"id", "channel", "match", "listing", "parts", "updated_at"}
    assert (m["channel"], m["match"], m["listing"]) == ("", "sku", "BOX-6")
    assert m["parts"] == [{"sku": "NAPKIN-1", "name": "Product NAPKIN-1", "units": 6}]
    assert main(["--db", str(shop.engine.url), "mappings", "list"]) == 0
    assert "BOX-6  ->  NAPKIN-1 x6" in capsys.readouterr().out


def test_mappings_import_of_an_unreadable_file_exits_1_with_the_reason(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])
    assert main(["--db", str(shop.engine.url), "mappings", "import", str(path), "--json"]) == 1
    out = capsys.readouterr()
    assert "not a product mapping file" in json.loads(out.out)["error"]


def test_the_exported_table_imports_back_as_the_same_mappings(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    p = add_products(services, "A-1", "B-1", "C-1")
    tb = add_channel(services, "tb", "淘宝旗舰店")
    services.run(lm.save_mapping, admin, tb, "title", "茶具 礼盒", [(p["A-1"], 2), (p["B-1"], 1)])
    services.run(lm.save_mapping, admin, None, "sku", "C-6PK", [(p["C-1"], 6)])
    before = [(m.channel_name, m.match_kind, m.match_text, m.parts) for m in
              services.run(lm.list_mappings, admin)]  # fmt: skip
    for name in ("m.csv", "m.xlsx"):
        from app.importers import mapping_file

        mapping_file.write(tmp_path / name, services.run(lm.export_rows, admin))
        for m in services.run(lm.list_mappings, admin):
            services.run(lm.delete_mapping, admin, m.id)
        r = services.run(lm.import_mappings, admin, tmp_path / name)
        assert (r.added, r.problems) == (2, ())
        after = [(m.channel_name, m.match_kind, m.match_text, m.parts) for m in
                 services.run(lm.list_mappings, admin)]  # fmt: skip
        assert after == before


def test_mappings_export_writes_a_file_the_import_reads(
    shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path / "m.csv",
        [["match", "listing", "sku", "units"], ["sku", "BOX-6", "NAPKIN-1", "6"]],
    )
    db = str(shop.engine.url)
    assert main(["--db", db, "mappings", "import", str(path)]) == 0
    out = tmp_path / "out.csv"
    assert main(["--db", db, "mappings", "export", str(out)]) == 0
    assert "1 mappings (1 rows) written" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "channel,match,listing,sku,units",
        ",sku,BOX-6,NAPKIN-1,6",
    ]
    assert main(["--db", db, "mappings", "export", str(out)]) == 2
    assert "exists already" in capsys.readouterr().err
