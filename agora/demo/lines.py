"""The product lines of the demo store: one generator per line (tea, ceramics, books, leather,
bicycles, accessories) that combines the word lists of :mod:`agora.demo.data` into product
drafts in English and Simplified Chinese. Prices here are EUR base prices; SKUs, GTINs, shop
prices and stock are added by :mod:`agora.demo.generate`."""

# Chinese templates use Chinese (full-width) punctuation on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from agora.demo import data
from agora.demo.numbers import gtin13

STATIC_PREFIX = "/static/demo"
MODEL_SHAPES = ("mug", "teapot", "bowl", "vase")
GBP_PER_EUR = Decimal("0.86")  # books are priced in pounds; the shop converts back to a EUR base

# --- pictures -----------------------------------------------------------------------------------

TEA_COLOURS = {
    "green-tea": "green",
    "black-tea": "red",
    "oolong-tea": "amber",
    "white-tea": "white",
    "dark-tea": "brown",
    "herbal-infusions": "lavender",
}
BIKE_COLOURS = {
    "Utrecht": "navy",
    "Delft": "blue",
    "Haarlem": "green",
    "Leiden": "red",
    "Gouda": "yellow",
    "Zwolle": "black",
    "Amstel": "grey",
    "Vecht": "olive",
}
ACCESSORY_COLOURS = {
    "Black": "black",
    "Olive": "olive",
    "Navy": "navy",
    "Brown": "brown",
    "Silver": "silver",
    "Grey": "grey",
    "Red": "red",
    "Yellow": "yellow",
}


def image_url(shape: str, colour: str) -> str:
    return f"{STATIC_PREFIX}/images/{shape}-{colour}.svg"


def model_url(shape: str) -> str:
    return f"{STATIC_PREFIX}/models/{shape}.gltf"


def image_keys() -> set[tuple[str, str]]:
    """Every (shape, colour) picture any seed can use; :mod:`agora.demo.assets` draws them."""
    keys = {("tea", colour) for colour in TEA_COLOURS.values()}
    for wares, glazes in ((data.WARES_FR, data.GLAZES_FR), (data.WARES_CN, data.GLAZES_CN)):
        keys |= {(w.shape, g.colour) for w in wares for g in glazes}
    keys |= {("book", edition[4]) for edition in data.EDITIONS}
    keys |= {(i.shape, c[3]) for i in data.LEATHER_ITEMS for c in data.LEATHER_COLOURS}
    keys |= {("bicycle", colour) for colour in BIKE_COLOURS.values()}
    keys |= {("accessory", colour) for colour in ACCESSORY_COLOURS.values()}
    return keys


# --- product drafts, one generator per product line --------------------------------------------


@dataclass
class VariantDraft:
    title: str
    options: dict[str, str]
    code: str
    base_eur: Decimal
    grams: int
    gtin: str = ""  # preset (an ISBN); otherwise assigned from the seller's GS1 prefix


@dataclass
class Draft:
    title: str
    title_zh: str
    description: str
    description_zh: str
    category: str
    attributes: dict[str, Any]
    picture: tuple[str, str]
    variants: list[VariantDraft]
    stock: str  # stock profile, see generate._STOCK
    model: str = ""


def _pick(
    rng: random.Random, combos: list[Any], count: int, key: Callable[[Any], Any], cap: int
) -> list[Any]:
    """Up to ``count`` shuffled combinations with at most ``cap`` sharing a ``key``, so a
    catalogue is spread over its word lists rather than clustered on one word."""
    rng.shuffle(combos)
    seen: Counter[Any] = Counter()
    picked = []
    for combo in combos:
        if seen[key(combo)] < cap:
            seen[key(combo)] += 1
            picked.append(combo)
            if len(picked) == count:
                break
    return picked


def _d(value: str | int) -> Decimal:
    return Decimal(value)


