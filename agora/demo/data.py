"""Word lists and the sellers of the demo store: the raw material :mod:`agora.demo.generate`
combines into a believable catalogue. Everything here is written by hand for the demo; no file
is read and nothing is downloaded.

Each list entry carries its English and Simplified Chinese text side by side, so every
generated product gets both languages from the same choice.
"""

# Chinese text uses Chinese (full-width) punctuation, and ranges use en dashes, on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from typing import NamedTuple


class Location(NamedTuple):
    name: str
    kind: str  # warehouse | store
    city: str
    address: str
    postcode: str
    latitude: str
    longitude: str


class SellerData(NamedTuple):
    slug: str
    display_name: str
    legal_name: str
    country: str
    currency: str
    # A VAT id with ``?`` where check characters go; generate.py fills them so the id validates.
    vat_pattern: str
    owner_email: str
    owner_name: str
    owner_language: str
    sku_prefix: str
    gs1_prefix: str  # a 7-digit GS1 company prefix in the country's range
    lines: tuple[tuple[str, int], ...]  # (product line, how many products)
    locations: tuple[Location, ...]
    commission_bps: int = 1000


SELLERS: tuple[SellerData, ...] = (
    SellerData(
        slug="teehaus-lindner",
        display_name="Teehaus Lindner",
        legal_name="Teehaus Lindner GmbH",
        country="DE",
        currency="EUR",
        vat_pattern="81462937?",
        owner_email="katrin.lindner@demo.agora.test",
        owner_name="Katrin Lindner",
        owner_language="en",
        sku_prefix="TL",
        gs1_prefix="4260712",
        lines=(("tea", 52),),
        locations=(
            Location("Lager Speicherstadt", "warehouse", "Hamburg", "Am Sandtorkai 23", "20457",
                     "53.543600", "9.987900"),
            Location("Laden Eppendorf", "store", "Hamburg", "Eppendorfer Baum 15", "20249",
                     "53.585600", "9.978300"),
        ),
    ),
    SellerData(
        slug="atelier-terre-de-vallauris",
        display_name="Atelier Terre de Vallauris",
        legal_name="Atelier Terre de Vallauris SARL",
        country="FR",
        currency="EUR",
        vat_pattern="??81327465?",
        owner_email="camille.roux@demo.agora.test",
        owner_name="Camille Roux",
        owner_language="en",
        sku_prefix="ATV",
        gs1_prefix="3760234",
        lines=(("ceramics_fr", 50),),
        locations=(
            Location("Atelier Vallauris", "store", "Vallauris", "38 avenue Georges Clemenceau",
                     "06220", "43.578900", "7.053100"),
        ),
        commission_bps=1200,
    ),
    SellerData(
        slug="qingyao-porcelain-tea",
        display_name="Qingyao Porcelain & Tea",
        legal_name="Jingdezhen Qingyao Ceramics Co., Ltd.",
        country="CN",
        currency="CNY",
        vat_pattern="91360200MA35K7R2X?",
        owner_email="wang.lei@demo.agora.test",
        owner_name="王磊 Wang Lei",
        owner_language="zh-hans",
        sku_prefix="QY",
        gs1_prefix="6975310",
        lines=(("ceramics_cn", 38), ("tea_cn", 24)),
        locations=(
            Location("Jingdezhen kiln warehouse", "warehouse", "Jingdezhen",
                     "Cidu Avenue 1688, Zhushan District", "333000", "29.292000", "117.207000"),
            Location("Hangzhou tea house", "store", "Hangzhou",
                     "Longjing Road 21, Xihu District", "310013", "30.237000", "120.127000"),
        ),
    ),
    SellerData(
        slug="marlowe-finch-books",
        display_name="Marlowe & Finch Books",
        legal_name="Marlowe & Finch Booksellers Ltd",
        country="GB",
        currency="GBP",
        vat_pattern="2847193??",
        owner_email="eleanor.finch@demo.agora.test",
        owner_name="Eleanor Finch",
        owner_language="en",
        sku_prefix="MF",
        gs1_prefix="5060412",
        lines=(("books", 60),),
        locations=(
            Location("Cecil Court shop", "store", "London", "21 Cecil Court", "WC2N 4EZ",
                     "51.510800", "-0.127300"),
            Location("Hay-on-Wye store room", "warehouse", "Hay-on-Wye", "4 Castle Street",
                     "HR3 5DF", "52.074000", "-3.125000"),
        ),
    ),
    SellerData(
        slug="pelletteria-arno",
        display_name="Pelletteria Arno",
        legal_name="Pelletteria Arno S.r.l.",
        country="IT",
        currency="EUR",
        vat_pattern="0584712048?",
        owner_email="lorenzo.bianchi@demo.agora.test",
        owner_name="Lorenzo Bianchi",
        owner_language="en",
        sku_prefix="PA",
        gs1_prefix="8056703",
        lines=(("leather", 54),),
        locations=(
            Location("Bottega Santa Croce", "store", "Firenze", "Via de' Macci 30", "50122",
                     "43.769500", "11.262500"),
            Location("Magazzino Scandicci", "warehouse", "Scandicci",
                     "Via del Parlamento Europeo 12", "50018", "43.756000", "11.186000"),
        ),
    ),
    SellerData(
        slug="fietsfabriek-utrecht",
        display_name="Fietsfabriek Utrecht",
        legal_name="Fietsfabriek Utrecht B.V.",
        country="NL",
        currency="EUR",
        vat_pattern="8532061??B01",
        owner_email="daan.devries@demo.agora.test",
        owner_name="Daan de Vries",
        owner_language="en",
        sku_prefix="FU",
        gs1_prefix="8719327",
        lines=(("bikes", 30), ("bike_accessories", 22)),
        locations=(
            Location("Winkel Oudegracht", "store", "Utrecht", "Oudegracht 150", "3511 AZ",
                     "52.089400", "5.119600"),
            Location("Magazijn Nieuwegein", "warehouse", "Nieuwegein", "Ravenswade 54",
                     "3439 LD", "52.042700", "5.094600"),
        ),
    ),
)  # fmt: skip

OPERATOR = ("operator@demo.agora.test", "Agora Operator")

BUYERS: tuple[tuple[str, str], ...] = (
    ("Anna Schmidt", "en"),
    ("李娜 Li Na", "zh-hans"),
    ("Tom Baker", "en"),
    ("Sophie Martin", "en"),
    ("陈杰 Chen Jie", "zh-hans"),
    ("Giulia Rossi", "en"),
    ("Jan Jansen", "en"),
    ("Emma Wilson", "en"),
    ("张伟 Zhang Wei", "zh-hans"),
    ("Lucas Dubois", "en"),
)

# --- categories and attributes ------------------------------------------------------------------

