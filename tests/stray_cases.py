"""Evaluation set: what a producer types at the main menu, and the product set whose
self-assessment the bot should offer (None: it must not offer one). Used by
tests/test_flows.py and `python -m bench.stray`."""

from __future__ import annotations

PRODUCT_LEAD_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the menu, the product set offered first, or None)
    ("no diacritics", "nuoc mam", "26-tuong-nuoc-mam"),
    ("no diacritics", "mat ong", "26-mat-ong-mat-khac"),
    ("no diacritics", "gom", "26-thu-cong-my-nghe"),
    ("no diacritics", "ca phe", "26-ca-phe-ca-cao"),
    ("no diacritics", "ruou", "26-ruou-trang"),
    ("no diacritics", "may tre dan", "26-thu-cong-my-nghe"),
    ("diacritics", "Nước mắm", "26-tuong-nuoc-mam"),
    ("diacritics", "mật ong", "26-mat-ong-mat-khac"),
    ("diacritics", "chè", "26-che-tuoi-che-bien"),
    ("diacritics", "gạo", "26-gao-ngu-coc-hat-so-che"),
    ("upper case", "NUOC MAM", "26-tuong-nuoc-mam"),
    ("upper case", "Mat Ong", "26-mat-ong-mat-khac"),
    ("sentence", "toi lam nuoc mam", "26-tuong-nuoc-mam"),
    ("sentence", "nhà tôi làm mật ong", "26-mat-ong-mat-khac"),
    ("sentence", "san pham ca phe", "26-ca-phe-ca-cao"),
    ("sentence", "I make fish sauce", "26-tuong-nuoc-mam"),
    ("sentence", "we produce honey", "26-mat-ong-mat-khac"),
    ("sentence", "we sell honey", "26-mat-ong-mat-khac"),  # probe7: "sell" named nothing
    ("English", "fish sauce", "26-tuong-nuoc-mam"),
    ("English", "honey", "26-mat-ong-mat-khac"),
    ("English", "tea", "26-che-tuoi-che-bien"),
    ("English", "coffee", "26-ca-phe-ca-cao"),
    ("English", "rice", "26-gao-ngu-coc-hat-so-che"),
    # Written before the change (probe7, 2026-11-30): "tôi" typed without diacritics is "tỏi"
    # (garlic) too, and "diem phan B cua toi" was offered the spices' self-assessment.
    ("must not", "san pham cua toi", None),
    ("must not", "diem phan B cua toi", None),
    ("must not", "ho so cua toi", None),
    ("must not", "mat ong cua toi", "26-mat-ong-mat-khac"),
    ("diacritics", "tỏi", "26-gia-vi-khac"),
    ("sentence", "nha toi trong toi", "26-gia-vi-khac"),
    # Written before the change (probe7, 2026-11-30): where the producer lives said between who
    # and what they make ("tôi ở Hà Giang làm mật ong") named nothing: the place search
    # answered "no place matched".
    ("where and what", "toi o ha giang lam mat ong bac ha", "26-mat-ong-mat-khac"),
    ("where and what", "nha em o nghe an lam nuoc mam", "26-tuong-nuoc-mam"),
    ("where and what", "htx minh tai son la trong ca phe", "26-ca-phe-ca-cao"),
    ("where and what", "I am from Son La, we grow coffee", "26-ca-phe-ca-cao"),
    ("where and what", "we are in Phu Quoc and make fish sauce", "26-tuong-nuoc-mam"),
    ("where and what", "em o xa tan cuong thai nguyen, lam che", "26-che-tuoi-che-bien"),
    # Written before the change (probe7, 2026-11-30): who they are by what they make ("I'm a
    # tea farmer in Thai Nguyen") named nothing.
    ("who by what", "I'm a tea farmer in Thai Nguyen", "26-che-tuoi-che-bien"),
    ("who by what", "we are honey producers", "26-mat-ong-mat-khac"),
    ("who by what", "I am a coffee grower", "26-ca-phe-ca-cao"),
    ("must not", "I am a farmer", None),
    ("must not", "i am from ha giang", None),
    ("must not", "toi o ha giang", None),
    ("must not", "lang gom o bat trang", None),
    # Written before the change (probe7, 2026-11-30): a product with its variety and its
    # province ("rượu ngô men lá Hà Giang", "nem chua Thanh Hóa") named nothing (the place
    # search's "no place matched"): the first word names the product beside a place.
    ("where and what", "ruou ngo men la ha giang", "26-ruou-trang"),
    ("where and what", "nem chua thanh hoa", "26-che-bien-tu-thit-thuy-san"),
    ("must not", "lang nghe thai nguyen", None),
    ("must not", "cho dong xuan ha noi", None),
    # Written before the matcher learnt them: a product with its variety, origin or a typo.
    ("variety or origin", "mat ong rung", "26-mat-ong-mat-khac"),
    ("variety or origin", "nước mắm Phú Quốc", "26-tuong-nuoc-mam"),
    ("variety or origin", "ca phe robusta", "26-ca-phe-ca-cao"),
    ("variety or origin", "che shan tuyet suoi giang", "26-che-tuoi-che-bien"),
    ("variety or origin", "banh trang phoi suong", "26-che-bien-tu-gao-ngu-coc"),
    ("variety or origin", "nha toi lam lap xuong tuoi", "26-che-bien-tu-thit-thuy-san"),
    ("variety or origin", "tôi làm gạo nếp cái hoa vàng", "26-gao-ngu-coc-hat-so-che"),
    ("variety or origin", "Phu Quoc fish sauce", "26-tuong-nuoc-mam"),
    ("variety or origin", "we make dried squid", "26-che-bien-tu-thit-thuy-san"),
    ("variety or origin", "toi lam tinh dau tram", "26-tinh-dau-duoc-lieu-khac"),
    ("variety or origin", "my pham thao duoc", "26-my-pham-duoc-lieu"),
    ("variety or origin", "nuoc khoang thien nhien", "26-nuoc-khoang-nuoc-uong-dong-chai"),
    ("English", "essential oil", "26-tinh-dau-duoc-lieu-khac"),
    ("variety or origin", "I make wild honey", "26-mat-ong-mat-khac"),
    ("variety or origin", "we produce robusta coffee", "26-ca-phe-ca-cao"),
    ("typo", "mat ongg", "26-mat-ong-mat-khac"),
    ("typo", "nuoc mamm", "26-tuong-nuoc-mam"),
    ("typo", "caphe", "26-ca-phe-ca-cao"),
    ("typo", "nươc mắm", "26-tuong-nuoc-mam"),
    ("must decline", "mua mat ong o dau", None),
    ("must decline", "ca phe nao ngon nhat?", None),
    ("must decline", "cam on nhieu", None),
    ("must decline", "tra cuu ket qua", None),
    ("must decline", "toi lam xong roi", None),
    ("must decline", "toi lam theo huong dan", None),
    ("must decline", "where can I buy fish sauce", None),
    ("must decline", "xin chao", None),
    ("must decline", "cam on", None),
    ("must decline", "hello", None),
    ("must decline", "ok", None),
    ("must decline", "hoi an", None),
    ("must decline", "bat trang", None),
    ("must decline", "bao nhieu sao", None),
    ("must decline", "tourist", None),
    ("must decline", "toi lam gi bay gio", None),
    ("must decline", "san pham cua toi duoc may sao", None),
    # Written before the matcher learnt them (2026-11-30): the set's other word for the product
    # with a variety or origin ("trà" for "chè", "cafe" for "cà phê"), and the product named in a
    # sentence about oneself ("nhà tôi có homestay", "HTX em sản xuất …", "we run a homestay").
    ("synonym with variety", "tra shan tuyet", "26-che-tuoi-che-bien"),
    ("synonym with variety", "Trà Shan tuyết Suối Giàng", "26-che-tuoi-che-bien"),
    ("synonym with variety", "tra shan tuyet ha giang", "26-che-tuoi-che-bien"),
    ("synonym with variety", "shan tuyet tea", "26-che-tuoi-che-bien"),
    ("synonym with variety", "Suoi Giang shan tuyet tea", "26-che-tuoi-che-bien"),
    ("synonym with variety", "tra Thai Nguyen", "26-che-tuoi-che-bien"),
    ("synonym with variety", "chè Thái Nguyên", "26-che-tuoi-che-bien"),
    ("synonym with variety", "Moc Chau tea", "26-che-tuoi-che-bien"),
    ("synonym with variety", "cafe Buon Ma Thuot", "26-ca-phe-ca-cao"),
    ("synonym with variety", "gao Dien Bien", "26-gao-ngu-coc-hat-so-che"),
    ("synonym with variety", "Ha Giang honey", "26-mat-ong-mat-khac"),
    ("synonym with variety", "honey from Ha Giang", "26-mat-ong-mat-khac"),
    ("synonym with variety", "tra shan tuyett", "26-che-tuoi-che-bien"),
    ("owner sentence", "nha toi co homestay", "26-du-lich-cong-dong"),
    ("owner sentence", "Nhà tôi có homestay ở Sa Pa", "26-du-lich-cong-dong"),
    ("owner sentence", "nha em kinh doanh homestay", "26-du-lich-cong-dong"),
    ("owner sentence", "we run a homestay", "26-du-lich-cong-dong"),
    ("owner sentence", "gia dinh toi lam du lich cong dong", "26-du-lich-cong-dong"),
    ("owner sentence", "HTX em san xuat che", "26-che-tuoi-che-bien"),
    ("owner sentence", "HTX em sản xuất gạo nếp", "26-gao-ngu-coc-hat-so-che"),
    ("owner sentence", "nha toi trong tra", "26-che-tuoi-che-bien"),
    ("owner sentence", "em trồng chè shan tuyết", "26-che-tuoi-che-bien"),
    ("owner sentence", "nha toi trong tra shan tuyet", "26-che-tuoi-che-bien"),
    ("owner sentence", "co so cua toi san xuat gao", "26-gao-ngu-coc-hat-so-che"),
    ("owner sentence", "ben em lam cafe", "26-ca-phe-ca-cao"),
    ("owner sentence", "we grow coffee", "26-ca-phe-ca-cao"),
    ("owner sentence", "my family grows tea", "26-che-tuoi-che-bien"),
    ("owner sentence", "our cooperative produces honey", "26-mat-ong-mat-khac"),
    ("owner sentence", "htx chung toi lam nuoc mam", "26-tuong-nuoc-mam"),
    ("owner sentence", "nha toi nau ruou", "26-ruou-trang"),
    # Found while probing the above, before the matcher learnt them: the short forms of chat
    # ("e" for em, "sx" for sản xuất) and "we have a homestay".
    ("owner sentence", "HTX e sx che", "26-che-tuoi-che-bien"),
    ("owner sentence", "nha e lam homestay", "26-du-lich-cong-dong"),
    ("owner sentence", "we have a homestay in Sa Pa", "26-du-lich-cong-dong"),
    ("must decline", "e co cau hoi", None),
    ("must decline", "i have results", None),
    ("must decline", "tra cuu diem", None),
    ("must decline", "tra loi giup toi", None),
    ("must decline", "tra gop", None),
    ("must decline", "che bien", None),
    ("must decline", "Tra Vinh", None),
    ("must decline", "ca mau", None),
    ("must decline", "Hoa Binh", None),
    ("must decline", "nha toi co 3 nguoi", None),
    ("must decline", "toi co cau hoi", None),
    ("must decline", "we have a question", None),
    ("must decline", "nha toi o Ha Giang", None),
    ("must decline", "I have a problem with my account", None),
    # Added 2026-11-30 from a helper playing users, before the reading changed: a producer
    # asking to assess a product ("Tôi muốn đánh giá sản phẩm chè", "chấm điểm sản phẩm chè")
    # got the FAQ's decline; only "tự đánh giá" with some products started one.
    ("assess verb", "Tôi muốn đánh giá sản phẩm chè", "26-che-tuoi-che-bien"),
    ("assess verb", "chấm điểm sản phẩm chè", "26-che-tuoi-che-bien"),
    ("assess verb", "danh gia san pham che", "26-che-tuoi-che-bien"),
    ("assess verb", "toi muon danh gia san pham mat ong", "26-mat-ong-mat-khac"),
    ("assess verb", "e muon cham diem mat ong", "26-mat-ong-mat-khac"),
    ("assess verb", "tự đánh giá nước mắm", "26-tuong-nuoc-mam"),
    ("assess verb", "I want to assess my honey", "26-mat-ong-mat-khac"),
    ("assess verb", "evaluate my fish sauce", "26-tuong-nuoc-mam"),
    ("must decline", "danh gia san pham ocop nhu the nao", None),
    ("must decline", "cham diem san pham ocop gom nhung gi", None),
    ("must decline", "toi muon danh gia", None),
]

