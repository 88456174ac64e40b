"""The curated Vietnamese spa lexicon: chat slang, filler words and concept groups.

Written with diacritics so a spa person can review and extend it; `analysis.py` folds every
entry once at import. A concept is a set of phrasings that mean the same thing to a customer
("bn", "giá sao", "chi phí" all ask for a price), so a question and a trained pair that share a
concept match even when they share no words. Keep phrases unambiguous *after folding*: "đau"
(pain), "đâu" (where) and "đầu" (head) all fold to "dau", so they only appear inside longer
phrases.
"""

from __future__ import annotations

from spacrm.core.textnorm import fold

# Chat abbreviations -> what they stand for (folded). Applied token by token, looked up first as
# typed (so "mún" = muốn is not read as "mun" = mụn), then folded.
SLANG: dict[str, str] = {
    "bn": "bao nhieu",
    "bnh": "bao nhieu",
    "bnhieu": "bao nhieu",
    "bnhiu": "bao nhieu",
    "nhiu": "nhieu",
    "bhieu": "bao nhieu",
    "ko": "khong",
    "k": "khong",
    "hok": "khong",
    "hong": "khong",
    "hem": "khong",
    "kg": "khong",
    "khg": "khong",
    "hk": "khong",
    "kp": "khong phai",
    "dc": "duoc",
    "dk": "duoc",
    "đc": "duoc",
    "dduoc": "duoc",
    "ck": "chuyen khoan",
    "sdt": "so dien thoai",
    "đt": "dien thoai",
    "dt": "dien thoai",
    "j": "gi",
    "z": "vay",
    "v": "vay",
    "zay": "vay",
    "dzay": "vay",
    "vayy": "vay",
    "ntn": "nhu the nao",
    "lm": "lam",
    "ms": "moi",
    "bh": "bao gio",
    "bg": "bao gio",
    "cn": "chu nhat",
    "t2": "thu 2",
    "t3": "thu 3",
    "t4": "thu 4",
    "t5": "thu 5",
    "t6": "thu 6",
    "t7": "thu 7",
    "dv": "dich vu",
    "sp": "san pham",
    "nv": "nhan vien",
    "ktv": "ky thuat vien",
    "tv": "tu van",
    "ad": "admin",
    "mn": "moi nguoi",
    "vs": "voi",
    "trc": "truoc",
    "r": "roi",
    "ng": "nguoi",
    "hnay": "hom nay",
    "hum": "hom",
    "bít": "biet",
    "bit": "biet",
    "wa": "qua",
    "thui": "thoi",
    "km": "khuyen mai",
    "kmai": "khuyen mai",
    "cty": "cong ty",
    "oto": "o to",
    "matxa": "massage",
    "masage": "massage",
    "mátxa": "massage",
    "lun": "luon",
    "nhìu": "nhieu",
    "tr": "trieu",
    "h": "gio",
    "p": "phut",
    "ib": "inbox",
    "inb": "inbox",
    "fb": "facebook",
    "đth": "dien thoai",
    "mún": "muon",
    # Issue 7: staff titles and business words customers abbreviate.
    "bs": "bac si",
    "bsi": "bac si",
    "tmv": "tham my vien",
    "pk": "phong kham",
    "tks": "cam on",
    "pass": "mat khau",
    "pw": "mat khau",
    "nc": "nuoc",
    "kq": "ket qua",
    "nhju": "nhieu",
}

# Two-word spellings of one word, rewritten before anything else: "mát xa" / "mat xa" is
# "massage", and its "mat" must not match "mặt" (face).
PHRASE_SLANG: dict[str, str] = {
    "mát xa": "massage",
    "mat xa": "massage",
    "mát xoa": "massage",
    "xoa bóp": "massage",
}

# Everyday chat words that say nothing about which business is asked (folded syllables). A
# question word that is neither in the spa's own Q&A text, nor here, nor a concept the spa's Q&A
# has, names something the spa never wrote about ("ngân hàng", "iphone", "sửa xe"): the question
# is handed off rather than matched on its remaining shared words ("mấy giờ mở cửa").
GENERIC_WORDS = frozenset(
    """a ai anh ba bac ban bao bay be bi biet bo bon bua ca cac cai cam can cang canh cao chang chao
    chau chi chieu chin chinh cho chon chua chuan chuc chung chut co con cu cua cung cuoi dang
    dau day de dem den deu di dich diem dien dieu dinh do doi don dong du dua dung duoc gan gap
    ghe gi gia gio giong gium giup goi gui ha hai hay he het hieu hom hon hoi hop huong khac khach
    khi kho khoang khong kia kip la lai lam lan len lien loai luc luon ma mai may me moi mot muoi
    muon mua nam nao nay ne nen nghe nghi nghin nguoi nha nhanh nhat nhe nhieu nhin nho nhu nhung
    noi nua o oi ok on ong phai phan phut qua quen ra rat roi vo chong cay tinh tac cong trai gai hi hello alo buoc lo mau rieng sang sao sau se som ta
    tai tam tan tang tat the them theo thi thich thiet thoi thu thuong thay tien tiep tim to toi
    tot tra trong truoc tu tuan tuoi tuy tui va van vao ve viec vien vo voi vua xa xem xin xong
    yeu
    lay xai dan mang bat ngoi dem keu nhac""".split()  # everyday verbs (lấy, xài, dẫn, mang...)
)

