"""Pick carts: the kinds of cart the floor uses, how many tote slots each has and what it can
carry (0: no limit). Waves are split into batches that fit one cart.

Tote barcodes follow the cart's code (see ``app.domain.wave_rules``): slot 3 of a ``C12`` cart
is the tote ``C12-03``; the bulk tote of a batch picked by SKU is ``C12-BULK``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.db.models import Cart
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.users import Actor, Permission
from app.services.access import reads, writes


@dataclass(frozen=True)
class CartInfo:
    id: int
    code: str
    name: str
    tote_slots: int
    max_orders: int = 0
    max_lines: int = 0
    max_weight_g: int = 0
    max_volume_cm3: int = 0
    active: bool = True


def cart_info(c: Cart) -> CartInfo:
    return CartInfo(
        c.id,
        c.code,
        c.name,
        c.tote_slots,
        c.max_orders,
        c.max_lines,
        c.max_weight_g,
        c.max_volume_cm3,
        c.active,
    )


@reads
def list_carts(uow: UnitOfWork, actor: Actor, include_inactive: bool = False) -> list[CartInfo]:
    """The carts by code (active ones only unless asked)."""
    with uow:
        uow.require(actor)
        stmt = select(Cart).order_by(Cart.code)
        if not include_inactive:
            stmt = stmt.where(Cart.active.is_(True))
        return [cart_info(c) for c in uow.session.scalars(stmt)]


def _check(code: str, tote_slots: int, limits: tuple[int, ...]) -> None:
    if not code.strip() or len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationError(
            "The cart code {code} cannot be used: use 1 to 32 letters or digits.", code=code
        )
    if not 1 <= tote_slots <= 99:
        raise ValidationError(
            "A cart has 1 to 99 tote slots, not {slots}. Count the slots on the cart.",
            slots=tote_slots,
        )
    if any(v < 0 for v in limits):
        raise ValidationError("A cart's limits are 0 (no limit) or more. Correct the negative one.")


@writes(Permission.PLAN_WAVES)
def save_cart(
    uow: UnitOfWork,
    actor: Actor,
    code: str,
    tote_slots: int,
    *,
    name: str = "",
    max_orders: int = 0,
    max_lines: int = 0,
    max_weight_g: int = 0,
    max_volume_cm3: int = 0,
    active: bool = True,
) -> CartInfo:
    """Add a cart, or change the one with this code."""
    code = code.strip().upper()
    with uow:
        uow.require(actor, Permission.PLAN_WAVES)
        _check(code, tote_slots, (max_orders, max_lines, max_weight_g, max_volume_cm3))
        s = uow.session
        cart = s.scalar(select(Cart).where(Cart.code == code))
        before = None if cart is None else cart_info(cart).__dict__.copy()
        if cart is None:
            cart = Cart(code=code)
            s.add(cart)
        cart.name = name
        cart.tote_slots = tote_slots
        cart.max_orders = max_orders
        cart.max_lines = max_lines
        cart.max_weight_g = max_weight_g
        cart.max_volume_cm3 = max_volume_cm3
        cart.active = active
        s.flush()
        info = cart_info(cart)
        uow.audit(actor, "cart.save", "cart", code, before=before, after=dict(info.__dict__))
        uow.commit()
        return info