# (slug, parent slug, English, Simplified Chinese)
CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("tea", "", "Tea", "茶叶"),
    ("green-tea", "tea", "Green tea", "绿茶"),
    ("black-tea", "tea", "Black tea", "红茶"),
    ("oolong-tea", "tea", "Oolong tea", "乌龙茶"),
    ("white-tea", "tea", "White tea", "白茶"),
    ("dark-tea", "tea", "Pu-erh and dark tea", "普洱与黑茶"),
    ("herbal-infusions", "tea", "Herbal infusions", "花草茶"),
    ("tableware", "", "Tableware and teaware", "餐具与茶具"),
    ("cups-mugs", "tableware", "Cups and mugs", "杯具"),
    ("teapots-teaware", "tableware", "Teapots and teaware", "茶壶与茶具"),
    ("bowls-plates", "tableware", "Bowls and plates", "碗盘"),
    ("vases", "tableware", "Vases and jugs", "花瓶与水罐"),
    ("books", "", "Books", "图书"),
    ("fiction", "books", "Fiction", "小说"),
    ("childrens-books", "books", "Children's classics", "儿童经典"),
    ("history-science", "books", "History and science", "历史与科学"),
    ("philosophy", "books", "Philosophy", "哲学"),
    ("poetry-travel", "books", "Poetry and travel writing", "诗歌与旅行文学"),
    ("leather-goods", "", "Leather goods", "皮具"),
    ("bags", "leather-goods", "Bags", "包袋"),
    ("wallets", "leather-goods", "Wallets and card holders", "钱包与卡包"),
    ("belts", "leather-goods", "Belts", "腰带"),
    ("small-leather", "leather-goods", "Small leather goods", "小皮件"),
    ("bicycles", "", "Bicycles", "自行车"),
    ("city-bikes", "bicycles", "City and touring bikes", "城市与旅行自行车"),
    ("e-bikes", "bicycles", "E-bikes", "电助力自行车"),
    ("cargo-bikes", "bicycles", "Cargo bikes", "载货自行车"),
    ("kids-bikes", "bicycles", "Kids' bikes", "儿童自行车"),
    ("cycling-accessories", "bicycles", "Cycling accessories", "骑行配件"),
)

# (code, English name, Chinese name, value type, choices, unit)
ATTRIBUTES: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    ("origin", "Origin", "产地", "text", (), ""),
    ("organic", "Organic", "有机", "boolean", (), ""),
    ("caffeine", "Caffeine", "咖啡因", "choice", ("none", "low", "medium", "high"), ""),
    ("ceramic_body", "Ceramic body", "胎质", "choice", ("porcelain", "stoneware"), ""),
    ("capacity_ml", "Capacity", "容量", "number", (), "ml"),
    ("dishwasher_safe", "Dishwasher safe", "可用洗碗机", "boolean", (), ""),
    ("microwave_safe", "Microwave safe", "可用微波炉", "boolean", (), ""),
    ("handmade", "Handmade", "手工制作", "boolean", (), ""),
    ("author", "Author", "作者", "text", (), ""),
    ("publisher", "Publisher", "出版社", "text", (), ""),
    ("binding", "Binding", "装帧", "choice", ("paperback", "hardback"), ""),
    ("publication_year", "Year of this edition", "本版年份", "number", (), ""),
    ("first_published", "First published", "首次出版", "number", (), ""),
    ("leather", "Leather", "皮革", "choice",
     ("vegetable-tanned", "saffiano", "nubuck", "pebbled calfskin"), ""),
    ("frame_material", "Frame material", "车架材质", "choice", ("steel", "aluminium"), ""),
    ("gears", "Gears", "变速档数", "number", (), ""),
    ("wheel_size", "Wheel size", "轮径", "number", (), "in"),
    ("electric_assist", "Electric assist", "电助力", "boolean", (), ""),
)  # fmt: skip


# --- tea ----------------------------------------------------------------------------------------


class Tea(NamedTuple):
    key: str
    en: str
    zh: str
    category: str
    origin_en: str
    origin_zh: str
    notes_en: str
    notes_zh: str
    temperature: int  # °C
    minutes: str
    grams: int  # per 200 ml
    eur_per_100g: str
    caffeine: str
    chinese: bool  # sold by the Chinese seller too
    forms: tuple[str, ...]  # loose | bags | cake