ROLE_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at "Anh/chị là:", the role understood, or None to ask again)
    ("word", "du khach", "tourist"),
    ("word", "Cán bộ", "officer"),
    ("word", "htx", "producer"),
    ("sentence", "toi la chu the san xuat", "producer"),
    ("sentence", "tôi là nông dân trồng chè", "producer"),
    ("sentence", "minh la khach du lich", "tourist"),
    ("sentence", "em là cán bộ OCOP huyện", "officer"),
    ("sentence", "chung toi la hop tac xa", "producer"),
    ("sentence", "nha toi lam mat ong", "producer"),
    ("English", "I'm a tourist", "tourist"),
    ("English", "I am a producer", "producer"),
    ("English", "we are a cooperative", "producer"),
    ("English", "I'm an OCOP officer", "officer"),
    ("English", "just visiting", "tourist"),
    ("English", "I make wild honey", "producer"),
    ("English", "we grow tea", "producer"),
    ("typo", "du khachh", "tourist"),
    ("typo", "san xuaat", "producer"),
    ("must ask again", "xin chao", None),
    ("must ask again", "toi chua biet", None),
    ("must ask again", "hello", None),
    ("must ask again", "ok", None),
    ("must ask again", "toi la can bo nhung cung lam san xuat", None),
    # Written before the reader learnt them (a tester, 2026-11-30): a sentence saying what the
    # user does, without diacritics, with "e"/"HTX chúng tôi", or "làm cán bộ".
    ("what they do", "e lam banh trang o tay ninh", "producer"),
    ("what they do", "HTX chung toi san xuat tra", "producer"),
    ("what they do", "we make fish sauce", "producer"),
    ("what they do", "nha em trong ca phe", "producer"),
    ("what they do", "minh di du lich", "tourist"),
    ("what they do", "I'm a tourist visiting Hanoi", "tourist"),
    ("what they do", "toi la can bo xa", "officer"),
    ("what they do", "em lam can bo huyen", "officer"),
    ("what they do", "I work for the district OCOP office", "officer"),
    ("what they do", "we are travelling around Vietnam", "tourist"),
    ("must ask again", "toi lam gi bay gio", None),
    ("must ask again", "what is this?", None),
]

