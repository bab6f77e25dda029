"""A carrier's sorting-code table is replaced from a file and looked up per address, the most
specific row winning; ``packdesk sorting load`` reports loaded and rejected rows (JSON keys are
a contract)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import Carrier
from app.domain.errors import NotFound, PermissionDenied
from app.domain.users import Actor, Role
from app.services import sorting_codes
from app.services.sorting_codes import SortingCode, sorting_code_for
from tests.conftest import make_actor

TABLE = (
    "country,province,city,district,postal_prefix,code,hub\n"
    "CN,,,,,000-CN,中国总集包\n"
    "CN,广东省,,,,700-GD,广州集包\n"
    "CN,广东,深圳,,,755-SZ,深圳集包\n"
    "CN,广东省,深圳市,南山区,,755-NS,深圳南山集包\n"
    "CN,,,,5180,755-P4,深圳邮编集包\n"
    "CN,,,,51,700-P2,广州邮编集包\n"
    "CN,浙江省,杭州市,,,571-HZ,杭州集包\n"
    "CN,,,,,000-DUP,\n"
    ",,,,,,\n"
    "CN,Guangxi,,,,771-GX,南宁集包\n"
)


@dataclass
class Place:
    country: str = "CN"
    province: str = ""
    city: str = ""
    district: str = ""
    postal_code: str = ""


def _carrier(services: Services, code: str = "STO") -> int:
    with services.uow() as uow:
        cid = uow.session.execute(
            insert(Carrier).returning(Carrier.id), [{"code": code, "name": "申通快递"}]
        ).scalar_one()
        uow.commit()
    return int(cid)


def _lookup(services: Services, carrier_id: int, place: Place) -> SortingCode | None:
    with services.uow() as uow:
        return sorting_code_for(uow.session, carrier_id, place)


def test_the_most_specific_row_wins_postal_prefix_first_then_district_city_province(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    cid = _carrier(services)
    path = tmp_path / "sto.csv"
    path.write_text(TABLE, encoding="utf-8")
    report = services.run(sorting_codes.load_sorting_codes, admin, "STO", path)
    assert (report.loaded, report.rejected) == (8, 1)
    assert [p.row for p in report.problems] == [9]  # the second country-only row
    cases = [
        (Place("CN", "广东省", "深圳市", "南山区", "518057"), "755-P4"),
        (Place("CN", "广东省", "深圳市", "南山区", ""), "755-NS"),
        (Place(province="广东", city="深圳市", district="福田区"), "755-SZ"),
        (Place(province="广东省", city="广州市"), "700-GD"),
        (Place(province="广东省", city="广州市", postal_code="510000"), "700-P2"),
        (Place(province="ＧＵＡＮＧＸＩ Province", city="南宁"), "771-GX"),
        (Place(province="江苏省", city="南京市"), "000-CN"),
    ]
    for place, code in cases:
        found = _lookup(services, cid, place)
        assert found is not None and found.code == code, place
    assert _lookup(services, cid, Place(country="US", province="CA")) is None
    hz = _lookup(services, cid, Place(province="浙江", city="杭州"))
    assert hz == SortingCode("571-HZ", "杭州集包")


def test_loading_again_replaces_the_carriers_table_and_leaves_other_carriers_alone(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    sto, zto = _carrier(services, "STO"), _carrier(services, "ZTO")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("省,大头笔\n广东,700-OLD\n", encoding="utf-8")
    second.write_text("省,大头笔,集包地\n浙江,571-NEW,杭州\n", encoding="utf-8")
    services.run(sorting_codes.load_sorting_codes, admin, "STO", first)
    services.run(sorting_codes.load_sorting_codes, admin, "ZTO", first)
    services.run(sorting_codes.load_sorting_codes, admin, "STO", second)
    assert _lookup(services, sto, Place(province="广东省")) is None
    assert _lookup(services, sto, Place(province="浙江省")) == SortingCode("571-NEW", "杭州")
    assert _lookup(services, zto, Place(province="广东省")) == SortingCode("700-OLD", "")


def test_only_someone_who_manages_shipping_loads_a_table_of_a_carrier_that_exists(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    _carrier(services)
    path = tmp_path / "a.csv"
    path.write_text("省,大头笔\n广东,700\n", encoding="utf-8")
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(sorting_codes.load_sorting_codes, packer, "STO", path)
    with pytest.raises(NotFound):
        services.run(sorting_codes.load_sorting_codes, admin, "NOPE", path)


@pytest.fixture
def cli_shop(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    svc = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    _carrier(svc)
    yield svc
    svc.close()


def test_the_command_line_loads_a_table_and_gives_loaded_rejected_and_each_errors_row(
    cli_shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sto.csv"
    path.write_text(TABLE, encoding="utf-8")
    code = main(["--db", str(cli_shop.engine.url), "sorting", "load", "STO", str(path), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # some rows were rejected
    assert out["loaded"] == 8 and out["rejected"] == 1
    assert out["errors"] == [
        {"row": 9, "reason": "The same destination is given on row 2. Keep one of the two rows."}
    ]
    assert {"carrier", "file"} <= set(out)
    with cli_shop.uow() as uow:
        assert uow.session.scalar(select(Carrier.code)) == "STO"


def test_the_command_line_says_which_carrier_is_unknown(
    cli_shop: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sto.csv"
    path.write_text(TABLE, encoding="utf-8")
    code = main(["--db", str(cli_shop.engine.url), "sorting", "load", "YTO", str(path), "--json"])
    assert code == 2
    assert "YTO" in json.loads(capsys.readouterr().out)["error"]