TEAS: tuple[Tea, ...] = (
    Tea("longjing", "Longjing (Dragon Well)", "西湖龙井", "green-tea",
        "West Lake, Hangzhou, Zhejiang", "浙江杭州西湖",
        "Flat, jade-green leaves with a toasted-chestnut sweetness and a clean finish",
        "扁平挺直、色泽翠绿，带有炒板栗般的甜香，回味清爽", 80, "2–3", 3, "24.00", "medium", True,
        ("loose",)),
    Tea("biluochun", "Bi Luo Chun", "碧螺春", "green-tea", "Dongting Mountain, Suzhou, Jiangsu",
        "江苏苏州洞庭山", "Tightly curled, downy leaves with a fruity, floral aroma",
        "条索紧结、白毫显露，花果香浓郁", 75, "2", 3, "26.00", "medium", True, ("loose",)),
    Tea("maofeng", "Huangshan Maofeng", "黄山毛峰", "green-tea", "Yellow Mountain, Anhui",
        "安徽黄山", "Slender, furry buds with an orchid note and a mellow sweetness",
        "芽头肥壮、白毫披身，兰香清幽，滋味鲜醇回甘", 80, "2–3", 3, "18.00", "medium", True,
        ("loose",)),
    Tea("sencha", "Sencha", "煎茶", "green-tea", "Shizuoka, Japan", "日本静冈",
        "Bright, grassy and gently savoury", "鲜爽清新，带有青草香与淡淡的鲜味", 70, "1–2", 4,
        "12.00", "medium", False, ("loose", "bags")),
    Tea("gyokuro", "Gyokuro", "玉露", "green-tea", "Uji, Kyoto, Japan", "日本京都宇治",
        "Shade-grown leaves with a deep umami sweetness", "遮阴栽培，鲜味浓厚，甘甜醇和", 60, "2",
        5, "38.00", "high", False, ("loose",)),
    Tea("genmaicha", "Genmaicha", "玄米茶", "green-tea", "Kagoshima, Japan", "日本鹿儿岛",
        "Green tea with roasted brown rice: nutty, warming and comforting",
        "绿茶与烘焙糙米拼配，米香浓郁，温润顺口", 80, "2–3", 4, "9.00", "low", False,
        ("loose", "bags")),
    Tea("gunpowder", "Gunpowder", "珠茶", "green-tea", "Shaoxing, Zhejiang", "浙江绍兴",
        "Leaves rolled into small pearls; bold and slightly smoky",
        "茶叶卷曲成颗粒状，滋味浓厚，略带烟熏感", 80, "2–3", 3, "7.50", "medium", False,
        ("loose", "bags")),
    Tea("jasmine", "Jasmine Dragon Pearls", "茉莉龙珠", "green-tea", "Fuzhou, Fujian", "福建福州",
        "Hand-rolled pearls scented with fresh jasmine blossoms",
        "手工揉捻成珠，以新鲜茉莉花多次窨制，花香馥郁", 80, "3", 3, "22.00", "medium", True,
        ("loose",)),
    Tea("keemun", "Keemun", "祁门红茶", "black-tea", "Qimen, Anhui", "安徽祁门",
        "Smooth and winey, with the famous orchid-and-cocoa 'Keemun aroma'",
        "汤色红艳，带有兰花与可可般的“祁门香”，滋味醇厚", 90, "3–4", 3, "16.00", "high", True,
        ("loose", "bags")),
    Tea("dianhong", "Dian Hong Golden Buds", "滇红金芽", "black-tea", "Fengqing, Yunnan",
        "云南凤庆", "Golden buds with notes of honey, malt and sweet potato",
        "金毫显露，带有蜜香、麦芽香和红薯甜香", 90, "3", 3, "19.00", "high", True, ("loose",)),
    Tea("lapsang", "Lapsang Souchong", "正山小种", "black-tea", "Tongmu, Wuyi Mountains, Fujian",
        "福建武夷山桐木关",
        "Dried over pinewood fires for a gentle smokiness and a longan-like sweetness",
        "松木烟熏干燥，松烟香与桂圆甜香交融", 95, "3–4", 3, "14.00", "high", True,
        ("loose", "bags")),
    Tea("darjeeling", "Darjeeling First Flush", "大吉岭春摘红茶", "black-tea",
        "Darjeeling, West Bengal, India", "印度西孟加拉邦大吉岭",
        "Light and flowery with a bright muscatel character",
        "汤色明亮，花香清雅，带有麝香葡萄风味", 90, "3", 3, "21.00", "high", False,
        ("loose", "bags")),
    Tea("assam", "Assam", "阿萨姆红茶", "black-tea", "Assam, India", "印度阿萨姆",
        "Strong, malty and brisk; made for a splash of milk", "浓郁饱满，麦芽香突出，适合调制奶茶",
        95, "4", 3, "8.50", "high", False, ("loose", "bags")),
    Tea("ceylon", "Ceylon Uva", "锡兰乌沃红茶", "black-tea", "Uva, Sri Lanka", "斯里兰卡乌沃",
        "Brisk and bright with a hint of mint and citrus", "鲜爽明快，略带薄荷与柑橘气息", 95,
        "3–4", 3, "9.50", "high", False, ("loose", "bags")),
    Tea("earlgrey", "Earl Grey", "伯爵红茶", "black-tea",
        "blended in Hamburg from Yunnan and Assam teas", "以云南与阿萨姆红茶在汉堡拼配",
        "Black tea with natural bergamot oil: citrusy and elegant",
        "红茶加入天然佛手柑精油，柑橘香气优雅", 95, "3–4", 3, "8.00", "high", False,
        ("loose", "bags")),
    Tea("breakfast", "English Breakfast", "英式早餐茶", "black-tea",
        "blended from Assam, Ceylon and Kenyan teas", "以阿萨姆、锡兰与肯尼亚红茶拼配",
        "A full-bodied morning blend that stands up to milk", "浓郁醇厚的早餐拼配茶，加奶风味更佳",
        95, "4", 3, "7.00", "high", False, ("loose", "bags")),
    Tea("tieguanyin", "Tie Guan Yin", "安溪铁观音", "oolong-tea", "Anxi, Fujian", "福建安溪",
        "Lightly oxidised, with an orchid fragrance and a creamy finish",
        "轻发酵，兰花香馥郁，口感醇滑，回甘持久", 95, "1", 5, "24.00", "medium", True, ("loose",)),
    Tea("dahongpao", "Da Hong Pao", "武夷大红袍", "oolong-tea", "Wuyi Mountains, Fujian",
        "福建武夷山", "Roasted rock oolong with mineral depth and notes of dark fruit",
        "岩骨花香，焙火醇厚，带有熟果香", 95, "1", 5, "32.00", "medium", True, ("loose",)),
    Tea("dongding", "Dong Ding Oolong", "冻顶乌龙", "oolong-tea", "Nantou, Taiwan", "台湾南投",
        "Medium-roasted, toasty and honeyed", "中度烘焙，焙香与蜜香兼具", 95, "1", 5, "26.00",
        "medium", False, ("loose",)),
    Tea("jinxuan", "Jin Xuan Milk Oolong", "金萱乌龙", "oolong-tea", "Alishan, Taiwan",
        "台湾阿里山", "Naturally creamy with a soft, buttery texture", "天然奶香，口感柔滑细腻",
        90, "1", 5, "20.00", "medium", False, ("loose",)),
    Tea("dancong", "Phoenix Dan Cong", "凤凰单丛", "oolong-tea", "Chaozhou, Guangdong", "广东潮州",
        "Intensely aromatic, with a honey-orchid perfume", "香气高扬，蜜兰香浓郁", 95, "1", 5,
        "30.00", "medium", True, ("loose",)),
    Tea("silverneedle", "Silver Needle", "白毫银针", "white-tea", "Fuding, Fujian", "福建福鼎",
        "Silvery buds with a delicate, melon-sweet liquor",
        "芽头肥壮、满披白毫，汤色浅杏黄，滋味清甜", 80, "4–5", 4, "36.00", "low", True,
        ("loose",)),
    Tea("baimudan", "Bai Mu Dan (White Peony)", "白牡丹", "white-tea", "Fuding, Fujian",
        "福建福鼎", "Buds and young leaves: floral, fresh and honey-sweet",
        "一芽两叶，花香清新，滋味鲜醇带蜜甜", 85, "3–4", 4, "18.00", "low", True,
        ("loose", "cake")),
    Tea("shoumei", "Shou Mei", "寿眉", "white-tea", "Zhenghe, Fujian", "福建政和",
        "Later-picked leaves with a woody, dried-fruit sweetness",
        "采摘较晚，带有木质香和干果甜香", 90, "4", 4, "11.00", "low", True, ("loose", "cake")),
    Tea("sheng", "Sheng Pu-erh", "生普洱", "dark-tea", "Menghai, Xishuangbanna, Yunnan",
        "云南西双版纳勐海", "Bright, lively raw pu-erh that deepens with age",
        "生茶口感鲜活，越陈越香", 95, "½", 5, "20.00", "medium", True, ("loose", "cake")),
    Tea("shou", "Shou Pu-erh", "熟普洱", "dark-tea", "Lincang, Yunnan", "云南临沧",
        "Earthy, smooth and sweet, with no bitterness", "陈香醇厚，顺滑甘甜，不苦不涩", 100, "½",
        5, "14.00", "medium", True, ("loose", "cake")),
    Tea("chamomile", "Chamomile Blossoms", "洋甘菊", "herbal-infusions", "Saxony-Anhalt, Germany",
        "德国萨克森-安哈尔特", "Whole flowers, honeyed and calming",
        "整朵花头，蜜香温和，舒缓宁神", 100, "5–8", 2, "6.50", "none", False, ("loose", "bags")),
    Tea("peppermint", "Peppermint Leaves", "胡椒薄荷", "herbal-infusions", "Bavaria, Germany",
        "德国巴伐利亚", "Cooling, clean and refreshing", "清凉爽口，提神醒脑", 100, "5–8", 2,
        "6.00", "none", False, ("loose", "bags")),
    Tea("rooibos", "Rooibos", "南非博士茶", "herbal-infusions", "Cederberg, South Africa",
        "南非塞德堡", "Naturally caffeine-free, sweet with vanilla and nut notes",
        "天然无咖啡因，带有香草与坚果甜香", 100, "5–7", 3, "7.50", "none", False,
        ("loose", "bags")),
    Tea("hibiscus", "Hibiscus and Rosehip", "洛神花玫瑰果茶", "herbal-infusions",
        "Sudan and Chile", "苏丹与智利", "Tart, ruby-red and full of fruit",
        "酸甜可口，汤色宝石红", 100, "6–8", 3, "7.00", "none", False, ("loose", "bags")),
    Tea("chrysanthemum", "Hangzhou Chrysanthemum", "杭白菊", "herbal-infusions",
        "Tongxiang, Zhejiang", "浙江桐乡", "Whole white chrysanthemum flowers, light and cooling",
        "整朵杭白菊，清香甘润", 95, "4–5", 2, "12.00", "none", True, ("loose",)),
    Tea("verbena", "Lemon Verbena", "柠檬马鞭草", "herbal-infusions",
        "the Atlas foothills, Morocco", "摩洛哥阿特拉斯山麓", "Zesty and fragrant; lovely iced",
        "柠檬清香怡人，冷泡尤佳", 100, "5–7", 2, "9.00", "none", False, ("loose", "bags")),
)  # fmt: skip