# Concepts too common in any chat to say the question is about another business ("hết",
# "buổi"): a spa Q&A without them still answers questions using them.
SOFT_CONCEPTS = frozenset(
    {"session", "cure", "_filler", "pregnant", "kids", "men", "pain", "warranty", "aftercare",
     "holiday", "contact"}
)  # fmt: skip

# Everyday words typed with diacritics whose folded spelling is also one of the spa's words
# ("sợ" afraid / "số" number, "mất" takes / "mắt" eye): typed so, they are the everyday word, not
# a word the spa never wrote (retrieval.foreign_words' diacritic check).
ACCENTED_GENERIC = frozenset("sợ ngại mất chán kẹt đọc".split())

# More everyday words (folded): time (trưa, khuya, trễ, sắp, lâu, rưỡi), place (giữa, dưới, trên,
# ngoài, ngang, góc), manner (rộng, hẹp, chật, dài, thấp, kỹ, sạch, đẹp, xấu, thật, chính xác, rõ,
# sai, lớn), everyday verbs (bớt, lợi, lạc, đọc, viết, kể) and a few nouns of any chat (vài,
# kiểu, kỷ niệm, nghề nghiệp, môn). None names another business; syllables that fold like one
# ("ngân"/"ngắn", "phố"/"phở", "nợ"/"no", "thuê xe") are left out on purpose.
GENERIC_WORDS = GENERIC_WORDS | frozenset(
    """trua khuya tre sap lau cham ruoi giua duoi tren ngoai ngang goc rong hep chat dai thap ky
    sach dep xau that xac ro sai lon bot loi lac doc viet ke vai kieu niem nghiep mon""".split()
)

# Courtesy particles and pronouns, removed before folding so "dạ" (yes) never collides with
# "da" (skin).
ACCENTED_STOPWORDS = frozenset("dạ vâng ạ ạh à ơi nhé nhá nha nhen ha hả hở nhỉ nè ấy đó".split())

# Filler after folding: pronouns, particles, yes/no markers ("có ... không", "được không").
FOLDED_STOPWORDS = frozenset(
    """a ah ak oi nhe nha nhen ne ha ho nhi vay thi la ma cho hoi xin voi cua em e chi c anh
    minh mk mik toi t ban b shop spa tiem salon ben ad admin mn ok oki okie uh um vang co khong
    duoc phai vui long giup gium dum muon can biet roi di nao ay do day kia nay nhung cac
    nhieu it mot oii u ui dang tu se nua luon gi bang nhan den toi""".split()
)

# Concepts that say *what kind* of answer is wanted; a pair asking another kind is penalised.
QUESTION_CONCEPTS = frozenset({"price", "duration", "hours", "where", "how", "fee", "definition"})

# Who the customer is: an answer for everyone does not answer "can a pregnant woman ...", and an
# answer about children does not answer a general question.
CONSTRAINT_CONCEPTS = frozenset({"pregnant", "kids", "men"})

# Units after a number ("bầu 5 tháng", "bé 6 tuổi", "gói 10 buổi") are detail, weighed like the
# number itself: a trained pair rarely repeats them and they must not read as an unknown topic.
UNITS = frozenset(
    """thang tuoi tuan ngay nam buoi lan phut tieng gio nguoi cm kg ky lit lieu goi trieu nghin
    ngan k d dong""".split()
)

# Families of different services ("cắt tóc" and "nhuộm" are both hair, not synonyms): they link
# a question to its family weakly and leave the service's own words in charge.
FAMILY_CONCEPTS = frozenset({"nail", "hair", "lashes", "skin_care", "acne", "massage"})

# Concepts naming a service (or a family of them): a question about one and a pair about another
# are different questions, whatever else they share ("kiêng gì", "giá").
SERVICE_CONCEPTS = FAMILY_CONCEPTS | frozenset(
    {"hair_removal", "hair_wash", "melasma", "scar", "dental", "fitness"}
)

# Family phrases that name the family itself rather than one service in it: "làm móng" is any
# nail service, "sơn gel" is one. The others are services; a question about one service and a
# pair about another (of the same family, else nothing links them) is a different question.
FAMILY_GENERIC = frozenset(
    """tóc|làm tóc|nail|móng|làm móng|móng tay|móng chân|mi|lông mi|massage|mát xa|massa|xoa bóp
    |body|toàn thân|mụn|trị mụn|chăm sóc da|da mặt|facial|skincare|làm mặt|dưỡng da""".split("|")
)
# Two names of the same service.
SERVICE_ALIASES = {"gel": "sơn gel", "nặn mụn": "lấy nhân mụn"}