CONSENT_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the privacy notice, "agree", "decline" or None to ask again). Consent
    # must be explicit: "ok" alone, "not yet", "later" or a question is not an answer.
    ("agree", "ok i agree", "agree"),
    ("agree", "dong y", "agree"),
    ("agree", "ok em dong y", "agree"),
    ("agree", "đồng ý ạ", "agree"),
    ("agree", "Tôi đồng ý", "agree"),
    ("agree", "yes", "agree"),
    ("agree", "agree", "agree"),
    ("agree", "I agree", "agree"),
    ("agree", "yes, I agree.", "agree"),
    ("agree", "co, toi dong y", "agree"),
    ("agree", "chap nhan", "agree"),
    ("decline", "khong dong y", "decline"),
    ("decline", "Không đồng ý ạ", "decline"),
    ("decline", "no", "decline"),
    ("decline", "I don't agree", "decline"),
    ("decline", "i do not agree", "decline"),
    ("decline", "toi tu choi", "decline"),
    ("decline", "khong", "decline"),
    ("must ask again", "ok", None),
    ("must ask again", "oke", None),
    ("must ask again", "toi chua dong y", None),
    ("must ask again", "de sau", None),
    ("must ask again", "what data do you keep?", None),  # asked again in English
    ("must ask again", "dong y gi?", None),
    ("must ask again", "xin chao", None),
    ("must ask again", "hello", None),
    ("must ask again", "toi dong y nhung khong muon luu vi tri", None),
    ("must ask again", "yes or no?", None),
]