# (English, Chinese, price factor, English sentence, Chinese sentence)
TEA_GRADES: tuple[tuple[str, str, str, str, str], ...] = (
    ("Classic", "经典", "1.00", "Our everyday favourite, consistent cup after cup.",
        "日常口粮茶，品质稳定，杯杯如一。"),
    ("Organic", "有机", "1.15",
        "Certified organic: grown without synthetic pesticides or fertilisers.",
        "有机认证，种植过程不使用化学农药和化肥。"),
    ("Spring Harvest", "春摘", "1.30",
        "Picked in the first weeks of spring, when the leaves are most tender.",
        "采摘于早春时节，芽叶最为鲜嫩。"),
    ("Reserve", "珍藏", "1.60", "A small-lot reserve chosen by our tasters.",
        "由品鉴师精选的小批量珍藏茶。"),
    ("Imperial Grade", "特级", "1.90", "Only the finest buds and first leaves.",
        "只选用最细嫩的芽头与初展叶片。"),
)  # fmt: skip

# form → (English title suffix, Chinese title suffix, variants: (option, code, factor, grams))
TEA_FORMS: dict[str, tuple[str, str, tuple[tuple[str, str, str, int], ...]]] = {
    "loose": ("Loose Leaf", "（散茶）", (
        ("50 g", "50G", "0.55", 50), ("100 g", "100G", "1.00", 100), ("250 g", "250G", "2.20", 250),
    )),
    "bags": ("Tea Bags", "袋泡茶", (("20 bags", "20B", "0.50", 40),
                                    ("50 bags", "50B", "1.10", 100))),
    "cake": ("Pressed Cake", "茶饼", (("100 g mini cake", "100C", "1.10", 100),
                                      ("357 g cake", "357C", "3.20", 357))),
}  # fmt: skip

# --- ceramics -----------------------------------------------------------------------------------


class Ware(NamedTuple):
    key: str
    en: str
    zh: str
    category: str
    eur: str
    grams: int
    capacity_ml: int  # 0 when it has none
    # (option name, [(value, code, price factor, weight factor)])
    option: str
    variants: tuple[tuple[str, str, str, str], ...]
    shape: str  # picture and 3D model


SETS = (("Single", "S1", "1.00", "1.0"), ("Set of 2", "S2", "1.90", "2.0"),
        ("Set of 4", "S4", "3.60", "4.0"))  # fmt: skip

WARES_FR: tuple[Ware, ...] = (
    Ware("mug", "Mug", "马克杯", "cups-mugs", "24.00", 380, 350, "pack", SETS, "mug"),
    Ware("cup", "Café au Lait Bowl", "欧蕾碗", "cups-mugs", "22.00", 320, 450, "pack", SETS,
        "bowl"),
    Ware("espresso", "Espresso Cup and Saucer", "浓缩咖啡杯碟", "cups-mugs", "19.00", 210, 80,
        "pack", SETS, "cup"),
    Ware("teapot", "Teapot", "茶壶", "teapots-teaware", "68.00", 950, 900, "capacity",
        (("0.6 l", "06L", "0.85", "0.8"), ("0.9 l", "09L", "1.00", "1.0")), "teapot"),
    Ware("bowl", "Serving Bowl", "大汤碗", "bowls-plates", "45.00", 1100, 1500, "diameter",
        (("Ø 20 cm", "20", "0.80", "0.7"), ("Ø 26 cm", "26", "1.00", "1.0")), "bowl"),
    Ware("plate", "Dinner Plate", "餐盘", "bowls-plates", "26.00", 650, 0, "pack", SETS, "plate"),
    Ware("sideplate", "Side Plate", "点心盘", "bowls-plates", "18.00", 380, 0, "pack", SETS,
        "plate"),
    Ware("vase", "Vase", "花瓶", "vases", "39.00", 900, 0, "height",
        (("18 cm", "18", "0.75", "0.6"), ("25 cm", "25", "1.00", "1.0"),
         ("32 cm", "32", "1.45", "1.6")), "vase"),
    Ware("jug", "Pitcher", "水罐", "vases", "42.00", 850, 1000, "pack",
        SETS[:1], "vase"),
)  # fmt: skip

WARES_CN: tuple[Ware, ...] = (
    Ware("teacup", "Tea Cup", "品茗杯", "cups-mugs", "12.00", 110, 90, "pack", SETS, "cup"),
    Ware("mug", "Mug", "马克杯", "cups-mugs", "19.00", 360, 330, "pack",
        SETS[:2], "mug"),
    Ware("gaiwan", "Gaiwan", "盖碗", "teapots-teaware", "28.00", 260, 150, "pack",
        SETS[:1], "bowl"),
    Ware("teapot", "Teapot", "茶壶", "teapots-teaware", "46.00", 420, 300, "pack",
        SETS[:1], "teapot"),
    Ware("teaset", "Tea Set for Four", "一壶四杯茶具套装", "teapots-teaware", "98.00",
        1200, 300, "pack", SETS[:1], "teapot"),
    Ware("ricebowl", "Rice Bowl", "饭碗", "bowls-plates", "14.00", 280, 300, "pack", SETS, "bowl"),
    Ware("plate", "Dish", "圆盘", "bowls-plates", "22.00", 520, 0, "diameter",
        (("Ø 16 cm", "16", "0.70", "0.6"), ("Ø 21 cm", "21", "1.00", "1.0"),
         ("Ø 26 cm", "26", "1.40", "1.5")), "plate"),
    Ware("vase", "Vase", "花瓶", "vases", "58.00", 1100, 0, "height",
        (("20 cm", "20", "0.75", "0.7"), ("30 cm", "30", "1.00", "1.0")), "vase"),
)  # fmt: skip


class Glaze(NamedTuple):
    en: str
    zh: str
    note_en: str
    note_zh: str
    colour: str  # picture palette key
    collection_en: str  # "" for none
    collection_zh: str
    body: str  # porcelain | stoneware