# Phrases that name the business or open a question; matched like a concept, then dropped.
FILLER = "_filler"

CONCEPTS: dict[str, tuple[str, ...]] = {
    FILLER: (
        "phòng khám",
        "thẩm mỹ viện",
        "cửa hàng",
        "bên mình",
        "bên em",
        "cho hỏi",
        "cho em hỏi",
        "cho mình hỏi",
        "cho chị hỏi",
        "cho anh hỏi",
        "xin hỏi",
        "cho tôi hỏi",
        "clinic",
        "beauty",
        "dạo này",
        "hiện tại",
        "bây giờ",
        "hiện giờ",
        "hiện",
        "này",
    ),
    # --- what kind of answer ---
    "price": (
        "giá",
        "bao nhiêu",
        "bao nhiêu tiền",
        "nhiêu tiền",
        "nhiêu",
        "giá sao",
        "giá bao nhiêu",
        "chi phí",
        "phí",
        "bảng giá",
        "giá cả",
        "bao tiền",
        "mấy tiền",
        "tốn bao nhiêu",
        "hết bao nhiêu",
        "tính tiền",
        "tính sao",
        "tính thêm",
        "mắc không",
        "đắt không",
        "mắc",
        "đắt",
        "rẻ",
    ),
    "fee": (
        "miễn phí",
        "free",
        "mất phí",
        "tốn phí",
        "tốn tiền",
        "tính phí",
        "mất tiền",
        "có phí",
        "thu phí",
    ),
    "duration": (
        "bao lâu",
        "mất bao lâu",
        "mấy phút",
        "bao nhiêu phút",
        "mấy tiếng",
        "bao nhiêu tiếng",
        "lâu không",
        "lâu khong",
        "thời gian",
        "kéo dài",
        "mấy buổi",
        "bao nhiêu buổi",
        "mấy lần",
        "bao nhiêu lần",
        "mất mấy",
    ),
    "hours": (
        "mở cửa",
        "đóng cửa",
        "mấy giờ",
        "giờ làm việc",
        "làm việc",
        "giờ mở cửa",
        "giờ nào",
        "chủ nhật",
        "cuối tuần",
        "thứ bảy",
        "có mở",
        "ngày lễ",
        "lễ tết",
        "tết",
        "mở không",
        "còn mở",
        "giờ giấc",
        "khung giờ",
        "làm tới mấy giờ",
        "mở tới",
        # "11h tối còn nhận khách ko", "khuya rồi còn làm ko": still open at that hour.
        "còn làm không",
        "còn nhận khách",
        "nhận khách tới",
        "khuya",
    ),
    # Never a spa's business: said so the question is handed off, not matched on "tiền".
    "loan": (
        "cho vay",
        "vay tiền",
        "vay vốn",
        "khoản vay",
        "vay nóng",
        "vay tín chấp",
        "cho em vay",
        "cho tôi vay",
        "cho mình vay",
        "cho chị vay",
        "cho anh vay",
        "mượn tiền",
    ),
    "holiday": ("ngày lễ", "lễ tết", "tết", "nghỉ lễ", "lễ", "mùng", "mồng", "giao thừa"),
    "where": (
        "địa chỉ",
        "ở đâu",
        "đường nào",
        "chỗ nào",
        "nằm ở đâu",
        "nằm đâu",
        "tại đâu",
        "khu nào",
        "quận nào",
        "phường nào",
        "quận mấy",
        "chi nhánh",
        "cơ sở",
        "mấy cơ sở",
        "bao nhiêu cơ sở",
        "bao nhiêu chi nhánh",
        "mấy chi nhánh",
        "vị trí",
        "bản đồ",
        "google map",
        "map",
        "định vị",
        "đường đi",
    ),
    "how": (
        "làm sao",
        "thế nào",
        "như thế nào",
        "ra sao",
        "cách nào",
        "làm thế nào",
        "thì sao",
        "thủ tục",
        "các bước",
    ),
    "definition": ("là gì", "tác dụng gì", "có tác dụng gì", "công dụng", "giúp gì", "là sao"),
    # --- what it is about ---
    "booking": (
        "đặt lịch",
        "đặt hẹn",
        "book",
        "booking",
        "hẹn",
        "hẹn lịch",
        "đặt chỗ",
        "giữ chỗ",
        "lấy hẹn",
        "lịch hẹn",
        "đăng ký lịch",
        "xếp lịch",
        "đặt trước",
        "hẹn trước",
        "tới luôn",
        "đến luôn",
        "vãng lai",
        "đến trực tiếp",
        "walk in",
    ),
    "reschedule": (
        "hủy lịch",
        "huỷ lịch",
        "đổi lịch",
        "dời lịch",
        "hủy hẹn",
        "huỷ hẹn",
        "đổi hẹn",
        "dời hẹn",
        "đổi giờ",
        "dời giờ",
        "hoãn",
        "không đến được",
        "không tới được",
        "hủy",
        "huỷ",
        "dời",
        "đổi ngày",
    ),
    "parking": (
        "gửi xe",
        "đỗ xe",
        "đậu xe",
        "để xe",
        "ô tô",
        "xe hơi",
        "xe máy",
        "bãi xe",
        "giữ xe",
        "trông xe",
        "xe đạp",
        "để đâu",
        "chỗ để",
    ),
    "payment": (
        "thanh toán",
        "quẹt thẻ",
        "cà thẻ",
        "thẻ tín dụng",
        "thẻ atm",
        "chuyển khoản",
        "tiền mặt",
        "momo",
        "vietqr",
        "qr",
        "zalopay",
        "vnpay",
        "visa",
        "mastercard",
        "trả bằng",
        "trả tiền",
        "chuyển tiền",
        "quét mã",
    ),
    "installment": ("trả góp", "góp", "trả dần", "góp hàng tháng"),
    "promo": (
        "khuyến mãi",
        "khuyến mại",
        "ưu đãi",
        "giảm giá",
        "sale",
        "chương trình",
        "mã giảm",
        "giảm",
        "deal",
    ),
    "refund": (
        "hoàn tiền",
        "trả lại tiền",
        "refund",
        "hoàn lại",
        "lấy lại tiền",
        "hoàn phí",
        "không dùng nữa",
        "hoàn",
        "đòi lại tiền",
        # What happens to a bought package: exchanged or passed on rather than refunded.
        "đổi dịch vụ",
        "đổi sang dịch vụ",
        "đổi qua dịch vụ",
        "đổi dịch vụ khác",
        "đổi sang dịch vụ khác",
        "đổi gói",
        "đổi sang gói",
        "chuyển gói",
        "chuyển nhượng",
        "nhượng lại",
        "sang nhượng",
        "chuyển cho người khác",
        "cho người thân dùng",
    ),
    "pregnant": (
        "bầu",
        "mang thai",
        "có thai",
        "mẹ bầu",
        "bà bầu",
        "đang bầu",
        "có bầu",
        "mang bầu",
        "bầu bí",
        "đang mang thai",
        "đang có em bé",
        "có em bé",
        "đang có baby",
        "cho con bú",
        "sau sinh",
        "mẹ bỉm",
        "mới sinh",
    ),
    "kids": (
        "trẻ em",
        "trẻ con",
        "con nít",
        "bé",
        "em bé",
        "tuổi",
        "học sinh",
        # An age, not a price ("bao nhiêu" alone is k:price).
        "bao nhiêu tuổi",
        "mấy tuổi",
    ),
    "men": (
        "nam giới",
        "đàn ông",
        "con trai",
        "phái mạnh",
        "nam nữ",
        "cho nam",
        "khách nam",
        "nam có",
    ),
    "massage": (
        "massage",
        "mát xa",
        "toàn thân",
        "body",
        "bấm huyệt",
        "đá nóng",
        "xoa bóp",
        "massa",
    ),
    "hair_removal": ("triệt lông", "wax", "waxing", "tẩy lông", "triệt", "lông nách"),
    "hair_wash": ("gội đầu", "gội dưỡng sinh", "dưỡng sinh", "gội", "gội sấy"),
    "acne": ("mụn", "trị mụn", "nặn mụn", "lấy nhân mụn", "mụn đầu đen", "mụn ẩn"),
    "session": ("buổi", "lần", "liệu trình"),
    "cure": (
        "khỏi",
        "hết",
        "dứt điểm",
        "đỡ hơn",
        "thấy hiệu quả",
        "hiệu quả",
        "lành",
        "có kết quả",
        "kết quả",
    ),
    "skin_care": ("chăm sóc da", "facial", "da mặt", "làm mặt", "skincare", "dưỡng da"),
    "melasma": ("tàn nhang", "sạm da", "đốm nâu", "trị nám", "laser nám"),
    "scar": ("sẹo", "sẹo rỗ", "bị rỗ", "da rỗ", "lỗ chân lông", "sẹo lõm"),
    "password": ("mật khẩu", "pass wifi", "mật khẩu wifi", "wifi", "mạng", "password"),
    "pain": (
        "có đau không",
        "đau không",
        "đau lắm không",
        "bị đau",
        "đau nhiều không",
        "đau ko",
        "rát",
        "châm chích",
        "ê buốt",
        "ủ tê",
        "gây tê",
        "thuốc tê",
        "có đau",
        "đau lắm",
    ),
    "aftercare": (
        "kiêng",
        "kiêng gì",
        "kiêng cữ",
        "sau khi làm",
        "lưu ý",
        "chăm sóc sau",
        "đi nắng",
        "tránh nắng",
        "làm xong",
        "ăn gì",
        "ăn uống",
    ),
    "safety": (
        "an toàn",
        "tác dụng phụ",
        "kích ứng",
        "biến chứng",
        "có hại",
        "hại da",
        "ảnh hưởng",
        "hư tổn",
        "hư tóc",
        "hại tóc",
        "độc hại",
        "tóc yếu",
        "xơ tóc",
        "khô xơ",
    ),
    "hygiene": (
        "tiệt trùng",
        "khử trùng",
        "khử khuẩn",
        "vô trùng",
        "vệ sinh",
        "sạch",
        "sạch sẽ",
        "dùng 1 lần",
        "dùng chung",
    ),
    "warranty": ("bảo hành", "làm lại", "sửa lại", "bị bong", "bong", "tróc", "bong tróc"),
    "durability": (
        "giữ được bao lâu",
        "giữ bao lâu",
        "bền không",
        "bền",
        "được bao lâu",
        "mấy tuần",
        "bao nhiêu tuần",
        "mấy tháng",
        "lâu phai",
        "giữ màu",
        "mấy năm",
        "bao nhiêu năm",
    ),
    "recurrence": ("tái phát", "bị lại", "quay lại", "trở lại", "mọc lại", "có lại không"),
    "invoice": ("hóa đơn", "hoá đơn", "vat", "hóa đơn đỏ", "xuất hóa đơn", "hóa đơn điện tử"),
    "membership": (
        "thẻ thành viên",
        "thành viên",
        "tích điểm",
        "khách quen",
        "vip",
        "thẻ vip",
        "hội viên",
    ),
    # A voucher bought as a present is not a discount, and a combo is a product of its own: kept
    # apart from "promo" so "có khuyến mãi gì" does not pick the combo or the gift card pair.
    "gift": (
        "thẻ quà tặng",
        "voucher quà tặng",
        "gift card",
        "mua tặng",
        "quà sinh nhật",
        "voucher",
        "quà tặng",
        "làm quà",
        "tặng quà",
    ),
    "combo": ("combo", "trọn gói", "gói combo"),
    "deposit": ("cọc", "đặt cọc", "tiền cọc", "cọc trước", "mất cọc"),
    # Selling products over the counter: a spa that never wrote about it hands the question off.
    "retail": ("có bán", "bán không", "bán ko", "bán lẻ", "mua về", "mua lẻ", "mua mang về"),
    "contact": (
        "số điện thoại",
        "hotline",
        "zalo",
        "liên hệ",
        "fanpage",
        "facebook",
        "gọi điện",
        "inbox",
        "nhắn tin",
    ),
    "nail": (
        "nail",
        "móng",
        "làm móng",
        "sơn móng",
        "móng tay",
        "móng chân",
        "sơn gel",
        "gel",
        "đắp bột",
        "đắp gel",
        "úp móng",
        "vẽ móng",
    ),
    "hair": ("tóc", "cắt tóc", "uốn", "nhuộm", "duỗi", "ép tóc", "phục hồi tóc", "hấp tóc"),
    "lashes": ("nối mi", "mi", "lông mi", "uốn mi"),
    "consult": ("tư vấn", "soi da", "khám da", "kiểm tra da"),
    "staff": (
        "bác sĩ",
        "chuyên viên",
        "kỹ thuật viên",
        "thợ",
        "người làm",
        "tay nghề",
        "ai làm",
        "ai điều trị",
        "người điều trị",
        "chứng chỉ",
        "bằng cấp",
    ),
    # "đánh giá" is a review, not a price ("giá").
    "review": ("đánh giá", "review", "feedback", "nhận xét"),
    "products": ("mỹ phẩm", "sản phẩm", "chính hãng", "hàng thật", "xuất xứ"),
}


