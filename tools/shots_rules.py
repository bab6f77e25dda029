#!/usr/bin/env python3
"""Screenshots of the Shipping rules screen: the list, the editor and "test on an order", in
English and Chinese, offscreen, into docs/screenshots/ (rules-list-en.png...).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/shots_rules.py
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.bootstrap import Services  # noqa: E402
from app.domain.shipping_rules import HOLD  # noqa: E402
from app.domain.users import Actor  # noqa: E402
from app.services import shipping_rules  # noqa: E402
from app.services.shipping_rules import RuleDraft  # noqa: E402
from tests.shipping_rule_fixtures import build_shop  # noqa: E402
from tools.shot_kit import fresh_shop, settle  # noqa: E402
from ui.application import install_fonts, make_qapp  # noqa: E402
from ui.bus import Bus  # noqa: E402
from ui.context import UiContext  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.screens.shipping_rules import ShippingRulesScreen  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


#: the rules' names and hold reason as a Chinese shop would write them
ZH = {
    "Xinjiang, Tibet: remote-area fee": "新疆西藏：偏远地区加价",
    "Ask the customer to pay the remote-area fee first": "请先联系客户补偏远运费",
    "Heavy parcels by SF Economy": "重货走顺丰特惠",
    "Glass to Guangdong by SF": "广东玻璃制品走顺丰",
    "Light orders in a polybag": "轻件用快递袋",
    "Express requested: SF": "客户要求加急：顺丰",
    "Everything else by ZTO": "其余走中通",
}


def rules(services: Services, actor: Actor, lang: str) -> None:
    def say(text: str) -> str:
        return ZH.get(text, text) if lang.startswith("zh") else text

    shop = build_shop(services)
    for draft in (
        RuleDraft(
            name="Xinjiang, Tibet: remote-area fee",
            action=HOLD,
            conditions={"provinces": ["新疆", "西藏"]},
            hold_reason="Ask the customer to pay the remote-area fee first",
        ),
        RuleDraft(
            name="Heavy parcels by SF Economy",
            conditions={"weight_min_g": 5000},
            carrier_service_id=shop.sf_economy,
        ),
        RuleDraft(
            name="Glass to Guangdong by SF",
            conditions={"provinces": ["广东"], "tags": ["glass"], "value_min": "50"},
            carrier_service_id=shop.sf_standard,
            package_type_id=shop.box_s,
        ),
        RuleDraft(
            name="Light orders in a polybag",
            conditions={"weight_max_g": 500},
            package_type_id=shop.bag,
            stop=False,
        ),
        RuleDraft(
            name="Express requested: SF",
            conditions={"shipping_methods": ["express", "顺丰"]},
            carrier_service_id=shop.sf_standard,
        ),
        RuleDraft(name="Everything else by ZTO", carrier_service_id=shop.zto_standard),
    ):
        draft = replace(draft, name=say(draft.name), hold_reason=say(draft.hold_reason))
        services.run(shipping_rules.save_rule, actor, draft)


def save(widget: QWidget, name: str, lang: str) -> None:
    path = OUT / f"rules-{name}-{'zh' if lang.startswith('zh') else 'en'}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def shots(app: QApplication, lang: str) -> None:
    install_language(app, lang)
    services, actor, _ = fresh_shop()
    rules(services, actor, lang)
    window = MainWindow(UiContext(services, actor, Bus()))
    window.resize(1600, 900)
    window.show()
    screen = window.screen(ShippingRulesScreen)
    assert isinstance(screen, ShippingRulesScreen)
    settle(app, 0.8)
    screen.table.selectRow(2)
    settle(app)
    save(window, "list", lang)
    current = screen.current()
    assert current is not None
    editor = screen.open_editor(shipping_rules.draft_of(current))
    assert editor is not None
    editor.resize(760, 820)
    editor.show()
    settle(app)
    save(editor, "editor", lang)
    editor.close()
    screen.test_panel.test_order("PD00000003")
    settle(app, 0.8)
    save(window, "test", lang)
    window.close()
    services.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    install_fonts(app)
    for lang in ("en", "zh_CN"):
        shots(app, lang)


if __name__ == "__main__":
    main()