GLAZES_FR: tuple[Glaze, ...] = (
    Glaze("Speckled Oatmeal", "燕麦斑点釉",
        "shows the iron flecks of the clay through a warm, creamy surface",
        "温暖的奶油色釉面下透出陶土中的铁质斑点", "oatmeal", "Mistral", "米斯特拉尔", "stoneware"),
    Glaze("Lavender", "薰衣草紫釉", "pools into a deeper violet where it runs thick",
        "釉层厚处积成更深的紫色", "lavender", "Luberon", "吕贝隆", "stoneware"),
    Glaze("Sea Blue", "海蓝釉", "breaks from deep blue to turquoise over the rims",
        "在器口处由深蓝过渡为青绿", "blue", "Calanque", "卡朗格", "stoneware"),
    Glaze("Olive Green", "橄榄绿釉", "has the soft sheen of olive leaves in the sun",
        "带有阳光下橄榄叶般的柔和光泽", "olive", "Garrigue", "加里格", "stoneware"),
    Glaze("Matte White", "哑光白釉", "is smooth, quiet and lets food take the stage",
        "质感细腻安静，让食物成为主角", "white", "Neige", "雪", "porcelain"),
    Glaze("Terracotta", "赤陶釉", "glows with the warm red of Provençal earth",
        "呈现普罗旺斯红土般的温暖色调", "terracotta", "Soleil", "阳光", "stoneware"),
)  # fmt: skip

GLAZES_CN: tuple[Glaze, ...] = (
    Glaze("Blue and White", "青花", "is painted by hand in cobalt under a clear glaze",
        "以钴料手工绘制于透明釉下", "blue", "", "", "porcelain"),
    Glaze("Qingbai", "青白釉", "gathers a pale blue-green in every carved line",
        "刻花处积釉，呈现淡淡的青白色", "celadon", "", "", "porcelain"),
    Glaze("Copper Red", "祭红釉", "is fired in a reducing kiln to a deep, even red",
        "经还原焰烧成，色泽深沉均匀", "red", "", "", "porcelain"),
    Glaze("Famille Rose", "粉彩", "is enamelled with peonies in soft pinks and greens",
        "以柔和的粉、绿色彩绘牡丹纹样", "rose", "", "", "porcelain"),
    Glaze("Sweet White", "甜白釉", "is as smooth and warm as fresh milk", "釉色莹润，如凝脂般温润",
        "white", "", "", "porcelain"),
    Glaze("Ru Kiln Crackle", "汝窑开片", "forms a fine crackle that deepens with every cup of tea",
        "釉面细密开片，随着养壶日久愈加温润", "celadon", "", "", "porcelain"),
)  # fmt: skip

# --- books --------------------------------------------------------------------------------------


class Book(NamedTuple):
    title: str
    title_zh: str
    author: str
    author_zh: str
    first_published: int
    category: str
    blurb_en: str
    blurb_zh: str


