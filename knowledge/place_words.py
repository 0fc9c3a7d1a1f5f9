"""The words places are matched with: product and activity concepts, kinds of place, and the
words a question carries that name nothing (question words, framing phrases, generic words),
all folded (no diacritics, lower case). `knowledge.place_search` matches with them,
`knowledge.place_query` reads a question with them."""

from __future__ import annotations

from functools import cache

CONCEPTS: dict[str, tuple[str, ...]] = {
    "gom": ("gom", "gom su", "pottery", "ceramic", "ceramics", "terracotta", "dat nung"),
    "lua": ("lua", "to lua", "silk", "det lua", "dui", "det dui"),
    "non": ("non", "non la", "conical hat", "conical hats", "hat", "hats"),
    "tho cam": (
        "tho cam",
        "brocade",
        "textile",
        "textiles",
        "weaving",
        "weave",
        "woven",
        "det",
        "det lanh",
        "lanh",
        "linen",
        "hemp",
        "loom",
    ),
    "may tre": (
        "may tre",
        "may tre dan",
        "bamboo",
        "rattan",
        "basket",
        "baskets",
        "wicker",
        "dan lat",
        "dan tre",
        "tre",
        "co te",
    ),
    "son mai": (
        "son mai",
        "tranh son mai",
        "lacquer",
        "lacquerware",
        "lacquer painting",
        "lacquer paintings",
    ),
    "go": (
        "go",
        "do go",
        "wood",
        "woodwork",
        "wooden",
        "woodcarving",
        "wood carving",
        "moc",
        "cham khac go",
        "carpentry",
        "furniture",
    ),
    "tranh": ("tranh", "painting", "paintings", "woodblock", "woodblock prints", "folk painting"),
    "che": ("che", "tra", "tea", "doi che", "tea hills"),
    "ca phe": ("ca phe", "coffee"),
    "hoa": (
        "hoa",
        "flower",
        "flowers",
        "hoa giay",
        "paper flowers",
        "lan",
        "orchid",
        "orchids",
        "mai vang",
        "apricot blossom",
    ),
    "homestay": ("homestay", "home stay", "homestays", "nha san", "stilt house", "stay overnight"),
    "ruou": ("ruou", "rice wine", "wine", "ruou vang", "vineyard"),
    "banh": ("banh", "cake", "cakes", "rice cake"),
    "banh trang": ("banh trang", "rice paper", "banh da", "banh hoi"),
    "theu": ("theu", "embroidery", "theu ren", "lace"),
    "duc dong": ("duc dong", "bronze", "copper", "bronze casting", "dong thau"),
    "bac": ("bac", "cham bac", "silver", "jewellery", "jewelry", "silversmith"),
    "chieu": ("chieu", "mat", "mats", "sedge mats", "det chieu"),
    "huong": ("huong", "incense", "tam huong"),
    "giay": ("giay", "paper"),
    "nuoc mam": ("nuoc mam", "fish sauce"),
    "da my nghe": ("da my nghe", "lang da", "stone", "stone carving", "marble", "che tac da"),
    "ren": (
        "lang ren",
        "ren dao",
        "ren nong cu",
        "blacksmith",
        "blacksmiths",
        "blacksmithing",
        "forge",
        "forging",
        "knives",
        "sat thep",
        "iron",
        "duc gang",
    ),
    "keo dua": ("keo dua", "coconut candy"),
    "dua": ("dua", "coconut", "coconuts", "rung dua", "dua nuoc"),
    "trai cay": (
        "trai cay",
        "cay an trai",
        "fruit",
        "fruits",
        "fruit garden",
        "fruit gardens",
        "orchard",
        "orchards",
        "miet vuon",
        "vuon",
        "garden",
        "gardens",
        "nhan",
        "quyt",
        "buoi",
        "nho",
    ),
    "lang chai": ("lang chai", "fishing village", "fishing", "fishermen", "chai luoi"),
    "muoi": ("muoi", "salt"),
    "rau": ("rau", "vegetable", "vegetables", "herbs", "rau thom"),
    "ca cao": ("ca cao", "cocoa", "chocolate", "so co la"),
    "mat ong": ("mat ong", "honey"),
    "thuyen thung": ("thuyen thung", "basket boat", "basket boats", "coracle"),
    "trekking": ("trekking", "trek", "hiking", "leo nui"),
    "thac": ("thac", "waterfall", "waterfalls"),
    "hang": ("hang dong", "cave", "caves"),
    "nguoi cham": ("nguoi cham", "champa", "cham people"),
    "cham khac": ("cham khac", "cham", "carving", "carvings", "carved", "engraving", "tac"),
    "mien": ("mien", "mien dong", "glass noodles", "noodles"),
    "com": ("com", "green rice"),
    "ngoi": ("ngoi", "tiles", "roof tiles"),
    "dua duoc": ("dua", "chopsticks"),
    "long chim": ("long chim", "bird cage", "bird cages", "birdcage"),
    "kham trai": ("kham trai", "mother of pearl", "inlay"),
    "ao dai": ("ao dai", "may", "tailor", "tailoring", "garment", "garments"),
    "choi dot": ("choi dot", "brooms", "broom"),
    "tuong": ("tac tuong", "statue", "statues", "sculpture"),
    "sua": ("sua", "milk", "dairy"),
    "cong chieng": ("cong chieng", "gong", "gongs"),
    "cu lao": ("cu lao", "con", "islet", "islets", "island", "islands"),
    "cho noi": ("cho noi", "floating market", "floating markets"),
    "den long": ("den long", "lantern", "lanterns"),
    "lang co": (
        "lang co",
        "ancient village",
        "old village",
        "heritage village",
        "nha co",
        "old house",
        "ancient house",
    ),
}
"""Product and activity concepts: the Vietnamese word (key) and every phrase meaning it, folded."""