# The concepts' one-word phrases, folded ("goi" for "gội"): a word that alone says a concept.
ONE_WORD_PHRASES: dict[str, frozenset[str]] = {
    concept: frozenset(fold(p) for p in phrases if " " not in p.strip())
    for concept, phrases in CONCEPTS.items()
}


# --- Issue 7, kblex: how customers of any business actually write ---------------------------

# The phrases so far are also `accents`' base of diacritics every spa shares; the ones added below
# are kept out of it (`ACCENT_BASE_EXCLUDED`), so words of other trades ("tạm dừng", "tiêm
# phòng") do not tip the odds of a spa's own syllables ("tam" is "tắm" at a spa, not "tạm").
_BASE_PHRASES = frozenset(p for phrases in CONCEPTS.values() for p in phrases) | frozenset(
    PHRASE_SLANG.values()
)

# More chat abbreviations and spelling variants. Keys typed WITH diacritics ("rước", "bớt") only
# expand when typed so: their folded forms ("ruoc", "bot" = bột) are other words. Values are
# folded like the ones above, so they do not tip `accents`' odds of a syllable's diacritics.
_MORE_SLANG = {
    "hông": "không", "hôk": "không", "hok": "không", "khum": "không", "hem": "không",
    "hổng": "không", "zị": "vậy", "dị": "vậy", "zạ": "vậy",
    "bnhieu": "bao nhiêu", "baonhieu": "bao nhiêu", "bnhiêu": "bao nhiêu",
    "stk": "số tài khoản", "ktx": "ký túc xá", "pmu": "phun xăm", "hsd": "hạn sử dụng",
    "nsx": "ngày sản xuất", "zl": "zalo", "lh": "liên hệ", "ctv": "cộng tác viên",
    "rep": "trả lời", "hn": "hà nội", "tphcm": "tp hcm", "sđt": "số điện thoại",
    "rước": "đón", "bớt": "giảm", "chích": "tiêm", "mướn": "thuê",
    # One syllable, two spellings ("đăng kí" / "đăng ký", "thẩm mĩ" / "thẩm mỹ"): folded apart.
    "kcn": "kem chống nắng", "srm": "sữa rửa mặt", "bhyt": "bảo hiểm y tế", "gộp": "combo",
    "kí": "ký", "ki": "ky", "lí": "lý", "mĩ": "mỹ", "kĩ": "kỹ", "sỹ": "sĩ", "quí": "quý",
}  # fmt: skip
_MORE_SLANG.update({f"q{n}": f"quận {n}" for n in range(1, 13)})
_MORE_SLANG.update({f"p{n}": f"phường {n}" for n in range(1, 16)})
SLANG.update({key: fold(value) for key, value in _MORE_SLANG.items()})

