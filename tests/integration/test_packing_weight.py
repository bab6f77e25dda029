"""The weight gate, the pool and resuming, on SQLite and PostgreSQL: a weight outside the
expectation stops the parcel until a supervisor's badge accepts it; an empty pool refuses
clearly and loses nothing; a new session after a "crash" shows the same state."""

from __future__ import annotations

from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import AuditEntry, PackException, Parcel, PrintJob
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor
from app.services import packing
from tests.pack_fixtures import BADGE, PD1_WEIGHT, counts, load_numbers, pack_ready, tea
from tests.pick_fixtures import BARCODES


def _verify_pd1(services: Services, packer: Actor) -> int:
    sid = services.run(packing.open_for_packing, packer, "TOTE-0001").session_id
    for text in (BARCODES["CUP-1"], BARCODES["CUP-1"], "PKG-BOX-S", tea("L1")):
        out = services.run(packing.scan, packer, sid, text)
        assert out.ok, (text, out.message, out.params)
    return sid


def test_a_weight_outside_stops_the_parcel_and_a_supervisors_badge_lets_it_print(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    sid = _verify_pd1(services, setup.packer)
    before = counts(services)
    stopped = services.run(packing.weigh, setup.packer, sid, PD1_WEIGHT + 400)
    assert not stopped.ok and stopped.kind == "weight_stopped" and stopped.refusal == "weight"
    verdict = stopped.weight_verdict
    assert verdict is not None and verdict.direction == "over"
    assert (verdict.expected_g, verdict.actual_g) == (PD1_WEIGHT, PD1_WEIGHT + 400)
    assert stopped.view.next_step == "override" and stopped.label_job_id is None
    parcel = stopped.view.current_parcel
    assert parcel is not None and parcel.low_g == verdict.low_g and parcel.high_g == verdict.high_g
    after = counts(services)
    assert after["print_jobs"] == before["print_jobs"] and after["pack_exceptions"] == (
        before["pack_exceptions"] + 1
    )
    with services.uow() as uow:
        exc = uow.session.scalars(select(PackException).where(PackException.kind == "weight")).one()
        assert (exc.expected_g, exc.actual_g, exc.resolved_at) == (
            PD1_WEIGHT,
            PD1_WEIGHT + 400,
            None,
        )
    # weighed again, still wrong: the first exception is replaced by the new one
    services.run(packing.weigh, setup.packer, sid, PD1_WEIGHT + 400)
    done = services.run(packing.override_weight, setup.packer, sid, BADGE)
    assert done.ok and done.kind == "packed" and done.label_job_id, (done.message, done.params)
    with services.uow() as uow:
        s = uow.session
        open_weight = s.scalar(
            select(func.count(PackException.id)).where(
                PackException.kind == "weight", PackException.resolved_at.is_(None)
            )
        )
        assert open_weight == 0
        resolutions = sorted(
            s.scalars(select(PackException.resolution).where(PackException.kind == "weight"))
        )
        assert resolutions == ["override", "repacked"]
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "pack.weight_override")
        ).one()
        assert audit.username == setup.packer.username
        assert audit.after is not None and audit.after["accepted_by"] == "boss"
        assert s.scalar(select(Parcel.weight_source)) == "override"


def test_a_badge_without_the_permission_is_refused_naming_why(
    services: Services, admin: Actor
) -> None:
    from app.domain.users import Role
    from app.services import auth

    setup = pack_ready(services, admin)
    services.run(
        auth.create_user, admin, "li", Role.PACKER, "secret-pass-1", badge="BADGE-PK", pin="4821"
    )
    sid = _verify_pd1(services, setup.packer)
    services.run(packing.weigh, setup.packer, sid, 50)
    before = counts(services)
    out = services.run(packing.scan, setup.packer, sid, "BADGE-PK")
    assert not out.ok and out.refusal == "badge" and out.params["user"] == "li"
    assert out.view.next_step == "override"
    unknown = services.run(packing.override_weight, setup.packer, sid, "BADGE-NOBODY")
    assert unknown.refusal == "badge"
    assert counts(services) == before
    done = services.run(packing.scan, setup.packer, sid, BADGE)
    assert done.ok and done.kind == "packed"


def test_an_empty_pool_refuses_clearly_keeps_the_weight_and_a_retry_after_loading_works(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin, numbers=0)
    sid = _verify_pd1(services, setup.packer)
    out = services.run(packing.weigh, setup.packer, sid, PD1_WEIGHT)
    assert not out.ok and out.refusal == "pool_empty"
    assert "No tracking numbers are left for SF Express" in out.message.format(**out.params)
    assert out.view.next_step == "retry" and out.view.order_status == "packing"
    [parcel] = out.view.parcels
    assert (parcel.status, parcel.weight_g, parcel.tracking_number) == (
        "closed",
        PD1_WEIGHT,
        "",
    )
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count(PrintJob.id))) == 0
    again = services.run(packing.finish_now, setup.packer, sid)
    assert again.refusal == "pool_empty"
    numbers = load_numbers(services, setup.carrier_id, 2, start=50)
    done = services.run(packing.finish_now, setup.packer, sid)
    assert done.ok and done.kind == "packed" and done.tracking_number == numbers[0]
    assert done.view.warnings and done.view.warnings[0].params["left"] == 1


def test_packing_resumes_exactly_after_a_crash(
    services: Services, admin: Actor, db_url: str, paths: object
) -> None:
    from app.bootstrap import bootstrap
    from app.config import Settings

    setup = pack_ready(services, admin)
    sid = services.run(packing.open_for_packing, setup.packer, "TOTE-0001").session_id
    services.run(packing.scan, setup.packer, sid, BARCODES["CUP-1"])
    services.run(packing.scan, setup.packer, sid, "PKG-BOX-S")
    services.run(packing.scan, setup.packer, sid, "PD-CMD-NEXTPARCEL")  # refused: no weight
    seen = services.run(packing.weigh, setup.packer, sid, 600)
    services.close()  # the power goes
    again = bootstrap(Settings(db_url=db_url, station="test-station"), paths)  # type: ignore[arg-type]
    try:
        resumed = again.run(packing.resume, setup.packer)
        assert resumed is not None
        assert resumed == seen.view
        assert resumed.lines[0].verified == 1 and resumed.current_parcel is not None
        assert resumed.current_parcel.package_code == "BOX-S"
        assert resumed.current_parcel.weight_g == 600
        reopened = again.run(packing.open_for_packing, setup.packer, "PD1")
        assert reopened == resumed
    finally:
        again.close()


def test_typed_weights_need_the_setting_and_are_audited(services: Services, admin: Actor) -> None:
    setup = pack_ready(services, admin)
    sid = _verify_pd1(services, setup.packer)
    refused = services.run(packing.weigh, setup.packer, sid, PD1_WEIGHT, "typed")
    assert refused.refusal == "typed"
    from app.services import pack_settings

    services.run(pack_settings.save_pack_settings, admin, PackSettings(allow_typed_weight=True))
    done = services.run(packing.weigh, setup.packer, sid, PD1_WEIGHT, "typed")
    assert done.ok and done.kind == "packed"
    with services.uow() as uow:
        typed = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "pack.typed_weight")
        ).one()
        assert typed.after is not None and typed.after["actual"] == PD1_WEIGHT