BOOKS: tuple[Book, ...] = (
    Book("Pride and Prejudice", "傲慢与偏见", "Jane Austen", "简·奥斯汀", 1813, "fiction",
        "Elizabeth Bennet meets the proud Mr Darcy in Austen's sharpest comedy of manners.",
        "伊丽莎白·班纳特与傲慢的达西先生，奥斯汀最犀利的风俗喜剧。"),
    Book("Emma", "爱玛", "Jane Austen", "简·奥斯汀", 1815, "fiction",
        "A clever, meddling matchmaker learns how little she knows about her own heart.",
        "聪明又爱管闲事的爱玛热衷做媒，却看不清自己的心。"),
    Book("Persuasion", "劝导", "Jane Austen", "简·奥斯汀", 1817, "fiction",
        "Eight years after breaking off an engagement, Anne Elliot gets a second chance.",
        "解除婚约八年之后，安妮·埃利奥特迎来第二次机会。"),
    Book("Jane Eyre", "简·爱", "Charlotte Brontë", "夏洛蒂·勃朗特", 1847, "fiction",
        "An orphaned governess at Thornfield Hall, and the secret kept in its attic.",
        "孤女家庭教师来到桑菲尔德庄园，阁楼里藏着一个秘密。"),
    Book("Wuthering Heights", "呼啸山庄", "Emily Brontë", "艾米莉·勃朗特", 1847, "fiction",
        "Heathcliff and Catherine's wild love on the Yorkshire moors.",
        "约克郡荒原上，希斯克利夫与凯瑟琳狂野的爱恨。"),
    Book("Middlemarch", "米德尔马契", "George Eliot", "乔治·艾略特", 1871, "fiction",
        "A whole provincial town and its hopes, in one of the greatest English novels.",
        "一座外省小镇的众生与理想，英国文学最伟大的小说之一。"),
    Book("Great Expectations", "远大前程", "Charles Dickens", "查尔斯·狄更斯", 1861, "fiction",
        "Pip, a convict on the marshes, and the mysterious benefactor who changes his life.",
        "孤儿皮普、沼泽地里的逃犯，以及改变他一生的神秘恩人。"),
    Book("Bleak House", "荒凉山庄", "Charles Dickens", "查尔斯·狄更斯", 1853, "fiction",
        "The endless lawsuit Jarndyce and Jarndyce, and the lives it swallows.",
        "旷日持久的“詹狄士诉詹狄士”案，以及被它吞噬的人生。"),
    Book("A Tale of Two Cities", "双城记", "Charles Dickens", "查尔斯·狄更斯", 1859, "fiction",
        "London and Paris in the years of the French Revolution.", "法国大革命时期的伦敦与巴黎。"),
    Book("Tess of the d'Urbervilles", "德伯家的苔丝", "Thomas Hardy", "托马斯·哈代", 1891,
        "fiction", "A country girl's fate in a world that will not forgive her.",
        "一个乡村姑娘在不肯宽恕她的世界里的命运。"),
    Book("Far from the Madding Crowd", "远离尘嚣", "Thomas Hardy", "托马斯·哈代", 1874, "fiction",
        "Bathsheba Everdene and her three very different suitors in rural Wessex.",
        "威塞克斯乡间，芭思希芭与三位截然不同的求婚者。"),
    Book("Frankenstein", "弗兰肯斯坦", "Mary Shelley", "玛丽·雪莱", 1818, "fiction",
        "A young scientist creates life and flees from what he has made.",
        "年轻的科学家创造了生命，却逃离了自己的造物。"),
    Book("Dracula", "德古拉", "Bram Stoker", "布拉姆·斯托克", 1897, "fiction",
        "Letters and diaries tell of a Transylvanian count who comes to England.",
        "书信与日记讲述一位特兰西瓦尼亚伯爵来到英国的故事。"),
    Book("The Picture of Dorian Gray", "道林·格雷的画像", "Oscar Wilde", "奥斯卡·王尔德", 1890,
        "fiction", "A portrait ages while its beautiful sitter does not.",
        "画像日渐衰老，画中的美少年却青春永驻。"),
    Book("Mrs Dalloway", "达洛维夫人", "Virginia Woolf", "弗吉尼亚·伍尔夫", 1925, "fiction",
        "One June day in London, as Clarissa Dalloway prepares for a party.",
        "伦敦六月的一天，克拉丽莎·达洛维为晚会做着准备。"),
    Book("To the Lighthouse", "到灯塔去", "Virginia Woolf", "弗吉尼亚·伍尔夫", 1927, "fiction",
        "The Ramsay family's summers on the Isle of Skye, and the trip they keep postponing.",
        "拉姆齐一家在斯凯岛的夏天，以及一再推迟的灯塔之行。"),
    Book("Heart of Darkness", "黑暗的心", "Joseph Conrad", "约瑟夫·康拉德", 1899, "fiction",
        "Marlow's journey up the Congo River in search of the ivory trader Kurtz.",
        "马洛沿刚果河而上，寻找象牙商人库尔茨。"),
    Book("Moby-Dick", "白鲸", "Herman Melville", "赫尔曼·梅尔维尔", 1851, "fiction",
        "Captain Ahab's obsessive hunt for the white whale.", "亚哈船长对白鲸偏执的追猎。"),
    Book("The Adventures of Sherlock Holmes", "福尔摩斯探案集", "Arthur Conan Doyle",
        "阿瑟·柯南·道尔", 1892, "fiction", "Twelve cases from 221B Baker Street.",
        "贝克街221B号的十二个案件。"),
    Book("A Room with a View", "看得见风景的房间", "E. M. Forster", "爱德华·摩根·福斯特", 1908,
        "fiction", "Lucy Honeychurch in Florence, and the view that changes everything.",
        "露西在佛罗伦萨，一扇窗外的风景改变了一切。"),
    Book("The Story of the Stone", "红楼梦", "Cao Xueqin", "曹雪芹", 1791, "fiction",
        "The rise and fall of the Jia family, China's best-loved novel in translation.",
        "贾府的兴衰，中国最受喜爱的古典小说英译本。"),
    Book("Monkey: Journey to the West", "西游记", "Wu Cheng'en", "吴承恩", 1592, "fiction",
        "The Monkey King escorts a monk to India, in Arthur Waley's classic translation.",
        "美猴王护送唐僧西天取经，亚瑟·韦利的经典英译本。"),
    Book("Alice's Adventures in Wonderland", "爱丽丝梦游仙境", "Lewis Carroll", "刘易斯·卡罗尔",
        1865, "childrens-books", "Down the rabbit hole to the Mad Hatter's tea party.",
        "掉进兔子洞，去参加疯帽子的茶会。"),
    Book("The Wind in the Willows", "柳林风声", "Kenneth Grahame", "肯尼斯·格雷厄姆", 1908,
        "childrens-books", "Mole, Ratty, Badger and the irrepressible Mr Toad.",
        "鼹鼠、河鼠、老獾和不安分的蛤蟆先生。"),
    Book("Treasure Island", "金银岛", "Robert Louis Stevenson", "罗伯特·路易斯·史蒂文森", 1883,
        "childrens-books", "Jim Hawkins, Long John Silver and a map with an X on it.",
        "吉姆·霍金斯、独脚海盗西尔弗，和一张标着X的藏宝图。"),
    Book("The Jungle Book", "丛林之书", "Rudyard Kipling", "鲁德亚德·吉卜林", 1894,
        "childrens-books", "Mowgli, raised by wolves, and his friends Baloo and Bagheera.",
        "狼群养大的莫格利，和他的朋友巴鲁与巴希拉。"),
    Book("Peter Pan", "彼得·潘", "J. M. Barrie", "詹姆斯·巴利", 1911, "childrens-books",
        "The boy who wouldn't grow up takes Wendy to Neverland.",
        "不肯长大的男孩带温蒂飞往梦幻岛。"),
    Book("The Secret Garden", "秘密花园", "Frances Hodgson Burnett", "弗朗西丝·霍奇森·伯内特",
        1911, "childrens-books", "A locked garden on the Yorkshire moors comes back to life.",
        "约克郡荒原上一座上锁的花园重新焕发生机。"),
    Book("On the Origin of Species", "物种起源", "Charles Darwin", "查尔斯·达尔文", 1859,
        "history-science", "The book that explained evolution by natural selection.",
        "以自然选择解释生物进化的划时代著作。"),
    Book("The Decline and Fall of the Roman Empire", "罗马帝国衰亡史", "Edward Gibbon",
        "爱德华·吉本", 1776, "history-science",
        "Thirteen centuries of Rome, told with irony and grandeur.",
        "以讽喻与恢宏笔调讲述罗马的十三个世纪。"),
    Book("The Voyage of the Beagle", "小猎犬号航海记", "Charles Darwin", "查尔斯·达尔文", 1839,
        "history-science", "Darwin's five-year voyage around the world.",
        "达尔文五年环球航行的记录。"),
    Book("The Art of War", "孙子兵法", "Sun Tzu", "孙武", -500, "philosophy",
        "The ancient Chinese treatise on strategy, still read in boardrooms.",
        "中国古代兵学经典，至今仍为商界所研读。"),
    Book("Tao Te Ching", "道德经", "Laozi", "老子", -400, "philosophy",
        "Eighty-one short chapters on the Way.", "八十一章，论“道”与“德”。"),
    Book("The Analects", "论语", "Confucius", "孔子", -475, "philosophy",
        "The sayings of Confucius as recorded by his disciples.", "孔子弟子记录的孔子言行。"),
    Book("Meditations", "沉思录", "Marcus Aurelius", "马可·奥勒留", 1558, "philosophy",
        "A Roman emperor's private notes on how to live.", "一位罗马皇帝写给自己的人生札记。"),
    Book("The Canterbury Tales", "坎特伯雷故事集", "Geoffrey Chaucer", "杰弗雷·乔叟", 1476,
        "poetry-travel", "Pilgrims tell stories on the road to Canterbury.",
        "朝圣者在前往坎特伯雷的路上轮流讲故事。"),
    Book("Shakespeare's Sonnets", "莎士比亚十四行诗", "William Shakespeare", "威廉·莎士比亚", 1609,
        "poetry-travel", "One hundred and fifty-four sonnets of love and time.",
        "一百五十四首关于爱与时间的十四行诗。"),
    Book("Travels with a Donkey in the Cévennes", "携驴旅行记", "Robert Louis Stevenson",
        "罗伯特·路易斯·史蒂文森", 1879, "poetry-travel",
        "Twelve days on foot through the French mountains with a stubborn donkey.",
        "带着一头倔强的毛驴，徒步穿越法国山区的十二天。"),
    Book("Gulliver's Travels", "格列佛游记", "Jonathan Swift", "乔纳森·斯威夫特", 1726, "fiction",
        "Lilliput, Brobdingnag and other lands that mirror our own.",
        "小人国、大人国，以及映照人世的诸国。"),
    Book("Robinson Crusoe", "鲁滨逊漂流记", "Daniel Defoe", "丹尼尔·笛福", 1719, "fiction",
        "Twenty-eight years alone on an island.", "在荒岛上独自生活的二十八年。"),
)  # fmt: skip

# (publisher, binding, ISBN prefix after 978, base price in GBP, cover colour, earliest print year)
EDITIONS: tuple[tuple[str, str, str, str, str, int], ...] = (
    ("Penguin Classics", "paperback", "014", "6.00", "orange", 1965),
    ("Oxford World's Classics", "paperback", "019", "6.50", "red", 1982),
    ("Everyman's Library", "hardback", "185715", "12.00", "green", 1991),
    ("Wordsworth Classics", "paperback", "185326", "3.50", "purple", 1992),
    ("Vintage Classics", "paperback", "009", "6.00", "blue", 1990),
)