CONSENT_LANGUAGE_CASES: list[tuple[str, str, str]] = [
    # (category, typed at the privacy notice as a first message on the console, the language
    # the notice is asked again in). Written before the bot read it (2026-11-30): an English
    # first message got the question again in Vietnamese.
    ("english", "hello, I make honey and want OCOP stars", "en"),
    ("english", "what data do you keep?", "en"),
    ("english", "Hi, can you help me find OCOP products?", "en"),
    ("english", "I want to register my product for OCOP", "en"),
    ("english", "how do i get a certificate", "en"),
    ("english", "where is the nearest craft village", "en"),
    ("vietnamese", "toi muon dang ky san pham ocop", "vi"),
    ("vietnamese", "cho em hoi ve ocop voi", "vi"),
    ("vietnamese", "tôi muốn đánh giá sản phẩm", "vi"),
    ("not sure: the user's language", "hello", "vi"),
    ("not sure: the user's language", "ok thanks", "vi"),
    ("not sure: the user's language", "OCOP 5 sao", "vi"),
    ("not sure: the user's language", "homestay Ha Giang", "vi"),
]

TYPED_COMMAND_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the menu, the command it means, or None). Written before the bot
    # read commands typed in words: "xoa du lieu cua toi" got the stars FAQ answer (a helper's
    # blind probe, 2026-11-30).
    ("delete", "xoa du lieu cua toi", "delete"),
    ("delete", "Xóa dữ liệu của tôi", "delete"),
    ("delete", "toi muon xoa du lieu", "delete"),
    ("delete", "xoa tai khoan", "delete"),
    ("delete", "delete my data", "delete"),
    ("delete", "please delete my account", "delete"),
    ("mydata", "du lieu cua toi", "mydata"),
    ("mydata", "xem thông tin của tôi", "mydata"),
    ("mydata", "my data", "mydata"),
    ("assess", "toi muon danh gia san pham", "danhgia"),
    ("assess", "tự đánh giá sản phẩm", "danhgia"),
    ("assess", "danh gia san pham", "danhgia"),
    ("assess", "self assessment", "danhgia"),
    ("assess", "assess my product", "danhgia"),
    ("results", "ket qua", "ketqua"),
    ("results", "xem lại kết quả", "ketqua"),
    ("results", "my results", "ketqua"),
    ("must not", "xoa du lieu cua toi co mat phi khong", None),
    ("must not", "ket qua danh gia cua tinh nam 2025", None),
    ("must not", "danh gia san pham mat ong theo tieu chi nao", None),
    ("must not", "du lieu", None),
    ("must not", "lang gom bat trang", None),
    # Added 2026-11-30 from a helper playing users, before the commands were read: asking for
    # reminders got the dossier FAQ ("nhac e truoc han nop ho so nhe") or a decline ("đặt lịch
    # nhắc"); an officer typing their menu's "gửi thông báo" got the FAQ's decline with "ask an
    # OCOP officer"; menu labels typed without their emoji.
    ("reminders", "nhac e truoc han nop ho so nhe", "lich"),
    ("reminders", "nhắc tôi hạn nộp hồ sơ", "lich"),
    ("reminders", "đặt lịch nhắc", "lich"),
    ("reminders", "remind me of the deadlines", "lich"),
    ("reminders", "Lịch OCOP", "lich"),
    ("reminders", "xem lich nhac han", "lich"),
    ("reminders", "my reminders", "lich"),
    ("certificates", "Giấy chứng nhận của tôi", "chungnhan"),
    ("certificates", "luu giay chung nhan ocop", "chungnhan"),
    ("certificates", "my certificates", "chungnhan"),
    ("officer", "gửi thông báo", "thongbao"),
    ("officer", "gui thong bao", "thongbao"),
    ("officer", "send an announcement", "thongbao"),
    ("officer", "Đăng mốc thời gian", "hanchot"),
    ("must not", "han nop ho so ocop la khi nao", None),
    ("must not", "thong bao ket qua danh gia ocop nam 2025", None),
    ("must not", "giay chung nhan ocop co gia tri bao lau", None),
    ("must not", "lich su lang gom bat trang", None),
    ("must not", "nhac lai cau hoi", None),
    # Written before the bot read them (a helper's blind probe, 2026-11-30): after "tam dung",
    # "lam tiep" got "em chưa hiểu" and "tiep tuc danh gia" the FAQ's decline.
    ("resume", "lam tiep", "danhgia"),
    ("resume", "làm tiếp nhé", "danhgia"),
    ("resume", "tiep tuc danh gia", "danhgia"),
    ("resume", "danh gia tiep", "danhgia"),
    ("resume", "continue my assessment", "danhgia"),
    ("must not", "tiep tuc", None),
    ("must not", "lam tiep thi co mat phi khong", None),
]