_TEA_SUFFIX = {
    "green-tea": "Green Tea",
    "black-tea": "Black Tea",
    "oolong-tea": "Oolong",
    "white-tea": "White Tea",
    "dark-tea": "",
    "herbal-infusions": "Infusion",
}
_TEA_FORM_EN = {
    "loose": " Packed in a resealable pouch that keeps out light and air.",
    "bags": " Each biodegradable bag holds 2 g.",
    "cake": " Pressed by hand in the traditional way; prise off what you need with a tea knife.",
}
_TEA_FORM_ZH = {
    "loose": "采用避光密封自封袋包装。",
    "bags": "每个可降解茶包含茶2克。",
    "cake": "传统手工压制，饮用时用茶针撬取所需分量。",
}


def _tea_lines(rng: random.Random, count: int, chinese_only: bool) -> list[Draft]:
    teas = [t for t in data.TEAS if t.chinese or not chinese_only]
    combos = [(t, g, f) for t in teas for g in data.TEA_GRADES for f in t.forms]
    cap = -(-count // len(teas)) + (0 if chinese_only else 1)
    picked = _pick(rng, combos, count, lambda c: c[0].key, cap)
    order = {t.key: i for i, t in enumerate(data.TEAS)}
    grades = [g[0] for g in data.TEA_GRADES]
    picked.sort(key=lambda c: (order[c[0].key], grades.index(c[1][0]), c[2]))
    drafts = []
    for tea, (grade, grade_zh, factor, grade_en_text, grade_zh_text), form in picked:
        form_en, form_zh, variants = data.TEA_FORMS[form]
        suffix = _TEA_SUFFIX[tea.category]
        if tea.key in {"earlgrey", "breakfast"}:
            suffix = "Tea"
        name = f"{grade} {tea.en}"
        if form == "loose":
            title = " ".join(filter(None, [name, suffix])) + ", Loose Leaf"
        else:
            title = f"{name} {form_en}"
        title_zh = f"{grade_zh}{tea.zh}{form_zh}"
        where = (
            f"{tea.en}, {tea.origin_en}."
            if tea.origin_en.startswith("blended")
            else (f"{tea.en} from {tea.origin_en}.")
        )
        where_zh = (
            f"{tea.zh}，{tea.origin_zh}。"
            if tea.origin_zh.startswith("以")
            else (f"{tea.zh}产自{tea.origin_zh}。")
        )
        plural = "" if tea.minutes == "1" else "s"
        minutes_zh = "半" if tea.minutes == "½" else tea.minutes
        description = (
            f"{where} {tea.notes_en}. {grade_en_text} Brew {tea.grams} g per 200 ml at "
            f"{tea.temperature} °C for {tea.minutes} minute{plural}."
            + (" The leaves reward several infusions." if tea.grams >= 5 else "")
            + (" Rinse them briefly first." if tea.category == "dark-tea" else "")
            + _TEA_FORM_EN[form]
        )
        description_zh = (
            f"{where_zh}{tea.notes_zh}。{grade_zh_text}冲泡建议：每200毫升水用茶{tea.grams}克，"
            f"水温{tea.temperature}°C，浸泡{minutes_zh}分钟。"
            + ("可多次冲泡。" if tea.grams >= 5 else "")
            + ("冲泡前先快速洗茶。" if tea.category == "dark-tea" else "")
            + _TEA_FORM_ZH[form]
        )
        base = _d(tea.eur_per_100g) * _d(factor)
        drafts.append(
            Draft(
                title=title,
                title_zh=title_zh,
                description=description,
                description_zh=description_zh,
                category=tea.category,
                attributes={
                    "origin": tea.origin_en,
                    "organic": grade == "Organic",
                    "caffeine": tea.caffeine,
                },
                picture=("tea", TEA_COLOURS[tea.category]),
                variants=[
                    VariantDraft(option, {"size": option}, code, base * _d(f), grams + 35)
                    for option, code, f, grams in variants
                ],
                stock="tea",
            )
        )
    return drafts


def _ceramics(rng: random.Random, count: int, french: bool) -> list[Draft]:
    wares, glazes = (data.WARES_FR, data.GLAZES_FR) if french else (data.WARES_CN, data.GLAZES_CN)
    combos = [(g, w) for g in glazes for w in wares]
    picked = _pick(rng, combos, count, lambda c: c[1].key, len(glazes))
    picked.sort(key=lambda c: (glazes.index(c[0]), wares.index(c[1])))
    drafts, modelled = [], set()
    for glaze, ware in picked:
        body_en, body_zh = (
            ("Stoneware", "炻器") if glaze.body == "stoneware" else ("Porcelain", "瓷")
        )
        capacity = f"It holds about {ware.capacity_ml} ml. " if ware.capacity_ml else ""
        capacity_zh = f"容量约{ware.capacity_ml}毫升。" if ware.capacity_ml else ""
        overglaze = glaze.en == "Famille Rose"  # enamels over the glaze: no microwave
        care = "Dishwasher safe." if overglaze else "Dishwasher and microwave safe."
        care_zh = "可用洗碗机。" if overglaze else "可用洗碗机和微波炉。"
        if french:
            title = f"{glaze.collection_en} {glaze.en} {body_en} {ware.en}"
            title_zh = f"{glaze.collection_zh}系列{glaze.zh}{body_zh}{ware.zh}"
            description = (
                f"A {ware.en.lower()} from our {glaze.collection_en} collection, thrown and glazed "
                f"by hand in our workshop in Vallauris, the potters' town above Cannes. The "
                f"{glaze.en.lower()} glaze {glaze.note_en}. {capacity}{care} Every piece is made "
                "by hand, so sizes and colours vary a little."
            )
            description_zh = (
                f"{glaze.collection_zh}系列{ware.zh}，在戛纳附近的陶艺小镇瓦洛里工作室中手工拉坯、施釉。"
                f"{glaze.zh}：{glaze.note_zh}。{capacity_zh}{care_zh}每件均为手工制作，尺寸与颜色略有差异。"
            )
            origin = "Vallauris, France"
        else:
            title = f"{glaze.en} {body_en} {ware.en}"
            title_zh = f"景德镇{glaze.zh}瓷{ware.zh}"
            finish = "decoration" if glaze.en in {"Blue and White", "Famille Rose"} else "glaze"
            description = (
                f"A {ware.en.lower()} made in Jingdezhen, China's porcelain capital for a thousand "
                f"years. The {glaze.en} {finish} {glaze.note_en}. {capacity}{care} Fired at "
                "1,300 °C, so it is strong enough for everyday use."
            )
            description_zh = (
                f"产自千年瓷都景德镇的{ware.zh}。{glaze.zh}{glaze.note_zh}。{capacity_zh}{care_zh}"
                "经1300°C高温烧成，坚固耐用，适合日常使用。"
            )
            origin = "Jingdezhen, China"
        attributes: dict[str, Any] = {
            "ceramic_body": glaze.body,
            "dishwasher_safe": True,
            "microwave_safe": not overglaze,
            "handmade": True,
            "origin": origin,
        }
        if ware.capacity_ml:
            attributes["capacity_ml"] = ware.capacity_ml
        model = ""
        if ware.shape in MODEL_SHAPES and ware.shape not in modelled:
            modelled.add(ware.shape)
            model = ware.shape
        drafts.append(
            Draft(
                title=title,
                title_zh=title_zh,
                description=description,
                description_zh=description_zh,
                category=ware.category,
                attributes=attributes,
                picture=(ware.shape, glaze.colour),
                stock="ceramics",
                model=model,
                variants=[
                    VariantDraft(
                        value,
                        {ware.option: value},
                        code,
                        _d(ware.eur) * _d(f),
                        int(ware.grams * _d(wf)) + 150,
                    )
                    for value, code, f, wf in ware.variants
                ],
            )
        )
    return drafts


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


_TRANSLATED = {"红楼梦", "西游记", "孙子兵法", "道德经", "论语", "沉思录"}  # English translations


def _books(rng: random.Random, count: int) -> list[Draft]:
    combos = [(b, e) for b in data.BOOKS for e in data.EDITIONS]
    picked = _pick(rng, combos, count, lambda c: c[0].title, 2)
    categories = [c[0] for c in data.CATEGORIES]
    picked.sort(
        key=lambda c: (
            categories.index(c[0].category),
            data.BOOKS.index(c[0]),
            data.EDITIONS.index(c[1]),
        )
    )
    drafts, isbns = [], set()
    for book, (publisher, binding, prefix, gbp, colour, earliest) in picked:
        year = rng.randint(max(earliest, book.first_published + 1), 2019)
        digits = 9 - len(prefix)
        while (isbn := gtin13(f"978{prefix}{rng.randrange(10**digits):0{digits}d}")) in isbns:
            pass
        isbns.add(isbn)
        if book.first_published < 0:
            century = (-book.first_published + 99) // 100
            when, when_zh = f"in the {_ordinal(century)} century BC", f"公元前{century}世纪"
        else:
            when, when_zh = f"in {book.first_published}", f"{book.first_published}年"
        binding_zh = "平装" if binding == "paperback" else "精装"
        edition_zh = "英译本" if book.title_zh in _TRANSLATED else "英文版"
        conditions = sorted(
            rng.sample(data.CONDITIONS, rng.choice([1, 2, 2, 3])), key=data.CONDITIONS.index
        )
        grades = "; ".join(f"{c[0]}: {c[4]}" for c in conditions)
        grades_zh = "；".join(f"{c[1]}：{c[5]}" for c in conditions)
        description = (
            f"A second-hand copy of {book.title} by {book.author}, first published {when}. "
            f"{book.blurb_en} This {publisher} {binding} was printed in {year}. We grade every "
            f"copy honestly ({grades}). Sent from our shop in Cecil Court, London, or from our "
            "store room in Hay-on-Wye."
        )
        description_zh = (
            f"二手{edition_zh}图书：{book.author_zh}《{book.title_zh}》，首次出版于{when_zh}。"
            f"{book.blurb_zh}本书为{publisher}{binding_zh}本，印刷于{year}年。每本书均如实标注品相"
            f"（{grades_zh}）。从伦敦塞西尔巷书店或海伊镇书库发货。"
        )
        pages_factor = rng.choice(["0.8", "1.0", "1.2", "1.5"])
        grams = int((520 if binding == "hardback" else 300) * _d(pages_factor))
        base_eur = _d(gbp) * _d(pages_factor) / GBP_PER_EUR
        attributes: dict[str, Any] = {
            "author": book.author,
            "publisher": publisher,
            "binding": binding,
            "publication_year": year,
        }
        if book.first_published > 0:
            attributes["first_published"] = book.first_published
        drafts.append(
            Draft(
                title=f"{book.title} by {book.author} ({publisher} {binding}, {year})",
                title_zh=f"《{book.title_zh}》{book.author_zh} 著（{edition_zh}，{publisher}"
                f"{binding_zh}，{year}年）",
                description=description,
                description_zh=description_zh,
                category=book.category,
                attributes=attributes,
                picture=("book", colour),
                stock="books",
                variants=[
                    VariantDraft(
                        grade, {"condition": grade}, code, base_eur * _d(f), grams, gtin=isbn
                    )
                    for grade, _, code, f, _, _ in conditions
                ],
            )
        )
    return drafts


_LEATHER_TEXT = {
    "vegetable-tanned": (
        "Tuscan vegetable-tanned leather that darkens to a rich patina with use",
        "托斯卡纳植鞣皮，越用越有温润的光泽",
    ),
    "saffiano": (
        "scratch-resistant Saffiano leather with its cross-hatched grain",
        "带有十字压纹、耐刮擦的Saffiano皮革",
    ),
    "nubuck": ("soft, velvety nubuck", "柔软如丝绒的磨砂皮"),
    "pebbled calfskin": ("supple pebbled calfskin", "柔韧的荔枝纹小牛皮"),
}


def _leather(rng: random.Random, count: int) -> list[Draft]:
    combos = [
        (m, lt, i) for m in data.LEATHER_MODELS for lt in data.LEATHERS for i in data.LEATHER_ITEMS
    ]
    cap = -(-count // len(data.LEATHER_ITEMS)) + 1
    picked = _pick(rng, combos, count, lambda c: c[2].key, cap)
    picked.sort(
        key=lambda c: (
            data.LEATHER_ITEMS.index(c[2]),
            data.LEATHER_MODELS.index(c[0]),
            data.LEATHERS.index(c[1]),
        )
    )
    drafts = []
    for (model, model_zh), (leather, leather_zh, value, factor), item in picked:
        title = f"{model} {leather} {item.en}"
        title_zh = f"{model_zh}系列{leather_zh}{item.zh}"
        base = _d(item.eur) * _d(factor)
        if item.option == "colour":
            colours = sorted(
                rng.sample(data.LEATHER_COLOURS, rng.randint(2, 4)), key=data.LEATHER_COLOURS.index
            )
            picture_colour = colours[0][3]
            variants = [
                VariantDraft(c[0], {"colour": c[0]}, c[2], base, item.grams + 120) for c in colours
            ]
        else:
            colour = rng.choice(data.LEATHER_COLOURS)
            picture_colour = colour[3]
            title, title_zh = f"{title}, {colour[0]}", f"{title_zh}（{colour[1]}）"
            if item.option == "size":
                sizes = sorted(
                    rng.sample(["85", "90", "95", "100", "105"], rng.randint(3, 4)), key=int
                )
                variants = [
                    VariantDraft(f"{s} cm", {"size": f"{s} cm"}, s, base, item.grams + 80)
                    for s in sizes
                ]
            else:
                variants = [
                    VariantDraft(f"{w} mm", {"width": f"{w} mm"}, w, base, item.grams + 40)
                    for w in ("18", "20", "22")
                ]
        text_en, text_zh = _LEATHER_TEXT[value]
        description = (
            f"The {model} {item.en.lower()} is cut and stitched by hand in our Florence workshop "
            f"from {text_en}. {item.note_en} Edges are burnished and painted by hand, and every "
            "seam is saddle-stitched with waxed linen thread."
        )
        description_zh = (
            f"{model_zh}系列{item.zh}由我们佛罗伦萨工坊的匠人手工裁剪缝制，选用{text_zh}。{item.note_zh}"
            "皮边经手工打磨上色，每道缝线均以蜡麻线手工马鞍针缝制。"
        )
        drafts.append(
            Draft(
                title=title,
                title_zh=title_zh,
                description=description,
                description_zh=description_zh,
                category=item.category,
                attributes={"leather": value, "handmade": True, "origin": "Florence, Italy"},
                picture=(item.shape, picture_colour),
                variants=variants,
                stock="leather",
            )
        )
    return drafts


def _bikes(rng: random.Random, count: int) -> list[Draft]:
    combos = [(t, m, g) for t in data.BIKE_TYPES for m in data.BIKE_MODELS for g in t.gears]
    cap = -(-count // len(data.BIKE_TYPES)) + 1
    rng.shuffle(combos)
    unique = list({(c[0].key, c[1][0]): c for c in combos}.values())  # one per type and model
    picked = _pick(rng, unique, count, lambda c: c[0].key, cap)
    picked.sort(key=lambda c: (data.BIKE_TYPES.index(c[0]), data.BIKE_MODELS.index(c[1])))
    drafts = []
    for kind, (model, model_zh), gears in picked:
        gears_en = "Single-Speed" if gears == 1 else f"{gears}-Speed"
        gears_zh = "单速" if gears == 1 else f"{gears}速"
        base = _d(kind.eur) + _d((gears - 1) * 15) + _d(rng.choice([0, 50, 100]))
        sizes = list(kind.sizes)
        if len(sizes) > 2 and rng.random() < 0.4:
            sizes.remove(rng.choice(sizes))
        variants = []
        for size in sizes:
            if size == "One size":
                option, label = {"size": size}, size
            elif size.endswith('"'):
                option, label = {"wheel": size}, f"{size} wheels"
            else:
                option, label = {"frame": f"{size} cm"}, f"{size} cm frame"
            code = "OS" if size == "One size" else size.rstrip('"')
            variants.append(VariantDraft(label, option, code, base, int(_d(kind.kg) * 1000) + 3000))
        assist = " With electric assistance up to 25 km/h." if kind.electric else ""
        assist_zh = "电助力最高至25公里/小时。" if kind.electric else ""
        frame_en = "steel" if kind.frame == "steel" else "aluminium"
        frame_zh = "钢制" if kind.frame == "steel" else "铝合金"
        gear_text = "a single speed and a coaster brake" if gears == 1 else f"{gears} gears"
        gear_text_zh = "单速加倒刹" if gears == 1 else f"{gears}档变速"
        drafts.append(
            Draft(
                title=f"{model} {gears_en} {kind.en}",
                title_zh=f"{model_zh} {gears_zh}{kind.zh}",
                description=(
                    f"The {model} {kind.en.lower()}. {kind.note_en} A {frame_en} frame, "
                    f"{kind.wheel}-inch wheels and {gear_text}.{assist} Assembled and tested in "
                    "our Utrecht workshop, with a free first service after 300 km."
                ),
                description_zh=(
                    f"{model_zh}{kind.zh}：{kind.note_zh}{frame_zh}车架，{kind.wheel}英寸车轮，"
                    f"{gear_text_zh}。{assist_zh}在乌得勒支工坊组装并测试，骑行300公里后可享首次免费保养。"
                ),
                category=kind.category,
                attributes={
                    "frame_material": kind.frame,
                    "gears": gears,
                    "wheel_size": kind.wheel,
                    "electric_assist": kind.electric,
                },
                picture=("bicycle", BIKE_COLOURS[model]),
                variants=variants,
                stock="bikes",
            )
        )
    return drafts


def _accessories(rng: random.Random, count: int) -> list[Draft]:
    combos = [(a, k) for a in data.ACCESSORIES for k in a.kinds]
    picked = _pick(rng, combos, count, lambda c: c[0].key, 2)
    picked.sort(key=lambda c: (data.ACCESSORIES.index(c[0]), c[0].kinds.index(c[1])))
    drafts = []
    for acc, (kind, kind_zh, factor) in picked:
        base = _d(acc.eur) * _d(factor)
        if acc.colours:
            variants = [
                VariantDraft(c, {"colour": c}, c[:3].upper(), base, acc.grams + 100)
                for c in acc.colours
            ]
            colour = ACCESSORY_COLOURS[acc.colours[0]]
        else:
            variants = [VariantDraft("", {}, "STD", base, acc.grams + 100)]
            colour = "black"
        drafts.append(
            Draft(
                title=f"{kind} {acc.en}",
                title_zh=f"{kind_zh}{acc.zh}",
                description=f"{kind} {acc.en.lower()}. {acc.note_en} Tested on Utrecht's "
                "cobblestones before it goes on sale.",
                description_zh=f"{kind_zh}{acc.zh}。{acc.note_zh}上架前均在乌得勒支的石板路上实测。",
                category="cycling-accessories",
                attributes={},
                picture=("accessory", colour),
                variants=variants,
                stock="accessories",
            )
        )
    return drafts


LINES: dict[str, Callable[[random.Random, int], list[Draft]]] = {
    "tea": lambda rng, n: _tea_lines(rng, n, chinese_only=False),
    "tea_cn": lambda rng, n: _tea_lines(rng, n, chinese_only=True),
    "ceramics_fr": lambda rng, n: _ceramics(rng, n, french=True),
    "ceramics_cn": lambda rng, n: _ceramics(rng, n, french=False),
    "books": _books,
    "leather": _leather,
    "bikes": _bikes,
    "bike_accessories": _accessories,
}