# (grade, Chinese, code, price factor, description, Chinese description)
CONDITIONS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Like New", "近全新", "LN", "1.30", "unread or nearly so", "几乎未经翻阅"),
    ("Very Good", "品相很好", "VG", "1.00", "light shelf wear, clean pages",
        "轻微书架磨损，内页干净"),
    ("Good", "品相良好", "G", "0.75", "a read copy, spine creased, no loose pages",
        "有阅读痕迹，书脊有折痕，无散页"),
    ("Acceptable", "品相一般", "A", "0.50", "well read, may have a name on the flyleaf",
        "阅读痕迹明显，扉页可能有前主人签名"),
)  # fmt: skip

# --- leather ------------------------------------------------------------------------------------


class LeatherItem(NamedTuple):
    key: str
    en: str
    zh: str
    category: str
    eur: str
    grams: int
    shape: str
    option: str  # colour | size | width
    note_en: str
    note_zh: str


LEATHER_ITEMS: tuple[LeatherItem, ...] = (
    LeatherItem("tote", "Tote Bag", "托特包", "bags", "245.00", 900, "bag", "colour",
        "Roomy enough for a 15-inch laptop, with an inner zip pocket.",
        "空间宽敞，可放入15英寸笔记本电脑，内设拉链袋。"),
    LeatherItem("messenger", "Messenger Bag", "邮差包", "bags", "289.00", 1100, "bag", "colour",
        "An adjustable shoulder strap and a flap with a brass clasp.",
        "肩带长度可调，翻盖配有黄铜搭扣。"),
    LeatherItem("briefcase", "Briefcase", "公文包", "bags", "395.00", 1400, "bag", "colour",
        "Two gussets for documents and a padded laptop sleeve.",
        "双层风琴式隔层收纳文件，另有加厚电脑隔层。"),
    LeatherItem("backpack", "Backpack", "双肩包", "bags", "329.00", 1200, "bag", "colour",
        "Padded straps and a roll-top that swallows a day's worth of things.",
        "加厚肩带，卷口设计，足以容纳一整天的随身物品。"),
    LeatherItem("weekender", "Weekend Bag", "旅行袋", "bags", "449.00", 1800, "bag", "colour",
        "Sized for two nights away and cabin luggage rules.",
        "容量适合两晚短途旅行，符合登机行李尺寸。"),
    LeatherItem("crossbody", "Crossbody Bag", "斜挎包", "bags", "189.00", 600, "bag", "colour",
        "Small and light, with room for a phone, keys and a wallet.",
        "小巧轻便，可放手机、钥匙和钱包。"),
    LeatherItem("cardholder", "Card Holder", "卡包", "wallets", "45.00", 40, "wallet", "colour",
        "Four card slots and a centre pocket for folded notes.",
        "四个卡位，中间夹层可放折叠纸币。"),
    LeatherItem("bifold", "Bifold Wallet", "对折钱包", "wallets", "89.00", 110, "wallet", "colour",
        "Eight card slots and a full-length note compartment.", "八个卡位，配有通长纸币夹层。"),
    LeatherItem("zipwallet", "Zip-around Wallet", "拉链长款钱包", "wallets", "119.00", 160,
        "wallet", "colour", "A zipped coin pocket and twelve card slots.",
        "配有拉链零钱袋和十二个卡位。"),
    LeatherItem("keyholder", "Key Holder", "钥匙包", "small-leather", "39.00", 50, "wallet",
        "colour", "Six brass hooks keep keys from scratching your phone.",
        "六个黄铜钥匙扣，避免钥匙刮花手机。"),
    LeatherItem("passport", "Passport Cover", "护照夹", "small-leather", "55.00", 80, "wallet",
        "colour", "Slots for a boarding pass and two cards.", "可放登机牌和两张卡片。"),
    LeatherItem("belt", "Belt", "皮带", "belts", "79.00", 200, "belt", "size",
        "35 mm wide with a solid brass buckle; sizes are the length to the middle hole.",
        "宽35毫米，实心黄铜扣；尺码为皮带头到中间孔的长度。"),
    LeatherItem("watchstrap", "Watch Strap", "表带", "small-leather", "49.00", 20, "belt", "width",
        "Quick-release spring bars, so no tools are needed.", "快拆生耳设计，无需工具即可更换。"),
)  # fmt: skip

# (English, Chinese, attribute value, price factor)
LEATHERS: tuple[tuple[str, str, str, str], ...] = (
    ("Vegetable-Tanned Leather", "植鞣皮", "vegetable-tanned", "1.00"),
    ("Saffiano Leather", "十字纹皮", "saffiano", "1.10"),
    ("Nubuck", "磨砂皮", "nubuck", "1.05"),
    ("Pebbled Calfskin", "荔枝纹小牛皮", "pebbled calfskin", "1.20"),
)

# (English, Chinese, SKU code, picture colour)
LEATHER_COLOURS: tuple[tuple[str, str, str, str], ...] = (
    ("Cognac", "干邑棕", "COG", "cognac"),
    ("Black", "黑色", "BLK", "black"),
    ("Dark Brown", "深棕", "DBR", "brown"),
    ("Burgundy", "酒红", "BUR", "red"),
    ("Tan", "浅棕", "TAN", "tan"),
    ("Navy", "藏青", "NAV", "navy"),
    ("Forest Green", "墨绿", "GRN", "olive"),
)

LEATHER_MODELS: tuple[tuple[str, str], ...] = (
    ("Firenze", "佛罗伦萨"), ("Siena", "锡耶纳"), ("Lucca", "卢卡"), ("Pisa", "比萨"),
    ("Arezzo", "阿雷佐"), ("Volterra", "沃尔泰拉"), ("Cortona", "科尔托纳"), ("Prato", "普拉托"),
)  # fmt: skip

# --- bicycles -----------------------------------------------------------------------------------


class BikeType(NamedTuple):
    key: str
    en: str
    zh: str
    category: str
    eur: str
    kg: str
    gears: tuple[int, ...]
    wheel: int  # inches
    frame: str  # steel | aluminium
    electric: bool
    sizes: tuple[str, ...]  # frame sizes in cm, or wheel sizes for kids' bikes
    note_en: str
    note_zh: str


