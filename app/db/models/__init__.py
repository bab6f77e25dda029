"""All mapped tables. Import from here; each area has its own module."""

from app.db.models.base import Base, personal, utcnow
from app.db.models.catalog import Lot, Product, ProductBarcode
from app.db.models.importing import CustomerKey, ImportBatch, ImportProfile, OrderImport
from app.db.models.mappings import ListingMapping, ListingMappingPart
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
from app.db.models.people import AuditEntry, LoginThrottle, RoleRow, SettingRow, Station, User
from app.db.models.printing import PrintJob
from app.db.models.stock import Reservation, StockLedger, StockLevel
from app.db.models.warehouse import Location, Warehouse

__all__ = [
    "Address",
    "AuditEntry",
    "Base",
    "Carrier",
    "CarrierService",
    "Channel",
    "Customer",
    "CustomerKey",
    "ImportBatch",
    "ImportProfile",
    "ListingMapping",
    "ListingMappingPart",
    "Location",
    "LoginThrottle",
    "Lot",
    "Order",
    "OrderExternalRef",
    "OrderHold",
    "OrderImport",
    "OrderLine",
    "OrderStatusChange",
    "PrintJob",
    "Product",
    "ProductBarcode",
    "Reservation",
    "RoleRow",
    "SettingRow",
    "Station",
    "StockLedger",
    "StockLevel",
    "User",
    "Warehouse",
    "personal",
    "utcnow",
]