KIND_PHRASES: dict[str, tuple[str, ...]] = {
    "craft_village": (
        "lang nghe",
        "craft village",
        "craft villages",
        "handicraft village",
        "handicraft villages",
        "craft",
        "crafts",
        "handicraft",
        "handicrafts",
        "artisan village",
        "artisans",
        "nghe thu cong",
        "lang nghe truyen thong",
    ),
    "community_tourism": (
        "du lich cong dong",
        "community tourism",
        "community based tourism",
        "community village",
    ),
    "eco_tourism": (
        "du lich sinh thai",
        "sinh thai",
        "eco tourism",
        "ecotourism",
        "eco",
        "khu sinh thai",
        "nature park",
        "national park",
        "vuon quoc gia",
    ),
    "heritage_village": (
        "lang co",
        "ancient village",
        "old village",
        "heritage village",
        "ancient villages",
        "old villages",
    ),
    "ocop_showroom": (
        "diem ban ocop",
        "cua hang ocop",
        "ocop shop",
        "ocop store",
        "ocop shops",
        "showroom",
        "diem ocop",
        "ocop showroom",
        "ocop products",
        "san pham ocop",
        "diem gioi thieu san pham ocop",
        "trung tam ocop",
        "ocop centre",
        "ocop center",
    ),
}
"""Words for a kind of place; they filter the list ("làng nghề" → craft villages only)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GENERIC = _words(
    "lang village villages ban xom thon buon place places diem khu spot spots area tour tours "
    "du lich travel tourism tourist visit tham quan choi dia danh noi park site sites point "
    "points"
)
"""Words any place name may carry: they add little to a match and never make one alone."""

STOP = _words(
    "co gi o dau mua tim xem cho toi minh em anh chi nhung nao la khong ko di den muon biet "
    "nhe oi hay cac mot va voi tai nhat nen can duoc "
    "what where is are the a to in at of for can i we my buy see find any some there do did "
    "does which good best show please me us get how about tell with famous beautiful "
    "nice things thing stuff want would like know recommend visiting vietnam s they them how "
    "make made makes making anything something interesting it its was be been xin giup "
    "thi nhu duoc khong ak ah vay"
)
"""Question and filler words, dropped before matching (both languages, folded). Syllables
that also make place names ("lâm", "hang", "kia", "an", "go") are not in it."""
FILLER = (
    "cho em hoi",
    "cho toi hoi",
    "cho minh hoi",
    "cho hoi",
    "xin hoi",
    "em muon hoi",
    "di the nao",
    "di nhu the nao",
    "the nao",
    "nhu the nao",
    "how to get",
    "how do i get",
    "how can i get",
    "i would like",
    "i want to",
)
"""Phrases that only frame a question ("cho em hỏi …", "… đi thế nào"), removed first."""
UNSURE: dict[str, tuple[str, ...]] = {
    "go": ("gỗ", "gổ"),
    "may": ("mây", "may"),
    "con": ("cồn",),
    "tra": ("trà",),
    "che": ("chè",),
    "lan": ("lan",),
    "huong": ("hương",),
    "buoi": ("bưởi",),
    "chieu": ("chiếu",),
    "ngoi": ("ngói", "ngòi"),
    "mien": ("miến",),
    "bac": ("bạc",),
    "nho": ("nho",),
    "dua": ("dừa", "đũa"),
    "com": ("cốm",),
    "tre": ("tre",),
    "muoi": ("muối",),
    "sua": ("sữa",),
    "giay": ("giấy",),
    "cham": ("chạm", "chăm"),
    "lanh": ("lanh",),
    "mat": ("mat",),
    "nua": ("nưa",),
    "hieu": ("hiêu",),
    "gia": ("già",),
    "bang": ("báng",),
    "don": ("đôn",),
    "lac": ("lác",),
    "men": ("mển",),
    "cat": ("cát",),
    "sung": ("sưng",),
}
"""Products and one-syllable place names ("Bản Nưa") that, without diacritics, are also
common words ("con" is "còn", "nua" is "nữa", "hieu" is "hiểu", "go" and "men" are English):
the product or name only as written here, or, typed without diacritics, when something else
in the question (a place, a kind, another product) says it is about places."""
ABROAD = (
    "nhật bản",
    "nước nhật",
    "hàn quốc",
    "triều tiên",
    "trung quốc",
    "đài loan",
    "hồng kông",
    "thái lan",
    "lào",
    "nước lào",
    "campuchia",
    "cam pu chia",
    "căm pu chia",
    "miến điện",
    "mã lai",
    "nước pháp",
    "nước mỹ",
    "hoa kỳ",
    "nước anh",
    "nước đức",
    "nước úc",
    "nước nga",
    "nước ý",
    "tây ban nha",
    "thụy sĩ",
    "châu âu",
    "châu phi",
    "nông pênh",
    "xiêm riệp",
    "viêng chăn",
    "luông pha băng",
    "bắc kinh",
    "thượng hải",
    "japan",
    "japanese",
    "korea",
    "korean",
    "china",
    "chinese",
    "taiwan",
    "hong kong",
    "thailand",
    "laos",
    "lao",
    "cambodia",
    "cambodian",
    "myanmar",
    "burma",
    "malaysia",
    "singapore",
    "indonesia",
    "bali",
    "philippines",
    "india",
    "france",
    "paris",
    "usa",
    "america",
    "united states",
    "new york",
    "england",
    "london",
    "germany",
    "australia",
    "russia",
    "italy",
    "spain",
    "europe",
    "africa",
    "tokyo",
    "osaka",
    "kyoto",
    "seoul",
    "beijing",
    "shanghai",
    "bangkok",
    "chiang mai",
    "phnom penh",
    "siem reap",
    "angkor",
    "vientiane",
    "luang prabang",
    "kuala lumpur",
)
"""Countries and places outside Vietnam a visitor may name, as written (lower case): the bot
covers Vietnam only. Names that are also Vietnamese words alone ("Mỹ", "Anh", "Thái": the
Thái people) are here only with "nước" ("nước Mỹ")."""
LEADS = _words("lang nghe cham duc det theu dan son lam ban cho vuon rung trai xuong khac tac")
"""Words that come before a product in a place's name ("Làng *bạc*", "chạm *bạc*"): a short
product word counts in a name only after one of them ("bạc" is not "Bắc Sơn")."""


@cache
def table_words() -> frozenset[str]:
    """Every word of the phrase tables and the stop and generic lists (typo repair reads
    towards them; place names are not looked for among them)."""
    words = set(STOP) | set(GENERIC)
    for phrases in (*CONCEPTS.values(), *KIND_PHRASES.values()):
        for phrase in phrases:
            words.update(phrase.split())
    return frozenset(words)


@cache
def table_phrases() -> frozenset[str]:
    """Every phrase of the concept and kind tables ("son mai", "lang nghe")."""
    return frozenset(
        p for phrases in (*CONCEPTS.values(), *KIND_PHRASES.values()) for p in phrases
    )
