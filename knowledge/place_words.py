"""The words places are matched with: product and activity concepts and kinds of place (as
written), and the words a question carries that name nothing (question words, framing phrases,
generic words, folded: no diacritics, lower case). `knowledge.place_search` matches with them,
`knowledge.place_query` reads a question with them."""

from __future__ import annotations

from functools import cache

from knowledge.text import fold

CONCEPTS: dict[str, tuple[str, ...]] = {
    "lua gao": (  # before "lụa": "lua" typed without diacritics is silk
        "lúa",
        "ruộng lúa",
        "đồng lúa",
        "cấy lúa",
        "rice field",
        "rice fields",
        "paddy",
        "paddies",
    ),
    "ruong bac thang": ("ruộng bậc thang", "rice terraces", "terraced fields", "terraces"),
    "hat": ("hát", "quan họ", "singing", "folk songs", "folk singing"),
    "gom": (
        "gốm",
        "gốm sứ",
        "pottery",
        "ceramic",
        "ceramics",
        "terracotta",
        "đất nung",
        "porcelain",
        "stoneware",
        "earthenware",
        "gốm sành",
    ),
    "lua": (
        "lụa",
        "tơ lụa",
        "silk",
        "dệt lụa",
        "đũi",
        "dệt đũi",
        "ươm tơ",
        "silkworm",
        "silkworms",
        "sericulture",
    ),
    "non": ("nón", "nón lá", "conical hat", "conical hats", "hat", "hats"),
    "tho cam": (
        "thổ cẩm",
        "brocade",
        "textile",
        "textiles",
        "weaving",
        "weave",
        "weaver",
        "weavers",
        "woven",
        "dệt",
        "dệt lanh",
        "lanh",
        "linen",
        "hemp",
        "loom",
    ),
    "may tre": (
        "mây",
        "mây tre",
        "mây tre đan",
        "bamboo",
        "rattan",
        "basket",
        "baskets",
        "wicker",
        "basketry",
        "đan lát",
        "đan tre",
        "tre",
        "cỏ tế",
    ),
    "nhuom": ("nhuộm", "nhuộm chàm", "dyeing", "dye", "dyed", "indigo"),
    "son mai": (
        "sơn mài",
        "tranh sơn mài",
        "lacquer",
        "lacquerware",
        "lacquer painting",
        "lacquer paintings",
    ),
    "go": (
        "gỗ",
        "đồ gỗ",
        "wood",
        "woodwork",
        "wooden",
        "woodcarving",
        "wood carving",
        "mộc",
        "chạm khắc gỗ",
        "carpentry",
        "furniture",
    ),
    "tranh": (
        "tranh",
        "painting",
        "paintings",
        "picture",
        "pictures",
        "woodblock",
        "woodblock prints",
        "folk painting",
    ),
    "che": ("chè", "trà", "tea", "đồi chè", "tea hills"),
    "ca phe": ("cà phê", "coffee"),
    "hoa": (
        "hoa",
        "flower",
        "flowers",
        "hoa giấy",
        "paper flowers",
        "lan",
        "orchid",
        "orchids",
        "mai vàng",
        "apricot blossom",
    ),
    "homestay": (
        "homestay",
        "home stay",
        "homestays",
        "nhà sàn",
        "stilt house",
        "stay overnight",
        "ngủ lại",
        "nghỉ lại",
        "ngủ qua đêm",
        "nghỉ qua đêm",
        "chỗ ngủ",
        "lưu trú",
        "local family",
        "local families",
        "host family",
    ),
    "ruou": ("rượu", "rice wine", "wine", "vineyard"),
    "nho": ("nho", "grape", "grapes", "vườn nho", "rượu vang", "vineyard", "vineyards"),
    "banh": ("bánh", "cake", "cakes", "rice cake"),
    "banh trang": ("bánh tráng", "rice paper", "bánh đa", "bánh hỏi"),
    "theu": ("thêu", "embroidery", "embroidered", "thêu ren", "lace"),
    "duc dong": ("đúc đồng", "bronze", "copper", "bronze casting", "đồng thau"),
    "bac": ("bạc", "chạm bạc", "silver", "jewellery", "jewelry", "silversmith"),
    "chieu": ("chiếu", "mat", "mats", "sedge mats", "dệt chiếu"),
    "huong": ("hương", "incense", "tăm hương"),
    "giay": ("giấy", "paper"),
    "nuoc mam": ("nước mắm", "fish sauce"),
    "da my nghe": ("đá mỹ nghệ", "làng đá", "stone", "stone carving", "marble", "chế tác đá"),
    "ren": (
        "làng rèn",
        "rèn dao",
        "rèn nông cụ",
        "blacksmith",
        "blacksmiths",
        "blacksmithing",
        "forge",
        "forging",
        "knives",
        "knife",
        "scissors",
        "smith",
        "smiths",
        "smithing",
        "sắt thép",
        "iron",
        "steel",
        "đúc gang",
    ),
    "keo dua": ("kẹo dừa", "coconut candy"),
    "dua": ("dừa", "coconut", "coconuts", "rừng dừa", "dừa nước"),
    "trai cay": (
        "trái cây",
        "cây ăn trái",
        "fruit",
        "fruits",
        "fruit garden",
        "fruit gardens",
        "orchard",
        "orchards",
        "miệt vườn",
        "vườn",
        "garden",
        "gardens",
        "nhãn",
        "longan",
        "quýt",
        "bưởi",
        "nho",
        "xoài",
        "mango",
    ),
    # one fruit: its own places first, before any fruit garden ("nhãn" is no "trái cây" garden)
    "nhan": ("nhãn", "longan", "long nhãn"),
    "buoi": ("bưởi", "pomelo", "pomelos"),
    "quyt": ("quýt", "tangerine", "tangerines"),
    "xoai": ("xoài", "mango", "mangoes"),
    "lang chai": ("làng chài", "fishing village", "fishing", "fishermen", "chài lưới"),
    "muoi": ("muối", "salt"),
    "rau": ("rau", "vegetable", "vegetables", "herbs", "rau thơm"),
    "ca cao": ("ca cao", "cocoa", "chocolate", "sô cô la"),
    "mat ong": ("mật ong", "honey", "bee", "bees", "beekeeping", "nuôi ong", "ong mật"),
    "thuyen": (  # any boat; before "thuyền thúng", which stays its own when typed
        "thuyền",
        "đi thuyền",
        "chèo thuyền",
        "xuồng",
        "chống xuồng",
        "boat",
        "boats",
        "boat trip",
        "boat trips",
        "boat ride",
        "boat rides",
        "sampan",
        "canoe",
        "kayak",
        "thuyền thúng",
        "basket boat",
        "basket boats",
    ),
    "thuyen thung": ("thuyền thúng", "basket boat", "basket boats", "coracle"),
    "trekking": ("trekking", "trek", "hiking", "leo núi"),
    "thac": ("thác", "waterfall", "waterfalls"),
    "hang": ("hang động", "cave", "caves"),
    "nguoi cham": ("người Chăm", "Chăm", "Cham", "Champa", "Cham people"),
    "cham khac": ("chạm khắc", "chạm", "carving", "carvings", "carved", "engraving", "tạc"),
    "mien": ("miến", "miến dong", "glass noodles", "noodles"),
    "com": ("cốm", "green rice"),
    "ngoi": ("ngói", "tiles", "roof tiles"),
    "dua duoc": ("đũa", "chopsticks"),
    "long chim": ("lồng chim", "bird cage", "bird cages", "birdcage"),
    "kham trai": ("khảm trai", "mother of pearl", "inlay"),
    "ao dai": ("áo dài", "may", "tailor", "tailoring", "garment", "garments"),
    "choi dot": ("chổi đót", "brooms", "broom"),
    "tuong": ("tạc tượng", "statue", "statues", "sculpture"),
    "sua": ("sữa", "milk", "dairy"),
    "cong chieng": ("cồng chiêng", "gong", "gongs"),
    "cu lao": ("cù lao", "cồn", "islet", "islets", "island", "islands"),
    "cho noi": ("chợ nổi", "floating market", "floating markets"),
    "den long": ("đèn lồng", "lantern", "lanterns"),
    "lang co": (
        "làng cổ",
        "ancient village",
        "old village",
        "heritage village",
        "nhà cổ",
        "old house",
        "ancient house",
    ),
}
"""Product and activity concepts: the Vietnamese word (key, folded) and every phrase meaning it,
as written: a place's text must spell a phrase so ("chè", not "chế"; "hat", not "hát"), and a
phrase written in lower case is no product where the place capitalises it as (part of) a
proper name ("Hương Canh", "làng Chè")."""
COMPOUNDS = ("basket boat", "basket boats", "rice paper", "paper flowers", "hoa giấy")
"""Names of one product holding another's word ("basket" in "basket boat", a coracle; "paper" in
"rice paper"): where a place has the word only inside one, it is not that other product
(a basket-boat ride offers no bamboo)."""

