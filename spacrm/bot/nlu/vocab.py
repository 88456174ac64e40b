"""Word lists shared by the rules (all in folded form: lower case, no diacritics)."""

from __future__ import annotations

from spacrm.bot.nlu.text import kw

# Honorifics written with diacritics are unambiguous; their bare forms also mean other words
# ("chi" = spend / only, "co" = have, "ba" = three), so those need a capitalised name after them.
HONORIFICS = frozenset(
    "chị anh em cô chú bác ông bà bạn khách kh khách_hàng dì cậu mợ thím".split()
)
BARE_HONORIFICS = frozenset("chi co chu bac ong ba ban khach c a e di cau".split())
# Words between an honorific and the name ("khách hàng chị Lan", "cho chị Lan").
HONORIFIC_FILLERS = frozenset("hang hàng".split())

SERVICE = kw(
    r"triet long",
    r"triet",
    r"massage",
    r"mat xa",
    r"matxa",
    r"g[o0][i1] dau",
    r"duong sinh",
    r"cham soc da",
    r"cham soc mat",
    r"lam mat",
    r"lam da",
    r"tri mun",
    r"nan mun",
    r"lay nhan mun",
    r"tam trang",
    r"phun xam",
    r"phun m[a4]y",
    r"(?:chan|long) m4y",
    r"phun moi",
    r"dieu khac",
    r"noi mi",
    r"uon mi",
    r"nail",
    r"son gel",
    r"lam mong",
    r"wax",
    r"waxing",
    r"tre hoa",
    r"xong hoi",
    r"tri nam",
    r"tan nhang",
    r"peel",
    r"hifu",
    r"laser",
    r"facial",
    r"detox",
    r"botox",
    r"filler",
    r"giam beo",
    r"giam mo",
    r"thai doc",
    r"bam huyet",
    r"lieu trinh",
    r"dap mat na",
    r"tay te bao chet",
    r"ngam chan",
    r"cay chi",
    r"meso",
    r"tri tham",
    r"body",
    r"foot",
)