# "châm chích" (a sting: pain) keeps its "chích", which alone is an injection ("chích ngừa").
PHRASE_SLANG.update({
    "châm chích": "châm_chích", "cham chich": "châm_chích", "chích ngừa": "tiêm phòng",
    "chich ngua": "tiêm phòng",
})  # fmt: skip

CONCEPTS["pain"] = (*CONCEPTS["pain"], "châm_chích", "sợ đau", "đau nhức", "ê ẩm", "nhức")
CONCEPTS["price"] = (
    *CONCEPTS["price"],
    "giá tiền", "hết nhiêu", "tầm bao nhiêu", "giá như nào", "báo giá",
    "chi phí bao nhiêu",
)  # fmt: skip
CONCEPTS["booking"] = (
    *CONCEPTS["booking"],
    "còn slot", "slot", "lấy lịch", "book lịch", "đặt slot", "hẹn giờ",
)  # fmt: skip
CONCEPTS["reschedule"] = (
    *CONCEPTS["reschedule"],
    "tới trễ", "đến trễ", "đến muộn", "tới muộn", "bị trễ", "trễ hẹn", "lỡ hẹn", "bận đột xuất",
    "đột xuất", "kẹt xe",
)  # fmt: skip
CONCEPTS["payment"] = (
    *CONCEPTS["payment"],
    "số tài khoản", "tài khoản ngân hàng", "ví điện tử", "thẻ visa", "thẻ tín dụng", "cash",
    "đóng tiền",
)  # fmt: skip
CONCEPTS["installment"] = (
    *CONCEPTS["installment"],
    "trả mỗi tháng", "chia ra trả", "chia kỳ", "trả theo tháng", "trả từng tháng",
    "đóng theo đợt", "trả theo đợt", "chia nhỏ", "góp được",
)  # fmt: skip
CONCEPTS["promo"] = (*CONCEPTS["promo"], "flash sale", "mã giảm giá", "giảm giá không", "bớt giá")
CONCEPTS["parking"] = (*CONCEPTS["parking"], "chỗ đỗ", "chỗ đậu", "đỗ ô tô", "đậu ô tô")
CONCEPTS["contact"] = (*CONCEPTS["contact"], "zalo", "hotline", "sđt", "số zalo", "nhắn zalo")
CONCEPTS["consult"] = (*CONCEPTS["consult"], "thăm khám", "khám tư vấn", "qua khám")
CONCEPTS["invoice"] = (*CONCEPTS["invoice"], "hóa đơn vat", "mã số thuế", "xuất vat")
CONCEPTS["membership"] = (*CONCEPTS["membership"], "hạng thành viên", "điểm thưởng")
CONCEPTS["products"] = (*CONCEPTS["products"], "hàng auth", "auth", "hàng fake", "hàng giả",
                        "hàng nhái", "fake", "hàng chuẩn", "hàng xách tay")  # fmt: skip