KIND_PHRASES: dict[str, tuple[str, ...]] = {
    "craft_village": (
        "làng nghề",
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
        "nghề thủ công",
        "làng nghề truyền thống",
    ),
    "community_tourism": (
        "du lịch cộng đồng",
        "community tourism",
        "community based tourism",
        "community village",
    ),
    "eco_tourism": (
        "du lịch sinh thái",
        "sinh thái",
        "eco tourism",
        "ecotourism",
        "eco",
        "khu sinh thái",
        "nature park",
        "national park",
        "vườn quốc gia",
    ),
    "heritage_village": (
        "làng cổ",
        "ancient village",
        "old village",
        "heritage village",
        "ancient villages",
        "old villages",
    ),
    "ocop_showroom": (
        "điểm bán OCOP",
        "cửa hàng OCOP",
        "ocop shop",
        "ocop store",
        "ocop shops",
        "showroom",
        "điểm OCOP",
        "ocop showroom",
        "ocop products",
        "sản phẩm OCOP",
        "điểm giới thiệu sản phẩm OCOP",
        "trung tâm OCOP",
        "ocop centre",
        "ocop center",
        # a shop of local products (what OCOP shops sell): a shop of anything else is declined
        # by its other word ("shoe shop")
        "cửa hàng",
        "cửa hàng đặc sản",
        "shop",
        "shops",
        "store",
        "stores",
        "souvenir",
        "souvenirs",
        "souvenir shop",
        "souvenir shops",
        "quà lưu niệm",
        "mua quà",
        "lưu niệm",
        "đặc sản",
        "local products",
        "local specialties",
        "local specialty",
        "specialties",
    ),
}
"""Words for a kind of place, as written; they filter the list ("làng nghề" → craft villages
only)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GENERIC = _words(
    "lang village villages ban xom thon buon place places diem khu spot spots area tour tours "
    "du lich travel tourism tourist visit tham quan choi dia danh noi park site sites point "
    "points farm farms attraction attractions sightseeing sights trip trips"
)
"""Words any place name may carry: they add little to a match and never make one alone."""

STOP = _words(
    "co gi o dau mua tim xem cho toi minh em anh chi nhung nao la khong ko di den muon biet "
    "nhe oi hay cac mot va voi tai nhat nen can duoc "
    "what where is are the a to in at of for can i we my buy see find any some there do did "
    "does which good best show please me us get how about tell with famous beautiful "
    "nice things thing stuff want would like know recommend visiting vietnam s they them how "
    "make made makes making anything something interesting it its was be been xin giup "
    "thi nhu duoc khong ak ah vay have has had many sell sells selling sold products "
    "dep ok oke ngon tot xinh mn xong "
    "popular renowned famed most top traditional authentic oldest iconic hot notable known "
    "pls plz thx nhen hok hem hk khum ad admin ds list on "
    "worth seeing visiting should whats wats interest from along stay "
    "were wher whre by wanna gonna learn learning class classes lesson lessons course courses "
    "own try experience experiences workshop workshops "
    "few several couple somewhere anywhere suggest suggestion suggestions fun "
    "watch watching being artisans craftsmen craftspeople"
)
"""Question and filler words, dropped before matching (both languages, folded). Syllables
that also make place names ("lâm", "hang", "kia", "an", "go") are not in it."""
NAMING_NOTHING = STOP | GENERIC
"""Words that never make a commune's name alone ("tớ mua", "thôn"): stop and generic words."""
FILLER = (
    "cho em hoi",
    "cho e hoi",
    # words that judge ("nổi tiếng", "tiêu biểu", "well-known"): any place of the kind may be meant
    "noi tieng",
    "noi bat",
    "tieu bieu",
    "doc dao",
    "dac sac",
    "lau doi",
    "co truyen",
    "truyen thong",
    "well known",
    # of an ethnic minority ("ethnic village", "bản dân tộc"): the data's villages are theirs
    "ethnic minority",
    "ethnic minorities",
    "ethnic",
    "dong bao dan toc",
    "dan toc thieu so",
    "dan toc",
    "dong bao",
    "best known",
    "must see",
    "must visit",
    "must go",
    # a tourist's idioms ("places to go": "go" is no gỗ; "sống ảo", "check in": for photos)
    "to go",
    "i go",
    "we go",
    "go to",
    "go see",
    "song ao",
    "check in",
    "chup anh",
    "day trip",
    # any place to go ("gợi ý chỗ vui chơi cuối tuần"): a request for places, no topic
    "goi y",
    "vui choi",
    "cuoi tuan nay",
    "cuoi tuan",
    "this weekend",
    "at the weekend",
    "on the weekend",
    "weekend",
    # which province a former one is part of now ("Bến Tre giờ thuộc tỉnh nào"): the list's
    # heading says it (`tp.now_part`)
    "gio thuoc tinh nao",
    "bay gio thuoc tinh nao",
    "nay thuoc tinh nao",
    "thuoc tinh nao",
    "thuoc tinh gi",
    "thuoc ve tinh nao",
    "sap nhap vao tinh nao",
    "nhap vao tinh nao",
    "which province",
    "part of which province",
    "in now",
    "now part of",
    "o do",
    # chat forms ("… thì sao", "danh sách"): the question's frame
    "thi sao",
    "danh sach",
    "dang di",
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
    # where the asker says they are ("mình đang ở Sa Pa, quanh đây …"): the place stays
    "toi dang o",
    "minh dang o",
    "em dang o",
    "e dang o",
    "bon minh dang o",
    "chung toi dang o",
    "chung minh dang o",
    "hien dang o",
    "dang o",
    "dang du lich",
    "dang di du lich",
    "i m in",
    "im in",
    "i am in",
    "we re in",
    "we are in",
    "i m staying in",
    "im staying in",
    "i am staying in",
    "we re staying in",
    "we are staying in",
    "staying in",
    "currently in",
    "right now",
    "at the moment",
    "for a few days",
    "for two days",
    "for a day",
    "this week",
    "today",
    # who travels ("gia đình mình", "with kids"): no topic, and "gia dinh" no Phường Gia Định
    "gia dinh minh dang o",
    "gia dinh toi dang o",
    "gia dinh em dang o",
    "ca gia dinh",
    "gia dinh minh",
    "gia dinh toi",
    "gia dinh em",
    "gia dinh chung toi",
    "gia dinh chung minh",
    "ca nha minh",
    "ca nha",
    "cho tre con choi",
    "cho tre em choi",
    "cho tre con",
    "cho tre em",
    "cho be",
    "cho cac chau",
    "tre con",
    "tre em",
    "with my family",
    "with our family",
    "with family",
    "with the family",
    "for my family",
    "for our family",
    "for the family",
    "my family",
    "our family",
    "family trip",
    "family friendly",
    "family holiday",
    "family vacation",
    "with my kids",
    "with kids",
    "with children",
    "with my children",
    "for kids",
    "for children",
    "kid friendly",
    "kids",
    "children",
)
"""Phrases that only frame a question ("cho em hỏi …", "… đi thế nào", "I'm in …"), removed
first (folded: an apostrophe parts words)."""
PROCESS = (
    "che bien",
    "san xuat",
    "processing",
    "processed",
    "production",
    "produce",
    "produces",
    "producing",
    "manufacturing",
    "woven",
    "painted",
    "cast",
    "casting",
    "handmade",
    "hand made",
    "at work",
    "in action",
)
"""How a product is made ("chế biến", "sản xuất", "processing", "silk being woven", "bronze being
cast", "potters at work"): no product of its own (alone, they name nothing; "làng chế biến nhãn"
asks for longan), removed with `FILLER`."""
NAME_AFTER = frozenset({"bay", "island", "isle", "beach", "capital", "loop"})
NAME_BEFORE = (("dao",), ("thu", "do"))
"""Words said with a place's name that are part of what it names ("Ha Long bay", "Phu Quoc
island", "đảo Phú Quốc", "thủ đô Hà Nội"): read off, the place being named already."""
FOLLOW_ON = frozenset({"and", "also", "va", "the"})
"""Words that open a question following another ("thanks, and pottery near Hanoi?", "thế còn
…"): read off there only ("steel and iron" keeps its words); "còn" too, but for a name
("Cồn Phụng")."""
CLOSING = frozenset({"nha", "ha", "hen", "nghen"})
"""Particles that close a question ("… ở Huế nha"): read off there only, being syllables of
names elsewhere ("Nhà Xá", "Huổi Nhả", "Hà Nội")."""
FORMER_AFTER = frozenset({"cu", "xua", "truoc", "moi"})
FORMER_BEFORE = frozenset({"former", "old", "formerly", "new"})
"""Words that say a unit named is the former one, after it ("Hà Tây cũ") or before it ("former
Quảng Nam"): read off, the names being read as before 2025 already; and those that say it is
the new one ("Tuyên Quang mới", "new Tuyen Quang"), read off too, a 2025 province's name
being read as the whole of it already."""
MAKE = frozenset({"lam", "nghe"})
""""làm" (make) and "nghề" (the craft of), read so only right before a product ("làm gốm",
"nghề làm nón"): they are also syllables of names ("Mỹ Lâm", "Nghệ An"), and "làng nghề" is
a kind of place."""
PRACTICAL = (
    "gio mo cua",
    "mo cua",
    "dong cua",
    "luc may gio",
    "den may gio",
    "may gio",
    "gio giac",
    "so dien thoai",
    "dien thoai",
    "sdt",
    "lien he",
    "hotline",
    "opening hours",
    "opening times",
    "what time",
    "open on",
    "open today",
    "open now",
    "open at",
    "opens at",
    "open until",
    "open tomorrow",
    "still open",
    "is it open",
    "closed",
    "phone number",
    "phone",
    "contact",
)
"""What a visitor may ask of a place that the data does not hold (its hours, the days it opens,
its phone): taken out, so the place is still found, and the reply says it is not known."""
WHEN = (
    "chu nhat",
    "thu bay",
    "thu 7",
    "cuoi tuan",
    "ngay le",
    "ngay tet",
    "hom nay",
    "ngay mai",
    "sunday",
    "saturday",
    "weekend",
    "weekends",
    "holidays",
    "today",
    "tomorrow",
    "on",
    "number",
    "open",
    "opens",
)
"""Days and times said with `PRACTICAL` ("mở cửa chủ nhật", "open on Sunday"), taken out too."""
ASKED_OF_A_PLACE = {
    "route": (
        "get there",
        "get to",
        "getting there",
        "go there",
        "way there",
        "directions",
        "direction",
        "how to go",
        "how do i go",
        "how can i go",
        "how to reach",
        "route",
        "di the nao",
        "di nhu the nao",
        "di duong nao",
        "di bang gi",
        "duong di",
        "duong den",
        "chi duong",
        "den do the nao",
        "toi do the nao",
        "den do bang gi",
    ),
    "buy": (
        "buy",
        "buying",
        "purchase",
        "shopping",
        "souvenir",
        "souvenirs",
        "sell",
        "what to do",
        "what can i do",
        "what to see",
        "mua gi",
        "mua duoc gi",
        "mua duoc nhung gi",
        "ban gi",
        "ban nhung gi",
        "dac san",
        "co gi",
        "lam gi",
        "choi gi",
        "xem gi",
    ),
}
"""What a visitor asks next of a place whose card they just read, naming it no more ("how do I
get there?", "what can I buy there", "ở đó mua được gì"): the way there, what it offers."""
MORE = frozenset(
    {
        "xem them",
        "them",
        "them nua",
        "them di",
        "xem tiep",
        "tiep",
        "tiep di",
        "tiep theo",
        "trang sau",
        "con nua",
        "con nua khong",
        "con nua ko",
        "con nua k",
        "con khong",
        "con ko",
        "con nua hem",
        "con cho nao nua khong",
        "con noi nao nua khong",
        "con gi nua khong",
        "cho xem them",
        "more",
        "show more",
        "show me more",
        "more please",
        "any more",
        "anymore",
        "next",
        "next page",
        "see more",
        "more places",
        "what else",
        "anything else",
        "others",
        "other places",
    }
)
"""What a visitor types, alone, for the next page of a list (folded; particles dropped)."""
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
COUNTS = frozenset({"vai", "may", "so"})
PLACE_NOUNS = frozenset({"cho", "noi", "diem", "dia", "khu", "homestay", "cua"}) | GENERIC
"""How many places are asked for ("vài chỗ", "mấy làng", "một số điểm"): a count word right
before a noun of places, read off ("vài" is also "vải", "mấy" "mây", when no noun follows)."""
OPENED_ONCE = ("khai truong", "thanh lap", "di vao hoat dong", "opened", "founded", "established")
OPENED_SINCE = ("mo cua", "mo", "hoat dong", "open", "opening")
OPENED_WHEN = (
    "tu bao gio",
    "tu khi nao",
    "tu nam nao",
    "tu ngay nao",
    "tu luc nao",
    "tu nam bao nhieu",
    "nam nao",
    "ngay nao",
    "bao gio",
    "khi nao",
    "since when",
    "since",
    "when",
    "year",
    "date",
)
"""Since when a place is open ("mở từ bao giờ", "khai trương khi nào", "when did it open"): an
opening verb with a word of time, next to each other in Vietnamese, anywhere in English; one
of `OPENED_SINCE` only with "từ", a year or a day ("mở cửa khi nào" asks its hours). The place
is found, and the reply gives the opening date its source holds, or says it is not known."""
LEADS = _words("lang nghe cham duc det theu dan son lam ban cho vuon rung trai xuong khac tac nau")
"""Words that come before a product in a place's name ("Làng *bạc*", "chạm *bạc*"): a short
product word counts in a name only after one of them ("bạc" is not "Bắc Sơn"; "nấu rượu")."""


@cache
def table_words() -> frozenset[str]:
    """Every word of the phrase tables and the stop and generic lists (typo repair reads
    towards them; place names are not looked for among them)."""
    words = set(STOP) | set(GENERIC)
    for phrase in table_phrases():
        words.update(phrase.split())
    return frozenset(words)


@cache
def table_phrases() -> frozenset[str]:
    """Every phrase of the concept and kind tables, folded ("son mai", "lang nghe")."""
    return frozenset(
        fold(p) for phrases in (*CONCEPTS.values(), *KIND_PHRASES.values()) for p in phrases
    )
