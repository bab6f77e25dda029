"""Screens of the main window, in navigation order. Each issue adds its own module here;
a screen is listed only when it is real (no placeholders)."""

from __future__ import annotations

from ui.screens.base import Screen
from ui.screens.carriers import CarriersScreen
from ui.screens.dashboard import DashboardScreen
from ui.screens.delivery_exceptions import DeliveryExceptionsScreen
from ui.screens.devices import DevicesScreen
from ui.screens.import_screen import ImportScreen
from ui.screens.layout import LayoutScreen
from ui.screens.mappings import MappingsScreen
from ui.screens.orders import OrdersScreen
from ui.screens.outbox import OutboxScreen
from ui.screens.pack import PackScreen
from ui.screens.pack_exceptions import PackExceptionsScreen
from ui.screens.packaging import PackagingScreen
from ui.screens.pick import PickScreen
from ui.screens.pickup import PickupScreen
from ui.screens.returns import ReturnsScreen
from ui.screens.review import ReviewScreen
from ui.screens.settings import SettingsScreen
from ui.screens.ship import ShipScreen
from ui.screens.shipping_rules import ShippingRulesScreen
from ui.screens.sort_wall import SortWallScreen
from ui.screens.sync_conflicts import SyncConflictsScreen
from ui.screens.users import UsersScreen
from ui.screens.waves import WavesScreen


def screen_classes() -> list[type[Screen]]:
    return [
        OrdersScreen,
        ReviewScreen,
        ImportScreen,
        MappingsScreen,
        WavesScreen,
        PickScreen,
        SortWallScreen,
        PackScreen,
        PackExceptionsScreen,
        ShippingRulesScreen,
        CarriersScreen,
        PackagingScreen,
        ShipScreen,
        PickupScreen,
        ReturnsScreen,
        DeliveryExceptionsScreen,
        SyncConflictsScreen,
        OutboxScreen,
        DashboardScreen,
        LayoutScreen,
        UsersScreen,
        SettingsScreen,
        DevicesScreen,
    ]