BIKE_TYPES: tuple[BikeType, ...] = (
    BikeType("city", "City Bike", "城市自行车", "city-bikes", "649.00", "18.5", (3, 7), 28,
        "steel", False, ("49", "53", "57", "61"),
        "An upright ride for the daily commute, with full mudguards, a chain guard, a rear rack "
        "and dynamo lights.",
        "直立骑姿，适合日常通勤，配备全包挡泥板、链罩、后货架和花鼓发电车灯。"),
    BikeType("oma", "Step-Through Omafiets", "复古淑女车", "city-bikes", "599.00", "21.0", (1, 3),
        28, "steel", False, ("50", "56"),
        "The classic Dutch grandmother's bike: a low step-through frame, a coat guard and a "
        "sprung saddle.",
        "经典荷兰“外婆车”：低跨度车架、护裙网和弹簧座垫。"),
    BikeType("touring", "Touring Bike", "旅行自行车", "city-bikes", "1099.00", "15.5", (8, 11), 28,
        "steel", False, ("52", "56", "60"),
        "Built to carry luggage over long distances, with mounts for front and rear racks.",
        "为长途载物骑行而设计，前后均预留货架安装孔。"),
    BikeType("folding", "Folding Bike", "折叠自行车", "city-bikes", "899.00", "12.5", (3, 6), 20,
        "aluminium", False, ("One size",),
        "Folds in under twenty seconds to fit under a desk or onto a train.",
        "二十秒内即可折叠，方便放在桌下或带上火车。"),
    BikeType("ebike", "E-Bike", "电助力自行车", "e-bikes", "2299.00", "25.5", (7, 8), 28,
        "aluminium", True, ("49", "53", "57"),
        "A quiet mid-drive motor and a 500 Wh battery for up to 100 km of assistance.",
        "安静的中置电机和500瓦时电池，助力续航可达100公里。"),
    BikeType("cargo", "Cargo Bike", "前货箱载货自行车", "cargo-bikes", "2799.00", "38.0", (3, 7),
        26, "steel", False, ("One size",),
        "A wooden box up front seats two children with belts, or a week's shopping.",
        "前置木制货箱，可坐两名系好安全带的儿童，或装下一周的采购。"),
    BikeType("ecargo", "Electric Cargo Bike", "电助力载货自行车", "cargo-bikes", "3999.00", "45.0",
        (5, 8), 26, "steel", True, ("One size",),
        "Our cargo bike with motor assistance, so bridges and headwinds stop mattering.",
        "在载货自行车基础上加装电助力，上桥、逆风都不在话下。"),
    BikeType("kids", "Kids' Bike", "儿童自行车", "kids-bikes", "299.00", "10.0", (1, 3), 20,
        "aluminium", False, ('20"', '24"'),
        "A light frame, small-hand brake levers and a coaster brake for first rides.",
        "车架轻巧，刹把适合小手握持，并配有倒刹，适合初学骑行。"),
)  # fmt: skip

BIKE_MODELS: tuple[tuple[str, str], ...] = (
    ("Utrecht", "乌得勒支"), ("Delft", "代尔夫特"), ("Haarlem", "哈勒姆"), ("Leiden", "莱顿"),
    ("Gouda", "豪达"), ("Zwolle", "兹沃勒"), ("Amstel", "阿姆斯特尔"), ("Vecht", "费赫特"),
)  # fmt: skip


class Accessory(NamedTuple):
    key: str
    en: str
    zh: str
    eur: str
    grams: int
    kinds: tuple[tuple[str, str, str], ...]  # (English, Chinese, price factor)
    colours: tuple[str, ...]
    note_en: str
    note_zh: str


ACCESSORIES: tuple[Accessory, ...] = (
    Accessory("pannier", "Pannier Bag", "单边驮包", "79.00", 900,
        (("Waxed Canvas", "蜡帆布", "1.15"), ("Recycled PET", "再生PET", "1.00")),
        ("Black", "Olive", "Navy"), "Clips onto any standard rack and holds 20 litres.",
        "可挂在标准货架上，容量20升。"),
    Accessory("dpannier", "Double Pannier", "双边驮包", "119.00", 1500,
        (("Waxed Canvas", "蜡帆布", "1.15"), ("Recycled PET", "再生PET", "1.00")),
        ("Black", "Olive"), "Two 16-litre bags joined over the rack.",
        "两个16升包袋横跨货架两侧。"),
    Accessory("basket", "Front Basket", "车前筐", "49.00", 800,
        (("Wicker", "藤编", "1.10"), ("Steel Wire", "钢丝", "1.00")), (),
        "Fits on the front carrier or the handlebar with the included bracket.",
        "可安装在前货架上，或用附带支架固定在车把上。"),
    Accessory("bell", "Bell", "车铃", "14.00", 60,
        (("Brass", "黄铜", "1.30"), ("Chrome", "镀铬", "1.00")), (),
        "A clear, long ring that carries across a busy cycle path.",
        "铃声清脆悠长，在繁忙的自行车道上也能听清。"),
    Accessory("lights", "LED Light Set", "LED车灯套装", "39.00", 150,
        (("USB-C Rechargeable", "USB-C充电", "1.00"), ("Dynamo", "花鼓发电", "1.40")), (),
        "Front and rear lights that meet German StVZO rules.", "前后灯套装，符合德国StVZO标准。"),
    Accessory("framelock", "Frame Lock", "车架锁", "35.00", 450,
        (("Keyed-Alike", "同钥匙", "1.00"),), (),
        "Locks the rear wheel in a second; the key stays in while you ride.",
        "一秒锁住后轮，骑行时钥匙可留在锁上。"),
    Accessory("chainlock", "Chain Lock", "链条锁", "59.00", 1900,
        (("Heavy-Duty", "加强型", "1.30"), ("Lightweight", "轻量型", "1.00")), (),
        "Hardened steel links in a fabric sleeve that will not scratch the frame.",
        "淬火钢链节外包织物套，不会刮花车架。"),
    Accessory("saddle", "Saddle", "车座", "69.00", 500,
        (("Leather", "真皮", "1.50"), ("Gel Comfort", "凝胶舒适", "1.00")), ("Black", "Brown"),
        "Sprung rails take the edge off cobblestones.", "弹簧座弓可缓冲石板路的颠簸。"),
    Accessory("mudguards", "Mudguard Set", "挡泥板套装", "29.00", 600,
        (("Aluminium", "铝合金", "1.20"), ("Recycled Plastic", "再生塑料", "1.00")),
        ("Black", "Silver"), "Front and rear, for 28-inch wheels.",
        "前后挡泥板，适用于28英寸车轮。"),
    Accessory("childseat", "Rear Child Seat", "后置儿童座椅", "99.00", 4200,
        (("Padded", "软垫", "1.00"),), ("Grey", "Red"),
        "For children from 9 to 22 kg, with a five-point harness.",
        "适合9至22公斤儿童，配五点式安全带。"),
    Accessory("kickstand", "Double Kickstand", "双脚撑", "34.00", 700,
        (("Aluminium", "铝合金", "1.00"),), (),
        "Holds a loaded bike upright while you lift a child in or out.",
        "载物时也能稳稳撑住车身，方便抱孩子上下车。"),
    Accessory("phone", "Phone Holder", "手机支架", "24.00", 90,
        (("Silicone", "硅胶", "1.00"), ("Aluminium", "铝合金", "1.25")), (),
        "Fits phones from 4.7 to 6.8 inches and turns for landscape maps.",
        "适用于4.7至6.8英寸手机，可旋转横屏看地图。"),
    Accessory("poncho", "Rain Poncho", "骑行雨披", "39.00", 350, (("Packable", "便携", "1.00"),),
        ("Yellow", "Navy", "Black"),
        "Thumb loops keep it over the handlebar; packs into its own pocket.",
        "拇指扣让雨披覆盖车把，可收纳进自带口袋。"),
)  # fmt: skip

COLOUR_ZH = {
    "Black": "黑色", "Olive": "橄榄绿", "Navy": "藏青", "Brown": "棕色", "Silver": "银色",
    "Grey": "灰色", "Red": "红色", "Yellow": "黄色",
}  # fmt: skip