PLAN_CASES: list[tuple[str, str, int | None]] = [
    # (category, typed at the menu by a producer, the star the plan is asked for: 0 for the
    # next one, None when it is no such request). Written before the bot read them, from a
    # helper playing users (2026-11-30): with a 48-point result, "muốn lên 3 sao thì cần sửa
    # gì?" and the result screen's own "kế hoạch lên 4 sao" got the FAQ's upgrading answer
    # (Điều 7.5, for certified products), not the user's plan.
    ("star named", "muốn lên 3 sao thì cần sửa gì?", 3),
    ("star named", "muon len 3 sao thi can sua gi", 3),
    ("star named", "ke hoach len 4 sao", 4),
    ("star named", "Kế hoạch lên 5 sao", 5),
    ("star named", "can sua gi de len 4 sao", 4),
    ("star named", "cần làm gì để đạt 3 sao ạ", 3),
    ("star named", "sp cua e can cai thien gi de dc 4 sao", 4),
    ("star named", "what should I fix to get 4 stars", 4),
    ("star named", "plan for 5 stars", 5),
    ("star named", "len ba sao can sua gi", 3),
    ("next star", "can sua gi", 0),
    ("next star", "cần sửa gì để lên sao", 0),
    ("next star", "san pham cua toi can cai thien gi", 0),
    ("next star", "what should I fix", 0),
    ("next star", "how can I improve my score", 0),
    ("must not", "3 sao la gi", None),
    ("must not", "dieu kien dat 3 sao", None),
    ("must not", "lam sao de san pham duoc cong nhan ocop", None),
    ("must not", "how many points for 4 stars", None),
    ("must not", "sua chua may moc", None),
    ("must not", "lang gom Bat Trang may sao", None),
    # Written before the bot read them (a helper's blind probe, 2026-11-30): with a 49-point
    # result, "con thieu bao nhieu diem", "tai sao chi dc 2 sao" got the FAQ's decline and
    # "thieu may diem nua thi len 3 sao" the FAQ's upgrading answer (Điều 7.5).
    ("gap asked", "con thieu bao nhieu diem", 0),
    ("gap asked", "thieu may diem nua thi len 3 sao", 3),
    ("gap asked", "e con thieu bn diem de dc 4 sao", 4),
    ("gap asked", "còn thiếu mấy điểm nữa ạ", 0),
    ("gap asked", "how many points am I missing", 0),
    ("gap asked", "how many more points do I need for 4 stars", 4),
    ("why asked", "tai sao chi dc 2 sao", 0),
    ("why asked", "vi sao sp cua em bi it diem", 0),
    ("why asked", "sao e chi duoc 1 sao vay", 0),
    ("why asked", "why only 2 stars", 0),
    ("why asked", "why is my score so low", 0),
    ("must not", "3 sao can bao nhieu diem", None),
    ("must not", "bao nhieu diem thi duoc 3 sao", None),
    # Written before the change (faq6, 2026-11-30): "em nên sửa gì" was "not understood"; the
    # points a star needs asked in the first person stay the plan's when there is a result (with
    # none, the star bands answer them: tests/data/free_text_routes.json, threshold_mine).
    ("next star", "em nen sua gi", 0),
    ("next star", "toi nen cai thien gi", 0),
    ("gap asked", "How many points do I need for 4 stars?", 4),
    ("must not", "em can bao nhieu diem thi duoc 4 sao", None),
    ("must not", "tai sao san pham 2 sao khong duoc cap giay chung nhan", None),
    ("must not", "thieu giay to thi sao", None),
    ("must not", "sao phai danh gia lai", None),
    ("must not", "why do only 3 star products get a certificate", None),
]
PART_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the menu by a producer, the part of their own latest result asked
    # for, or None). Written before the bot read them (probe7, 2026-11-30): "phan C em duoc
    # bao nhieu" got the parts' rules (Điều 3.1), "diem phan B cua toi" the spices' offer.
    ("part asked", "phan C em duoc bao nhieu", "C"),
    ("part asked", "diem phan B cua toi", "B"),
    ("part asked", "phan a cua e dc bn diem", "A"),
    ("part asked", "em dc bao nhieu diem phan C", "C"),
    ("part asked", "Phần B của em được mấy điểm ạ", "B"),
    ("part asked", "diem phan c cua minh la bao nhieu", "C"),
    ("part asked", "what is my score in part C", "C"),
    ("part asked", "how many points did I get in part B", "B"),
    ("part asked", "my part A score", "A"),
    # Found in the console after the change: part "a" at the end read as the closing "ạ".
    ("part asked", "how many points did I get in part A", "A"),
    ("part asked", "em dc bao nhieu diem phan a", "A"),
    ("must not", "phan C bao nhieu diem", None),
    ("must not", "diem phan B la gi", None),
    ("must not", "phan C gom nhung gi", None),
    ("must not", "what is part C", None),
    ("must not", "how many points is part B worth", None),
    ("must not", "diem cua e bao nhieu", None),
]
CRITERION_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the menu by a producer, the criterion's code asked about on their
    # sheet, or None). Written before the bot read them (probe7, 2026-11-30): after a result
    # whose plan names "2.2 Đóng gói, bao bì sản phẩm", "cau 2.2 nghia la gi" and "e k hieu
    # cau 5.1" got "em chưa hiểu", "tieu chi A1 la gi" the parts' rules (Điều 3.1).
    ("code asked", "cau 2.2 nghia la gi", "2.2"),
    ("code asked", "e k hieu cau 5.1", "5.1"),
    ("code asked", "tieu chi A1 la gi", "A1"),
    ("code asked", "tiêu chí 6.3 là gì ạ", "6.3"),
    ("code asked", "2.2 la gi", "2.2"),
    ("code asked", "minh chung cho tieu chi 4.1 la gi", "4.1"),
    ("code asked", "what does criterion 2.2 mean", "2.2"),
    ("code asked", "what is question 5.1", "5.1"),
    ("must not", "3 sao la gi", None),
    ("must not", "mau 02 la gi", None),
    ("must not", "dieu 7.6 la gi", None),
    ("must not", "phan A la gi", None),
    ("must not", "tieu chi co dau sao la gi", None),
]
RESULT_CASES: list[tuple[str, str, bool]] = [
    # (category, typed at the menu by a producer, whether it asks for their own latest
    # result). Written before the bot read them (2026-11-30): with a result just made, "diem
    # cua e bao nhieu" and "sp cua e dc may sao" were told to self-assess to find out.
    ("score asked", "diem cua e bao nhieu", True),
    ("score asked", "sp cua e dc may sao", True),
    ("score asked", "san pham cua toi duoc bao nhieu diem", True),
    ("score asked", "ket qua cua em the nao", True),
    ("score asked", "e dc bao nhieu diem vay", True),
    ("score asked", "what is my score", True),
    ("score asked", "how many stars did I get", True),
    # Found in the console (probe7, 2026-11-30), with a result just made: these got the lead
    # into a new self-assessment (and "điểm của tôi" the root vegetables' set).
    ("score asked", "sp cua em dc may sao roi", True),
    ("score asked", "diem cua toi", True),
    ("score asked", "my score", True),
    ("score asked", "my result", True),
    ("score asked", "san pham cua e dc may * roi", True),  # "*": a star
    ("must not", "bao nhieu diem thi duoc 3 sao", False),
    ("must not", "mat ong duoc bao nhieu diem", False),
    ("must not", "diem phan B la gi", False),
    ("must not", "lang gom Bat Trang may sao", False),
    ("must not", "how many stars can a homestay get", False),
]
CERTIFICATE_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the menu by a producer, what it asks about their own recorded
    # certificate: its expiry, a reminder's lead, or None). Written before the bot read them
    # (a helper's blind probe, 2026-11-30): just after recording one, "bao gio het han" and
    # "giay chung nhan cua e con han ko" got the FAQ's decline, "nhac toi truoc 3 thang" "em
    # chưa hiểu".
    ("expiry asked", "bao gio het han", "expiry"),
    ("expiry asked", "khi nào hết hạn ạ", "expiry"),
    ("expiry asked", "giay chung nhan cua e bao gio het han", "expiry"),
    ("expiry asked", "gcn cua toi khi nao het han vay", "expiry"),
    ("expiry asked", "giay chung nhan cua e con han ko", "expiry"),
    ("expiry asked", "chung nhan cua minh con hieu luc khong", "expiry"),
    ("expiry asked", "when does my certificate expire", "expiry"),
    ("expiry asked", "is my certificate still valid", "expiry"),
    ("reminder asked", "nhac toi truoc 3 thang", "lead"),
    ("reminder asked", "nhắc em trước 30 ngày nhé", "lead"),
    ("reminder asked", "remind me 3 months before", "lead"),
    ("must not", "giay chung nhan ocop co gia tri bao lau", None),
    ("must not", "bao gio het han nop ho so", None),
    ("must not", "giay chung nhan an toan thuc pham bao gio het han", None),
    ("must not", "han nop ho so ocop la khi nao", None),
    ("must not", "how long is an OCOP certificate valid", None),
]

