"""All mapped tables. Import from here; each area has its own module."""

from app.db.models.base import Base, personal, utcnow
from app.db.models.big_indexes import BIG_INDEXES
from app.db.models.catalog import Lot, Product, ProductBarcode
from app.db.models.dashboard import DASHBOARD_INDEXES
from app.db.models.delivery import DeliveryException, TrackingEvent
from app.db.models.handover import Handover, HandoverParcel
from app.db.models.importing import CustomerKey, ImportBatch, ImportProfile, OrderImport
from app.db.models.layout import LayoutAisle, LayoutCrossAisle, LayoutDepot, LayoutZone
from app.db.models.mappings import ListingMapping, ListingMappingPart
from app.db.models.notices import Notice, NoticeTemplate
from app.db.models.offline import AppliedAction
from app.db.models.order_refs import OrderExternalRef
from app.db.models.orders import (
    Address,
    Carrier,
    CarrierService,
    Channel,
    Customer,
    Order,
    OrderHold,
    OrderLine,
    OrderStatusChange,
)
from app.db.models.packing import PackageType, PackException, PackItem, PackSession, Parcel
from app.db.models.people import AuditEntry, LoginThrottle, RoleRow, SettingRow, Station, User
from app.db.models.picking import (
    Cart,
    PickBatch,
    PickException,
    PickTask,
    PickTaskPart,
    RecountTask,
    Wave,
    WaveOrder,
    WaveRule,
)
from app.db.models.printing import PrintJob
from app.db.models.returns import Return, ReturnLine, ReturnReason
from app.db.models.shipping import OrderLabel, ShippingRule, SortingCode, TrackingNumber
from app.db.models.stock import Reservation, StockLedger, StockLevel
from app.db.models.sync import SyncConflict
from app.db.models.tracking_export import TrackingExport
from app.db.models.warehouse import Location, Warehouse

__all__ = [
    "BIG_INDEXES",
    "DASHBOARD_INDEXES",
    "Address",
    "AppliedAction",
    "AuditEntry",
    "Base",
    "Carrier",
    "CarrierService",
    "Cart",
    "Channel",
    "Customer",
    "CustomerKey",
    "DeliveryException",
    "Handover",
    "HandoverParcel",
    "ImportBatch",
    "ImportProfile",
    "LayoutAisle",
    "LayoutCrossAisle",
    "LayoutDepot",
    "LayoutZone",
    "ListingMapping",
    "ListingMappingPart",
    "Location",
    "LoginThrottle",
    "Lot",
    "Notice",
    "NoticeTemplate",
    "Order",
    "OrderExternalRef",
    "OrderHold",
    "OrderImport",
    "OrderLabel",
    "OrderLine",
    "OrderStatusChange",
    "PackException",
    "PackItem",
    "PackSession",
    "PackageType",
    "Parcel",
    "PickBatch",
    "PickException",
    "PickTask",
    "PickTaskPart",
    "PrintJob",
    "Product",
    "ProductBarcode",
    "RecountTask",
    "Reservation",
    "Return",
    "ReturnLine",
    "ReturnReason",
    "RoleRow",
    "SettingRow",
    "ShippingRule",
    "SortingCode",
    "Station",
    "StockLedger",
    "StockLevel",
    "SyncConflict",
    "TrackingEvent",
    "TrackingExport",
    "TrackingNumber",
    "User",
    "Warehouse",
    "Wave",
    "WaveOrder",
    "WaveRule",
    "personal",
    "utcnow",
]