# Concepts of retail, schools, clinics and pet businesses, each one thing whatever the business.
CONCEPTS.update({
    # Getting the goods to the customer ("COD", paying on delivery, is left to the spa's own words).
    "delivery": (
        "giao hàng", "ship", "shipper", "vận chuyển", "giao tận nơi", "giao tận nhà",
        "phí ship", "phí vận chuyển", "giao nhanh", "hỏa tốc", "hoả tốc", "giao toàn quốc",
        "ship toàn quốc", "nhận được hàng", "delivery",
        "gửi hàng", "giao tới",
    ),
    # Taking goods back: not a refund of a service package.
    "returns": ("đổi trả", "đổi hàng", "trả hàng", "trả lại hàng", "hoàn hàng", "đổi sản phẩm",
                "đổi sang loại khác", "giao nhầm", "giao sai", "hàng lỗi"),
    "packaging": ("đóng gói", "gói hàng", "chống sốc", "bọc kỹ", "gói kỹ", "bọc chống sốc"),
    "recovery": ("hồi phục", "hết sưng", "sưng bầm", "hết bầm", "đi làm được", "đi làm lại",
                 "đi làm bình thường", "sinh hoạt bình thường", "bình phục", "nghỉ dưỡng"),
    # Putting a paid course or membership on hold, not moving one appointment.
    "pause": ("bảo lưu", "tạm dừng", "tạm ngưng", "đóng băng", "nghỉ giữa chừng"),
    "expiry": ("hạn sử dụng", "hạn dùng", "date", "ngày sản xuất", "date xa", "exp",
               "hsd"),
    "wholesale": ("bán sỉ", "mua sỉ", "giá sỉ", "đại lý", "cộng tác viên", "nhập sỉ",
                  "số lượng lớn", "số lượng nhiều"),
    "pickup": ("đưa đón", "đón tận nhà", "xe đón", "đón trả", "đón tận nơi", "pick up", "pickup",
               "đón sân bay", "đón ở sân bay"),
    "vaccination": ("tiêm phòng", "tiêm ngừa", "vaccine", "vắc xin", "vacxin", "tiêm chủng",
                    "sổ tiêm", "mũi tiêm", "tiêm đủ", "chưa tiêm"),
    "lodging": ("ký túc xá", "chỗ ở", "chỗ ngủ", "nhà trọ", "phòng trọ", "lưu trú", "homestay",
                "ở lại qua đêm", "ngủ lại", "khách sạn", "qua đêm", "ngủ qua đêm"),
    "anesthesia": ("gây mê", "gây mê toàn thân", "gây tê", "tiền mê", "mê toàn thân", "tê tại chỗ", "thuốc mê"),
    "trial": ("học thử", "dùng thử", "làm thử", "thử 1 buổi", "thử một buổi", "tester",
              "mẫu thử", "sample", "xem thử", "test thử", "thử trước"),
})  # fmt: skip
# "durability", "recurrence": what is asked about a service, like "warranty" and "aftercare" (how
# long it lasts, whether it comes back). A spa that never wrote "giữ được bao lâu" still answers
# it with its own pair.
SOFT_CONCEPTS = SOFT_CONCEPTS | {"anesthesia", "trial", "durability", "recurrence"}