OFFICER_WISH_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at the menu, the officer's command it asks for, or None). Written before
    # the bot read them, from testers playing officers (2026-11-30): "e muon gui thong bao cho
    # cac chu the o thai nguyen" got a decline (or places in Thái Nguyên), "gui thong bao toi
    # cac htx" the FAQ's decline, "dang han chot nop ho so 15/12" the calendar FAQ.
    ("announce", "e muon gui thong bao cho cac chu the o thai nguyen", "thongbao"),
    ("announce", "gui thong bao toi cac htx", "thongbao"),
    ("announce", "Gửi thông báo cho các hợp tác xã ở Thái Nguyên", "thongbao"),
    ("announce", "toi can gui thong bao den tat ca chu the ocop", "thongbao"),
    ("announce", "soạn thông báo gửi các chủ thể", "thongbao"),
    ("announce", "tao thong bao moi", "thongbao"),
    ("announce", "nhan tin cho cac chu the o nghe an", "thongbao"),
    ("announce", "send an announcement to producers in Thai Nguyen", "thongbao"),
    ("announce", "I want to send a message to all producers", "thongbao"),
    ("deadline", "dang han chot nop ho so 15/12", "hanchot"),
    ("deadline", "tao moc han cho xa", "hanchot"),
    ("deadline", "Đăng hạn chót nộp hồ sơ", "hanchot"),
    ("deadline", "tạo hạn chót mới cho các chủ thể", "hanchot"),
    ("deadline", "dat han nop ho so ngay 30/4 cho cac xa", "hanchot"),
    ("deadline", "post a deadline for dossiers on 15 December", "hanchot"),
    ("deadline", "create a new deadline", "hanchot"),
    # Withdrawing or moving a published deadline, typed at the menu (officer7 playing an
    # officer, 2026-11-30: "huy han chot nop ho so" and "doi han chot sang 20/12" got the
    # calendar FAQ); /huyhan lists the open deadlines with both buttons.
    ("change deadline", "huy han chot nop ho so", "huyhan"),
    ("change deadline", "toi muon huy moc han nop ho so dot 2", "huyhan"),
    ("change deadline", "xoa han chot vua dang", "huyhan"),
    ("change deadline", "doi han chot sang 20/12", "huyhan"),
    ("change deadline", "Đổi hạn nộp hồ sơ sang ngày 20/12", "huyhan"),
    ("change deadline", "gia han nop ho so den 20/12", "huyhan"),
    ("change deadline", "lui han chot nop ho so them 1 tuan", "huyhan"),
    ("change deadline", "sua ngay han chot", "huyhan"),
    ("change deadline", "rut lai moc han da dang", "huyhan"),
    ("change deadline", "cancel the deadline", "huyhan"),
    ("change deadline", "I need to move the deadline to 20 December", "huyhan"),
    ("change deadline", "postpone the deadline", "huyhan"),
    ("must not", "co duoc gia han nop ho so khong", None),
    ("must not", "han chot co bi huy khong", None),
    ("must not", "huy dang ky ocop", None),
    ("must not", "gia han giay chung nhan ocop", None),
    ("must not", "doi han giay chung nhan the nao", None),
    ("must not", "huy nhac han", None),
    ("must not", "can the deadline be extended", None),
    ("must not", "han chot nop ho so la khi nao", None),
    ("must not", "han chot nop ho so nam nay", None),
    ("must not", "thong bao ket qua ocop thai nguyen", None),
    ("must not", "khi nao co thong bao ket qua", None),
    ("must not", "gui ho so cho xa o dau", None),
    ("must not", "toi da nhan duoc thong bao chua", None),
    ("must not", "gui thong bao cho toi khi co han moi", None),
    ("must not", "lang nghe o thai nguyen", None),
    ("must not", "htx cua toi muon dang ky ocop", None),
    ("must not", "what is the deadline for dossiers", None),
    # Written before the change (probe7, 2026-11-30): "đang" typed with its diacritics is "is
    # doing", never "đăng" (post): "Đang hạn chót nộp hồ sơ rồi" got an officer's feature.
    ("must not", "Đang hạn chót nộp hồ sơ rồi", None),
    ("must not", "đang thông báo", None),
    ("must not", "Chúng tôi đang gửi thông báo cho các HTX", None),
    ("deadline", "đăng hạn chót nộp hồ sơ 15/12", "hanchot"),
    # Written before the change (officer8 playing an English-speaking officer, 2026-11-30):
    # "send an announcement to all cooperatives in Quang Binh" got the FAQ's decline.
    ("announce", "send an announcement to all cooperatives in Quang Binh", "thongbao"),
    ("announce", "send a message to the co-ops in Hue", "thongbao"),
    ("announce", "send a notice to all businesses in Lam Dong", "thongbao"),
    ("announce", "send an announcement to farmers", "thongbao"),
    ("announce", "announce to all producers in Quang Tri", "thongbao"),
    ("deadline", "post the dossier deadline on Dec 15", "hanchot"),
    ("deadline", "publish the evaluation deadline", "hanchot"),
    ("must not", "announce the results", None),
    ("must not", "send the dossier to the commune", None),
    ("must not", "how do I set a deadline reminder", None),
]
SO_FAR_CASES: list[tuple[str, str, str | None]] = [
    # (category, typed at a criterion during the self-assessment, the part of the answers so
    # far asked for, "all" for every part and the total, or None). Written before the bot read
    # them (branch prodfix, 2026-11-30, from a user test): "phan A toi duoc bao nhieu diem"
    # and "my score so far" got the FAQ's answer about the parts (Điều 3.1), then the question.
    ("part so far", "phan A toi duoc bao nhieu diem", "A"),
    ("part so far", "phan a em dc may diem roi", "A"),
    ("part so far", "diem phan A cua toi", "A"),
    ("part so far", "phần A của em được bao nhiêu điểm rồi ạ", "A"),
    ("part so far", "what's my score in part A so far", "A"),
    ("part so far", "how many points did I get in part A", "A"),
    ("total so far", "my score so far", "all"),
    ("total so far", "what is my score so far", "all"),
    ("total so far", "my current score", "all"),
    ("total so far", "how many points do I have so far", "all"),
    ("total so far", "how many points have I got", "all"),
    ("total so far", "diem cua em bao nhieu", "all"),
    ("total so far", "den gio em duoc bao nhieu diem", "all"),
    ("total so far", "em dang duoc bao nhieu diem", "all"),
    ("total so far", "diem hien tai cua toi", "all"),
    ("total so far", "tong diem tam tinh cua em la bao nhieu", "all"),
    ("must not", "phan A bao nhieu diem", None),  # what the part is worth: the FAQ's
    ("must not", "how many points is part B worth", None),
    ("must not", "bao nhieu diem thi duoc 3 sao", None),
    ("must not", "what is part C", None),
]