# Words that are never a person's name in a command, so a name after an honorific stops there.
STOPWORDS = frozenset(
    """
    a ah ak a0 da d4 roi xong vua moi se dang can phai muon cho voi va la o tai tu den t0i toi
    nhe nha ko k khong hok hong chua c0 co duoc dc dk th3 nao gi sao bao nhieu luc vao
    ngay hom nay mai mot m0t qua kia sang trua chieu dem thang gio h phut sdt dt so
    dien thoai email mail goi g0i gap g4p hen nhac len lich book chuyen chuyn khoan ck
    mat tm the card toan tra chi xem thong tin cuu tim them tao kh khach
    ve tiem nang cham soc ngung d0ng su dv dich vu lam nghi xin phep tang ca ot kpi bc
    bieu ton kho con het nguon quan hoi ktv nv nhan vien de vi do nen neu ma thi cung
    rat lai gui zalo fb facebook tiktok website web instagram ig google nghe may bat
    dau trieu tr nghin ngan cu tren duoi ngoai trong truoc sau nua
    luon di ra hoac hay lead mst cong ty ten ho di dong
    cn t2 t3 t4 t5 t6 t7 ok oke okie uh um ua vay day bang ay kia
    note ghi chu booking sp san pham bao gia quote call meet meeting gmail yeu cau duoc nhanh
    triet massage nail wax spa body foot combo peel laser facial detox phun noi uon tri
    nan giam xong lieu ngam cay meso dap tay no
    """.split()
)
# A customer who leaves no record, served at the counter: "bán 1 chai serum cho khách lẻ".
WALK_IN = kw(
    r"(?:cho |cua )?(?:khach|kh) (?:le|vang lai|qua duong|di ngang|walk in|walkin)",
    r"(?:cho |cua )?(?:khach )?vang lai",
    r"walk ?in",
)
# Two-word phrases that start with a possible name ("thanh toán", "quan tâm", "Tuấn"/"tuần sau").
PHRASE_AFTER_NAME = kw(
    r"thanh toan",
    r"quan tam",
    r"tien mat",
    r"dat (?:lich|hen|coc)",
    r"nhan tin",
    r"tuan (?:sau|nay|toi|truoc|roi)",
    r"thu tien",
    r"nam (?:nay|sau|truoc)",
    r"hang (?:ngay|thang|tuan)",
    r"dung (?:dv|dich vu|lai|cham soc)",
    r"minh (?:da|se|can)",
    r"phu trach",
    r"cham soc",
    r"huy (?:lich|hen|buoi|don|book|booking|goi|g0i)",
    r"doi (?:lich|hen|gio|sdt|so|ten|email)",
    r"nhung (?:lich|khach|kh|viec|cuoc|don|ai|gi|nguoi|buoi|san pham|sp|dich vu|dv)",
    # Everyday compounds whose first syllable is a given name ("chị lan hoàn thành buổi 4").
    r"hoan thanh",
    r"thanh cong",
    r"tien hanh",
    r"bao hanh",
    r"binh thuong",
    r"an toan",
    r"hoa hong",
    r"nhan vien",
    r"hien tai",
    r"thu ngan",
    r"phuong phap",
    r"thanh ly",
)
# Words after an honorific that point back at someone already named ("chị ấy", "khách này",
# "anh đó"): not a name, so the engine uses the customer on screen.
REFERENCE_WORDS = frozenset("ay nay do kia day".split())
REFERENCE = kw(
    r"(?:khach hang|khach|kh|chi|anh|em|co|chu|bac|ban|ong|ba|a|c|e|nguoi)\s+(?:"
    + "|".join(sorted(REFERENCE_WORDS))
    + ")"
)
# Common family names (folded): a capitalised "Phạm", "Đỗ", "Hồ" opening a full name is part of
# it even though the same letters are command words elsewhere ("sản phẩm", "do", "họ tên").
SURNAMES = frozenset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh doan trinh "
    "truong lam mai cao luong ha ta tang quach lu".split()
)
# Words before a business's name: "công ty Hoa Sen", "cty Minh Phát", "cửa hàng Bảo Ngọc",
# "spa Thanh Xuân". The customer is the name written after the keyword, without it.
COMPANY_MARKER = kw(
    r"cong ty", r"cty", r"cua hang", r"spa", r"shop", r"salon", r"tiem(?!\s+nang)",
    r"tham my vien", r"doanh nghiep",
)  # fmt: skip
# Legal-form words that may sit between the keyword and the name ("công ty TNHH Hoa Sen").
COMPANY_FORMS = frozenset("tnhh cp mtv co phan tm dv xnk".split())
# Common given names (folded). In a message written with diacritics a lowercase word after an
# honorific is only taken as a name if it is one of these ("chị lan" yes, "chị ơi" no).
GIVEN_NAMES = frozenset(
    """
    an anh bao bac bang bich binh canh chau chi chinh cuc cuong dai dan dang danh dao dat diem
    diep dieu dinh doan dong duc dung dung duy duyen gam giang giao ha hai han hang hanh hao hau
    hien hieu hoa hoai hoan hoang hong hue hung huong huu huy huyen kha khai khang khanh khiem
    khoa khoi khue kien kieu kim lam lan le lien linh loan loc loi long luan luong ly mai man manh
    mien minh my nam nga ngan nghia ngoc nguyen nhan nhat nhi nhien nhu nhung oanh phat phi phong
    phu phuc phung phuong quan quang que quoc quy quyen quynh sang sen son suong tai tam tan thach
    thai tham than thang thanh thao thi thien thinh tho thoa thong thu thuan thuc thuong thuy tien
    tiep tin toan trai tram tran trang tri trieu trinh trong truc trung truong tu tuan tue tung
    tuyen tuyet uyen van vi viet vinh vu vuong vy xuan yen
    """.split()
)

# Canonical lead sources.
SOURCES: tuple[tuple[str, str], ...] = (
    (r"facebook|fb|face|fanpage|messenger", "facebook"),
    (r"zalo|zl", "zalo"),
    (r"tiktok|tik tok|tt shop", "tiktok"),
    (r"instagram|insta|ig", "instagram"),
    (r"website|web|trang web|landing page", "website"),
    (r"google|gg|maps", "google"),
    (r"gioi thieu|referral|ban be|nguoi quen|ref", "referral"),
    (r"vang lai|walk in|walk-in|khach le|di ngang", "walk_in"),
    (r"hotline|tong dai", "hotline"),
)
SOURCE_WORDS = kw(*(pattern for pattern, _ in SOURCES))

# Words that put a colleague's name after them ("ktv Hoa", "chị Mai", "cho Lan"); "e"/"em",
# "mình", "tôi" are the sender and never do (`names.given_names`).
BEFORE_COLLEAGUE = frozenset("ktv kt le tan lt chi c anh a co chu ban b be cho".split())