# English-speaking customers: a message mostly made of English words is read word by word into
# the Vietnamese a customer would have typed, so it finds the spa's Vietnamese pairs. Longest
# phrases first; English words with nothing to say ("the", "do", "you") are dropped.
ENGLISH: dict[str, str] = {
    "how much": "bao nhiêu", "how many": "bao nhiêu", "how long": "bao lâu",
    "what time": "mấy giờ", "opening hours": "giờ mở cửa", "open hours": "giờ mở cửa",
    "business hours": "giờ mở cửa", "working hours": "giờ làm việc", "open": "mở cửa",
    "opening": "mở cửa", "close": "đóng cửa", "closing": "đóng cửa", "closed": "đóng cửa",
    "price": "giá", "prices": "giá", "cost": "chi phí", "costs": "chi phí", "fee": "phí",
    "fees": "phí", "charge": "tính phí", "tuition": "học phí", "expensive": "đắt",
    "cheap": "rẻ", "free": "miễn phí",
    "address": "địa chỉ", "where": "ở đâu", "located": "ở đâu", "location": "địa chỉ",
    "branch": "chi nhánh", "branches": "chi nhánh",
    "book": "đặt lịch", "booking": "đặt lịch", "appointment": "lịch hẹn", "reserve": "đặt chỗ",
    "reservation": "đặt chỗ", "walk in": "đến trực tiếp", "cancel": "hủy lịch",
    "reschedule": "đổi lịch", "late": "đến trễ",
    "parking": "gửi xe", "park": "gửi xe", "car": "ô tô", "motorbike": "xe máy",
    "pay": "thanh toán", "payment": "thanh toán", "card": "quẹt thẻ", "credit card": "thẻ tín dụng",
    "cash": "tiền mặt", "transfer": "chuyển khoản", "bank transfer": "chuyển khoản",
    "installment": "trả góp", "installments": "trả góp", "instalment": "trả góp",
    "instalments": "trả góp", "refund": "hoàn tiền", "money back": "hoàn tiền",
    "warranty": "bảo hành", "guarantee": "bảo hành", "deposit": "đặt cọc",
    "invoice": "hóa đơn", "receipt": "hóa đơn",
    "pain": "đau không", "painful": "đau không", "hurt": "đau không", "hurts": "đau không",
    "duration": "thời gian", "aftercare": "chăm sóc sau", "avoid": "kiêng",
    "discount": "giảm giá", "discounts": "giảm giá", "promotion": "khuyến mãi",
    "promotions": "khuyến mãi", "promo": "khuyến mãi", "deal": "ưu đãi", "deals": "ưu đãi",
    "shipping": "giao hàng", "delivery": "giao hàng", "deliver": "giao hàng", "ship": "giao hàng",
    "pickup": "đưa đón", "pick up": "đưa đón",
    "safe": "an toàn", "side effects": "tác dụng phụ", "pregnant": "mang thai",
    "breastfeeding": "cho con bú", "kids": "trẻ em", "children": "trẻ em", "child": "trẻ em",
    "men": "nam giới", "male": "nam giới", "doctor": "bác sĩ", "staff": "nhân viên",
    "phone": "số điện thoại", "contact": "liên hệ", "membership": "thẻ thành viên",
    "member": "thành viên", "points": "tích điểm", "gift card": "thẻ quà tặng",
    "authentic": "chính hãng", "genuine": "chính hãng", "fake": "hàng giả",
    "expiry": "hạn sử dụng", "expiration": "hạn sử dụng", "return": "đổi trả",
    "exchange": "đổi trả", "wholesale": "bán sỉ", "sample": "mẫu thử", "trial": "thử",
    "course": "khóa học", "class": "lớp", "classes": "lớp", "certificate": "chứng chỉ",
    "online": "online", "weekend": "cuối tuần", "sunday": "chủ nhật", "saturday": "thứ 7",
    "holiday": "ngày lễ", "today": "hôm nay", "tomorrow": "ngày mai", "night": "đêm",
    "per night": "một đêm", "hotel": "khách sạn", "accommodation": "chỗ ở", "dorm": "ký túc xá",
    "vaccinated": "tiêm phòng", "vaccine": "tiêm phòng", "vaccination": "tiêm phòng",
    "anesthesia": "gây mê", "anaesthesia": "gây mê", "general anesthesia": "gây mê toàn thân",
    "local anesthesia": "gây tê", "local": "tại chỗ",
    "recovery": "hồi phục", "recover": "hồi phục", "results": "hiệu quả", "session": "buổi",
    "sessions": "buổi", "nose job": "nâng mũi", "nose": "mũi", "eyelid": "mí",
    "eyelids": "mí", "breast": "ngực", "lips": "môi", "eyebrow": "lông mày",
    "eyebrows": "lông mày", "hair": "tóc", "haircut": "cắt tóc", "nails": "móng", "nail": "nail",
    "facial": "chăm sóc da", "skin": "da", "acne": "mụn", "teeth": "răng", "tooth": "răng",
    "dog": "chó", "dogs": "chó", "cat": "mèo", "cats": "mèo", "pet": "thú cưng",
    "pets": "thú cưng", "grooming": "cắt tỉa", "bath": "tắm", "shower": "tắm", "wifi": "wifi",
    "sunscreen": "kem chống nắng", "perfume": "nước hoa", "order": "đơn hàng",
    "home": "nhà", "at home": "tận nhà", "hanoi": "hà nội", "saigon": "sài gòn", "track": "tra cứu", "tracking": "tra cứu", "massage": "massage",
}  # fmt: skip
# English words that say nothing a Vietnamese customer would type; dropped from English messages.
ENGLISH_FILLER = frozenset(
    """a an the is are am be was were do does did can could would will should may might i you
    your yours we our us me my it its this that these those there here of in on at to for with
    from by about as and or but if so any some please hi hello hey thanks thank what which who
    whom whose when how get got have has had need want like much many know tell offer offers
    provide take takes also just only still yet really very there's it's i'm what's how's do's per""".split()
)

CONCEPTS["hours"] = (*CONCEPTS["hours"], "giờ hành chính", "tan ca", "tan làm", "sau giờ làm")
# Everyday words ("hỏng", "quê", "ngoài") that say nothing about another business.
GENERIC_WORDS = GENERIC_WORDS | frozenset("hong que ngoai".split())

ACCENT_BASE_EXCLUDED = frozenset(
    p
    for phrases in CONCEPTS.values()
    for p in (*phrases, *PHRASE_SLANG.values())
    if p not in _BASE_PHRASES
) | frozenset(_MORE_SLANG)
