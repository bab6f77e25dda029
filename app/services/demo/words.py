"""Word lists for the demo warehouse: people, places, products, carriers and shops.

Brands and shops are made up; cities, districts, postal codes and phone number ranges are real
so the data passes the same checks real orders must pass.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- people ---------------------------------------------------------------------------------------

#: common surnames, most frequent first (weights fall off with the position)
CN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
CN_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鑫波斌宇浩凯欣怡佳琪子涵梓轩"
    "雨桐一诺思远晨曦嘉怡俊杰宏伟文博天佑晓峰建华志强海燕丹丹婷婷雪梅春燕国庆立新小龙诗涵若曦"
)

EN_FIRST = (
    "Emma",
    "Olivia",
    "Ava",
    "Sophia",
    "Isabella",
    "Mia",
    "Charlotte",
    "Amelia",
    "Harper",
    "Evelyn",
    "Liam",
    "Noah",
    "Oliver",
    "Elijah",
    "James",
    "William",
    "Benjamin",
    "Lucas",
    "Henry",
    "Theodore",
    "Jack",
    "Levi",
    "Alexander",
    "Daniel",
    "Matthew",
    "Samuel",
    "Grace",
    "Chloe",
    "Lily",
    "Hannah",
    "Zoe",
    "Nora",
    "Ella",
    "Lucy",
    "Anna",
    "Sarah",
    "Leah",
    "Ruby",
    "Thomas",
    "George",
    "Harry",
    "Oscar",
    "Charlie",
    "Freya",
    "Isla",
    "Lena",
    "Jonas",
    "Felix",
    "Max",
    "Paul",
    "Mila",
    "Clara",
    "Emily",
    "Jacob",
    "Ethan",
    "Ryan",
    "Nathan",
    "Claire",
)
EN_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Evans",
    "Turner",
    "Parker",
    "Collins",
    "Edwards",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Cooper",
    "Peterson",
    "Reed",
    "Bailey",
    "Bell",
    "Kelly",
    "Howard",
    "Ward",
    "Cox",
    "Richardson",
    "Wood",
    "Watson",
    "Brooks",
    "Bennett",
    "Gray",
    "Hughes",
    "Price",
    "Sanders",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Becker",
    "O'Brien",
    "Nguyen",
)

#: mainland mobile prefixes in use (three digits; eight more follow)
CN_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "145",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

# --- places ---------------------------------------------------------------------------------------

#: (province, city, ((district, postal code), ...)); municipalities repeat their name
CN_PLACES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "北京市",
        "北京市",
        (
            ("朝阳区", "100020"),
            ("海淀区", "100080"),
            ("东城区", "100010"),
            ("丰台区", "100070"),
            ("西城区", "100032"),
        ),
    ),
    (
        "上海市",
        "上海市",
        (
            ("浦东新区", "200120"),
            ("徐汇区", "200030"),
            ("静安区", "200040"),
            ("闵行区", "201100"),
            ("杨浦区", "200082"),
        ),
    ),
    (
        "广东省",
        "广州市",
        (("天河区", "510630"), ("越秀区", "510030"), ("海珠区", "510220"), ("番禺区", "511400")),
    ),
    (
        "广东省",
        "深圳市",
        (("南山区", "518052"), ("福田区", "518033"), ("宝安区", "518101"), ("龙岗区", "518172")),
    ),
    (
        "浙江省",
        "杭州市",
        (("西湖区", "310012"), ("余杭区", "311100"), ("滨江区", "310051"), ("拱墅区", "310011")),
    ),
    ("浙江省", "宁波市", (("鄞州区", "315100"), ("海曙区", "315000"))),
    ("江苏省", "南京市", (("鼓楼区", "210009"), ("玄武区", "210018"), ("江宁区", "211100"))),
    ("江苏省", "苏州市", (("姑苏区", "215000"), ("吴中区", "215100"), ("相城区", "215131"))),
    (
        "四川省",
        "成都市",
        (("武侯区", "610041"), ("锦江区", "610021"), ("双流区", "610200"), ("成华区", "610051")),
    ),
    ("湖北省", "武汉市", (("洪山区", "430070"), ("武昌区", "430060"), ("江汉区", "430015"))),
    ("陕西省", "西安市", (("雁塔区", "710061"), ("碑林区", "710001"), ("未央区", "710016"))),
    ("重庆市", "重庆市", (("渝北区", "401120"), ("江北区", "400020"), ("九龙坡区", "400050"))),
    ("天津市", "天津市", (("南开区", "300100"), ("和平区", "300041"), ("河西区", "300202"))),
    ("山东省", "青岛市", (("市南区", "266001"), ("崂山区", "266100"))),
    ("山东省", "济南市", (("历下区", "250014"), ("市中区", "250001"))),
    ("福建省", "厦门市", (("思明区", "361001"), ("湖里区", "361006"))),
    ("福建省", "福州市", (("鼓楼区", "350001"), ("仓山区", "350007"))),
    ("湖南省", "长沙市", (("岳麓区", "410006"), ("芙蓉区", "410011"), ("天心区", "410004"))),
    ("河南省", "郑州市", (("金水区", "450000"), ("二七区", "450052"))),
    ("辽宁省", "沈阳市", (("和平区", "110001"), ("浑南区", "110179"))),
    ("辽宁省", "大连市", (("中山区", "116001"), ("沙河口区", "116021"))),
    ("安徽省", "合肥市", (("蜀山区", "230031"), ("包河区", "230041"))),
    ("云南省", "昆明市", (("五华区", "650032"), ("盘龙区", "650051"))),
    ("黑龙江省", "哈尔滨市", (("南岗区", "150001"), ("道里区", "150010"))),
)
#: relative weight of each entry of CN_PLACES (big cities order more)
CN_PLACE_WEIGHTS = (14, 13, 9, 10, 9, 3, 5, 5, 6, 5, 4, 5, 4, 3, 2, 2, 2, 3, 3, 2, 2, 2, 2, 2)

CN_ROADS = (
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "和平路",
    "新华路",
    "文化路",
    "科技园南路",
    "学府路",
    "长江路",
    "黄河路",
    "青年路",
    "滨江大道",
    "世纪大道",
    "花园路",
    "朝阳路",
    "建国路",
    "东风路",
    "胜利路",
    "光明路",
    "幸福路",
    "迎宾大道",
    "南京路",
    "北京路",
    "湖滨路",
    "江南大道",
    "金融街",
)
CN_COMPOUNDS = (
    "阳光花园",
    "翠苑小区",
    "锦绣家园",
    "金色家园",
    "幸福里",
    "春江花月",
    "枫林湾",
    "星河湾",
    "紫荆苑",
    "御景华庭",
    "碧水蓝天",
    "香樟园",
    "绿洲新城",
    "东方明珠苑",
    "桂花城",
)
CN_TOWERS = ("创新大厦", "国际商务中心", "科技大厦", "财富广场", "时代广场", "软件园")

#: country -> (weight, currency, ((city, region, postal code pattern), ...))
#: postal patterns: digits are kept, '#' is a random digit, '@' a random inward-code letter
EN_PLACES: dict[str, tuple[int, str, tuple[tuple[str, str, str], ...]]] = {
    "US": (
        45,
        "USD",
        (
            ("San Francisco", "CA", "941##"),
            ("Los Angeles", "CA", "900##"),
            ("Seattle", "WA", "981##"),
            ("New York", "NY", "100##"),
            ("Chicago", "IL", "606##"),
            ("Austin", "TX", "787##"),
            ("Boston", "MA", "021##"),
            ("Denver", "CO", "802##"),
            ("Portland", "OR", "972##"),
            ("Miami", "FL", "331##"),
        ),
    ),
    "GB": (
        25,
        "GBP",
        (
            ("London", "", "SW1A #@@"),
            ("London", "", "E1 #@@"),
            ("London", "", "N1 #@@"),
            ("Manchester", "", "M1 #@@"),
            ("Birmingham", "", "B15 #@@"),
            ("Edinburgh", "", "EH1 #@@"),
            ("Bristol", "", "BS1 #@@"),
            ("Leeds", "", "LS1 #@@"),
        ),
    ),
    "DE": (
        15,
        "EUR",
        (
            ("Berlin", "", "101##"),
            ("München", "", "803##"),
            ("Hamburg", "", "200##"),
            ("Köln", "", "506##"),
            ("Frankfurt am Main", "", "603##"),
        ),
    ),
    "AU": (
        15,
        "AUD",
        (
            ("Sydney", "NSW", "20##"),
            ("Melbourne", "VIC", "30##"),
            ("Brisbane", "QLD", "40##"),
            ("Perth", "WA", "60##"),
            ("Adelaide", "SA", "50##"),
        ),
    ),
}
#: letters allowed in the inward part of a UK postcode
UK_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
#: how each country writes a valid mobile number: (prefix, random digits, printed format)
EN_PHONES: dict[str, tuple[tuple[str, ...], int]] = {
    "US": (("1",), 7),
    "GB": (("447400", "447712", "447984", "447825"), 6),
    "DE": (("49151", "49160", "49170", "49176"), 8),
    "AU": (("61412", "61401", "61423", "61438"), 6),
}
#: area codes of the US cities above
US_AREA_CODES = {
    "San Francisco": "415", "Los Angeles": "213", "Seattle": "206", "New York": "212",
    "Chicago": "312", "Austin": "512", "Boston": "617", "Denver": "303", "Portland": "503",
    "Miami": "305",
}  # fmt: skip
#: streets per country; "{n}" is the house number, where the country writes it
EN_STREETS: dict[str, tuple[str, ...]] = {
    "US": ("{n} Maple Avenue", "{n} Oak Street", "{n} Pine Road", "{n} Cedar Lane",
           "{n} Elm Street", "{n} Park Avenue", "{n} Lakeview Drive", "{n} Sunset Boulevard",
           "{n} Market Street", "{n} Washington Street"),
    "GB": ("{n} High Street", "{n} Church Road", "{n} Station Road", "{n} Victoria Road",
           "{n} Mill Lane", "{n} King Street", "{n} Queen Street", "{n} Harbour Road"),
    "DE": ("Hauptstraße {n}", "Bahnhofstraße {n}", "Gartenweg {n}", "Schillerstraße {n}",
           "Goethestraße {n}", "Lindenallee {n}"),
    "AU": ("{n} George Street", "{n} Collins Street", "{n} Pitt Street", "{n} Queen Street",
           "{n} Beach Road", "{n} Elizabeth Street"),
}  # fmt: skip
EN_STREET2 = ("Apt {n}", "Apt {n}B", "Unit {n}", "Suite {n}00", "Flat {n}", "Floor {n}")

# --- shops and carriers ---------------------------------------------------------------------------

#: (code, name, platform, cross-border, weight)
CHANNELS = (
    ("taobao", "淘宝 · 悦享生活旗舰店", "taobao", False, 34),
    ("jd", "京东 · 悦享自营专区", "jd", False, 18),
    ("pdd", "拼多多 · 悦享百货", "pinduoduo", False, 17),
    ("douyin", "抖音小店 · 悦享好物", "douyin", False, 16),
    ("shopify", "Shopify · Bluepeak Goods", "shopify", True, 9),
    ("woo", "WooCommerce · Willow Lane", "woocommerce", True, 6),
)

#: (code, name, cross-border, ((service code, name, label size), ...))
CARRIERS = (
    (
        "SF",
        "顺丰速运 SF Express",
        False,
        (("SF-STD", "顺丰标快", "100x150mm"), ("SF-EXP", "顺丰特快", "100x150mm")),
    ),
    ("ZTO", "中通快递 ZTO Express", False, (("ZTO-STD", "中通标准快递", "76x130mm"),)),
    ("YTO", "圆通速递 YTO Express", False, (("YTO-STD", "圆通标准快递", "76x130mm"),)),
    (
        "JD",
        "京东物流 JD Logistics",
        False,
        (("JD-STD", "京东标准达", "100x150mm"), ("JD-SPECIAL", "京东特快", "100x150mm")),
    ),
    (
        "UPS",
        "UPS",
        True,
        (("UPS-STD", "UPS Standard", "4x6in"), ("UPS-SAVER", "UPS Worldwide Saver", "4x6in")),
    ),
    (
        "DHL",
        "DHL Express",
        True,
        (("DHL-EXP", "DHL Express Worldwide", "4x6in"), ("DHL-ECOM", "DHL eCommerce", "4x6in")),
    ),
)

# --- products -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """A kind of goods and how such goods are made up, weighed, tracked and priced."""

    code: str
    brands: tuple[str, ...]
    items: tuple[str, ...]
    variants: tuple[str, ...]
    #: grams
    weight: tuple[int, int]
    #: typical length, width, height in mm
    dims: tuple[int, int, int]
    #: price range in CNY
    price: tuple[int, int]
    lot: bool = False
    #: typical shelf life in days when the goods expire (0: they do not)
    shelf_days: int = 0
    serial: bool = False
    english: bool = False
    unit: str = "each"
    #: units per case when the goods also come in cases with a GTIN-14
    case_qty: tuple[int, ...] = (12,)


CATEGORIES = (
    Category(
        "SNK",
        ("山野铺子", "悦享", "禾点点", "小熊家", "果然好"),
        (
            "每日坚果",
            "芒果干",
            "手撕牛肉干",
            "海苔脆片",
            "蛋黄酥",
            "夏威夷果",
            "碧根果",
            "猪肉脯",
            "香辣鸭脖",
            "山楂条",
        ),
        ("100g", "250g", "500g", "750g礼盒装", "1kg家庭装"),
        (120, 1100),
        (200, 150, 60),
        (15, 128),
        lot=True,
        shelf_days=240,
        case_qty=(12, 24),
    ),
    Category(
        "TEA",
        ("茶语", "一叶山房", "云岭", "山水间"),
        (
            "西湖龙井",
            "安溪铁观音",
            "云南普洱茶饼",
            "福州茉莉花茶",
            "武夷大红袍",
            "金骏眉",
            "白毫银针",
        ),
        ("50g", "100g", "250g", "357g", "礼盒装"),
        (60, 500),
        (180, 120, 80),
        (39, 499),
        lot=True,
        shelf_days=720,
        case_qty=(6, 12),
    ),
    Category(
        "BEV",
        ("清泉", "悦享", "椰林"),
        ("燕麦奶", "椰子水", "无糖气泡水", "冷萃咖啡", "乌龙茶饮料"),
        ("250ml×12", "330ml×24", "500ml×15", "1L×6"),
        (3000, 9000),
        (400, 270, 220),
        (39, 99),
        lot=True,
        shelf_days=270,
        case_qty=(4,),
    ),
    Category(
        "CSM",
        ("初心", "森屿", "青柚", "花间"),
        (
            "玻尿酸补水面膜",
            "氨基酸洗面奶",
            "清透防晒霜 SPF50+",
            "烟酰胺精华液",
            "护手霜",
            "无硅油洗发水",
            "香氛沐浴露",
        ),
        ("10片装", "30ml", "50ml", "100ml", "500ml"),
        (50, 650),
        (150, 60, 40),
        (29, 299),
        lot=True,
        shelf_days=1095,
        case_qty=(24, 48),
    ),
    Category(
        "SUP",
        ("元气", "康宁", "益生堂"),
        ("维生素C咀嚼片", "深海鱼油软胶囊", "益生菌冻干粉", "钙镁锌片", "乳清蛋白粉"),
        ("60粒", "120粒", "30袋", "900g"),
        (80, 1000),
        (110, 70, 70),
        (59, 399),
        lot=True,
        shelf_days=730,
        case_qty=(12,),
    ),
    Category(
        "BABY",
        ("小鹿", "暖暖", "呵护"),
        ("纸尿裤", "拉拉裤", "婴儿湿巾", "儿童牙膏", "宝宝辅食米粉"),
        ("S码", "M码", "L码", "XL码", "80抽×6包"),
        (200, 2500),
        (350, 250, 200),
        (39, 199),
        lot=True,
        shelf_days=1095,
        case_qty=(4, 6),
    ),
    Category(
        "HOME",
        ("木子", "简居", "栖家"),
        ("不锈钢保温杯", "真空收纳袋", "纯棉毛巾", "记忆棉抱枕", "香薰蜡烛", "防滑衣架"),
        ("白色", "黑色", "3件套", "10只装", "大号", "小号"),
        (80, 1200),
        (250, 120, 100),
        (12, 189),
        case_qty=(12, 24),
    ),
    Category(
        "KIT",
        ("厨小二", "简居", "食光"),
        ("不粘炒锅", "陶瓷刀", "竹砧板", "硅胶锅铲", "玻璃保鲜盒", "手冲咖啡壶"),
        ("28cm", "32cm", "3件套", "1L", "600ml"),
        (150, 2500),
        (350, 300, 120),
        (19, 399),
        case_qty=(6, 12),
    ),
    Category(
        "CLO",
        ("棉时光", "北纬", "素衣"),
        ("纯棉圆领T恤", "连帽卫衣", "休闲运动裤", "羊毛袜", "防晒衣"),
        tuple(f"{c} {s}" for c in ("白色", "黑色", "灰色") for s in ("S", "M", "L", "XL", "XXL")),
        (60, 700),
        (300, 250, 40),
        (29, 299),
        case_qty=(20, 50),
    ),
    Category(
        "SHO",
        ("步履", "北纬"),
        ("轻便跑步鞋", "帆布鞋", "居家拖鞋"),
        tuple(f"{c} {s}码" for c in ("白色", "黑色") for s in range(36, 45)),
        (300, 900),
        (320, 210, 120),
        (59, 399),
        unit="pair",
        case_qty=(10,),
    ),
    Category(
        "ELEC",
        ("极光", "电小二", "快充侠"),
        ("USB-C 数据线", "氮化镓充电器", "磁吸手机壳", "无线鼠标", "钢化膜"),
        ("1m", "2m", "20W", "65W", "iPhone 15", "iPhone 16", "黑色", "白色"),
        (30, 300),
        (150, 90, 30),
        (19, 199),
        case_qty=(50, 100),
    ),
    Category(
        "DEV",
        ("极光", "声悦", "智趣"),
        ("蓝牙耳机", "移动电源", "机械键盘", "智能手表", "便携音箱"),
        ("黑色", "白色", "10000mAh", "20000mAh", "标准版", "Pro版"),
        (60, 1200),
        (200, 150, 60),
        (99, 999),
        serial=True,
        case_qty=(10, 20),
    ),
    Category(
        "TOY",
        ("积木屋", "童趣", "奇思"),
        ("拼装积木", "1000片拼图", "毛绒公仔", "遥控越野车", "三阶魔方"),
        ("迷你版", "小号", "中号", "大号", "豪华版"),
        (100, 1500),
        (300, 200, 100),
        (19, 299),
        case_qty=(6, 12),
    ),
    Category(
        "PET",
        ("喵星球", "汪仔", "毛孩子"),
        ("全价猫粮", "冻干猫零食", "豆腐猫砂", "狗狗洁齿棒"),
        ("1.5kg", "2kg", "6L", "10L", "试吃装"),
        (100, 6000),
        (350, 250, 90),
        (19, 259),
        lot=True,
        shelf_days=540,
        case_qty=(4, 6),
    ),
    Category(
        "STA",
        ("书香", "简居", "墨点"),
        ("中性笔", "A5笔记本", "便利贴", "荧光笔", "桌面收纳盒"),
        ("0.5mm 黑色 12支", "5色套装", "3本装", "单个装"),
        (20, 600),
        (200, 150, 30),
        (6, 89),
        case_qty=(24, 48),
    ),
    Category(
        "SPT",
        ("野趣", "北纬", "燃动"),
        ("加厚瑜伽垫", "计数跳绳", "弹力带", "运动水壶", "速干毛巾"),
        ("粉色", "蓝色", "黑色", "套装"),
        (100, 1500),
        (600, 150, 150),
        (19, 199),
        case_qty=(10, 20),
    ),
    Category(
        "XHOM",
        ("Bluepeak", "Willow Lane", "Kestrel Home"),
        (
            "Bamboo Toothbrush",
            "Silk Pillowcase",
            "Linen Tea Towel",
            "Ceramic Pour-Over Set",
            "Beeswax Food Wraps",
            "Stoneware Mug",
        ),
        ("4-pack", "Queen", "King", "Natural", "Sage Green", "Charcoal"),
        (50, 900),
        (250, 180, 60),
        (49, 399),
        english=True,
        case_qty=(12, 24),
    ),
    Category(
        "XDEV",
        ("Lumen & Co", "Northwind Goods", "Kestrel Home"),
        ("LED Desk Lamp", "Wireless Charger Pad", "Bluetooth Speaker", "Smart Plug"),
        ("US plug", "UK plug", "EU plug", "AU plug"),
        (150, 1200),
        (300, 150, 120),
        (99, 699),
        serial=True,
        english=True,
        case_qty=(6, 12),
    ),
    Category(
        "XFAS",
        ("Willow Lane", "Northwind Goods", "Bluepeak"),
        ("Merino Beanie", "Canvas Tote Bag", "Leather Card Holder", "Silk Scrunchie Set"),
        ("Black", "Navy", "Camel", "Olive", "Rose"),
        (30, 500),
        (300, 250, 30),
        (59, 499),
        english=True,
        case_qty=(20,),
    ),
    Category(
        "XBTY",
        ("Bluepeak", "Lumen & Co", "Willow Lane"),
        ("Rosehip Face Oil", "Vitamin C Serum", "Matcha Clay Mask", "Lip Balm Trio"),
        ("15ml", "30ml", "50g", "Travel size"),
        (40, 250),
        (120, 50, 50),
        (69, 399),
        lot=True,
        shelf_days=900,
        english=True,
        case_qty=(24,),
    ),
    Category(
        "XTEA",
        ("Northwind Goods", "Bluepeak"),
        ("Jasmine Pearl Green Tea", "Oolong Tea Sampler", "Chrysanthemum Flower Tea"),
        ("50g tin", "100g tin", "20 tea bags", "Gift box"),
        (60, 250),
        (100, 100, 120),
        (49, 299),
        lot=True,
        shelf_days=720,
        english=True,
        case_qty=(12,),
    ),
)

#: GS1 company prefixes of the made-up brands: China (690-699) for Chinese brands, the UK (50),
#: Germany (40) and Australia (93) for the others
GS1_PREFIX_BY_MARKET = {"cn": ("690", "691", "692", "693", "694", "695"), "en": ("50", "40", "93")}

#: the demo's hold sentences (collected for translation as *_MESSAGES)
DEMO_HOLD_MESSAGES = {
    "bad_phone": "The phone number {phone} is not a valid mobile number: mainland mobiles have "
    "11 digits starting 13-19. Call the customer or ask the shop for the right number.",
    "bad_phone_en": "The phone number {phone} is too short to be valid. Ask the customer for a "
    "full international number.",
    "missing_address": "The address has no district (区/县). Add it before the carrier will "
    "take the parcel.",
    "unknown_sku": "SKU {sku} is not in the catalogue. Map it to a product or fix the order.",
    "unpaid": "The order is not paid yet (payment pending). Wait for the payment or cancel.",
    "duplicate": "Looks like a duplicate of {other}: same customer, same items, placed "
    "{minutes} minutes apart. Cancel one of them or release both.",
    "po_box": "Carriers do not deliver to PO boxes ({street}). Ask the customer for a street "
    "address.",
    "bad_postcode": "The postal code {code} is not 6 digits. Check it against the city.",
}

CANCEL_NOTES = (
    "customer asked to cancel",
    "买家申请取消订单",
    "address outside delivery area",
    "payment refunded by the channel",
    "duplicate order",
)
