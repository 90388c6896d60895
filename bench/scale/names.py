"""The words a synthetic Hà Nội is made of: its 126 wards and communes after 1 July 2025,
street names, and Vietnamese family, middle and given names with rough frequencies.

Frequencies: family names follow the published shares (Nguyễn about 38%, Trần 11%, Lê 9.5%,
…), northern spellings first (Hoàng, Vũ); middle and given names are weighted by rank.
"""

# 51 wards [phường] and 75 communes [xã] of Hà Nội since 1 July 2025
WARDS = (
    "Hoàn Kiếm", "Cửa Nam", "Ba Đình", "Ngọc Hà", "Giảng Võ", "Hai Bà Trưng", "Vĩnh Tuy",
    "Bạch Mai", "Đống Đa", "Kim Liên", "Văn Miếu - Quốc Tử Giám", "Láng", "Ô Chợ Dừa",
    "Hồng Hà", "Lĩnh Nam", "Hoàng Mai", "Vĩnh Hưng", "Tương Mai", "Định Công", "Hoàng Liệt",
    "Yên Sở", "Thanh Xuân", "Khương Đình", "Phương Liệt", "Cầu Giấy", "Nghĩa Đô", "Yên Hòa",
    "Tây Hồ", "Phú Thượng", "Tây Tựu", "Phú Diễn", "Xuân Đỉnh", "Đông Ngạc", "Thượng Cát",
    "Từ Liêm", "Xuân Phương", "Tây Mỗ", "Đại Mỗ", "Long Biên", "Bồ Đề", "Việt Hưng",
    "Phúc Lợi", "Hà Đông", "Dương Nội", "Yên Nghĩa", "Phú Lương", "Kiến Hưng", "Thanh Liệt",
    "Chương Mỹ", "Sơn Tây", "Tùng Thiện",
)  # fmt: skip
COMMUNES = (
    "Sóc Sơn", "Kim Anh", "Trung Giã", "Đa Phúc", "Nội Bài", "Đông Anh", "Phúc Thịnh",
    "Thư Lâm", "Thiên Lộc", "Vĩnh Thanh", "Mê Linh", "Yên Lãng", "Tiến Thắng", "Quang Minh",
    "Gia Lâm", "Thuận An", "Bát Tràng", "Phù Đổng", "Thanh Trì", "Đại Thanh", "Nam Phù",
    "Ngọc Hồi", "Thượng Phúc", "Thường Tín", "Chương Dương", "Hồng Vân", "Phú Xuyên",
    "Phượng Dực", "Chuyên Mỹ", "Đại Xuyên", "Thanh Oai", "Bình Minh", "Tam Hưng", "Dân Hòa",
    "Vân Đình", "Ứng Thiên", "Hòa Xá", "Ứng Hòa", "Mỹ Đức", "Hồng Sơn", "Phúc Sơn",
    "Hương Sơn", "Phú Nghĩa", "Xuân Mai", "Trần Phú", "Hòa Phú", "Quảng Bị", "Minh Châu",
    "Quảng Oai", "Vật Lại", "Cổ Đô", "Bất Bạt", "Suối Hai", "Ba Vì", "Yên Bài", "Đoài Phương",
    "Phúc Thọ", "Phúc Lộc", "Hát Môn", "Thạch Thất", "Hạ Bằng", "Tây Phương", "Hòa Lạc",
    "Yên Xuân", "Quốc Oai", "Hưng Đạo", "Kiều Phú", "Phú Cát", "Hoài Đức", "Dương Hòa",
    "Sơn Đồng", "An Khánh", "Đan Phượng", "Ô Diên", "Liên Minh",
)  # fmt: skip

STREETS = (
    "phố Đội Cấn", "phố Kim Mã", "phố Giảng Võ", "phố Liễu Giai", "phố Văn Cao",
    "phố Hoàng Hoa Thám", "phố Quán Thánh", "phố Phan Đình Phùng", "phố Nguyễn Chí Thanh",
    "phố Láng Hạ", "phố Thái Hà", "phố Tây Sơn", "phố Chùa Bộc", "phố Bạch Mai", "phố Minh Khai",
    "phố Lạc Trung", "phố Trương Định", "phố Giải Phóng", "phố Nguyễn Trãi", "phố Khương Trung",
    "phố Trần Duy Hưng", "phố Nguyễn Khánh Toàn", "phố Hoàng Quốc Việt", "phố Xuân Thủy",
    "phố Lạc Long Quân", "phố Âu Cơ", "phố Nguyễn Văn Cừ", "phố Ngọc Lâm", "phố Quang Trung",
    "phố Lê Trọng Tấn", "phố Tam Trinh", "phố Lĩnh Nam", "phố Kim Giang", "phố Phạm Văn Đồng",
    "phố Cổ Nhuế", "phố Mỹ Đình", "phố Tố Hữu", "phố Lê Văn Lương", "phố Hàng Bài",
    "phố Lý Thường Kiệt",
)  # fmt: skip
ENTERPRISES = (
    "Công ty cổ phần Môi trường đô thị", "Công ty cổ phần Xây dựng số {n}",
    "Công ty TNHH Thương mại {unit}", "Chi nhánh Điện lực {unit}", "Bưu điện {unit}",
    "Công ty cổ phần Cấp nước {unit}", "Ngân hàng Nông nghiệp chi nhánh {unit}",
    "Hợp tác xã Dịch vụ {unit}", "Công ty cổ phần Dược phẩm {unit}",
    "Công ty TNHH Cơ khí {unit}",
)  # fmt: skip

# family names [họ] with their approximate share, percent
FAMILY = (
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 5.1),
    ("Phan", 4.5), ("Vũ", 3.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đào", 0.5), ("Đinh", 0.5), ("Trịnh", 0.4),
    ("Lương", 0.4), ("Mai", 0.3), ("Tạ", 0.3), ("Cao", 0.3), ("Kiều", 0.2), ("Chu", 0.2),
    ("Lưu", 0.2), ("Tô", 0.2), ("Hà", 0.2), ("Nghiêm", 0.1), ("Khúc", 0.1), ("Quách", 0.1),
    ("Triệu", 0.1), ("Đoàn", 0.3), ("Vương", 0.1), ("Lại", 0.1), ("Thái", 0.1),
)  # fmt: skip
# middle names [tên đệm] by gender, most frequent first
MIDDLE = {
    "MALE": (
        "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Ngọc", "Thanh", "Mạnh", "Tiến", "Công",
        "Đình", "Duy", "Trung", "Hoàng", "Việt", "Anh", "Thế", "Bá", "Trọng",
    ),
    "FEMALE": (
        "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Thúy", "Hồng", "Kim", "Hải", "Lan",
        "Bích", "Diệu", "Khánh", "Mai", "Hoài",
    ),
}  # fmt: skip
# given names [tên] by gender, most frequent first
GIVEN = {
    "MALE": (
        "Anh", "Minh", "Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Thắng", "Sơn", "Cường",
        "Trung", "Quân", "Đức", "Hiếu", "Huy", "Tùng", "Thành", "Bình", "Khánh", "Phong", "Việt",
        "Hoàng", "Quang", "Tiến", "Hưng", "Lâm", "Toàn", "Thịnh", "Hiệp", "Kiên", "Vinh", "Đạt",
        "Công", "Thái", "Hòa", "Chiến", "Lợi", "Tài", "Phúc",
    ),
    "FEMALE": (
        "Hương", "Lan", "Hà", "Linh", "Trang", "Huyền", "Hằng", "Thảo", "Mai", "Nga", "Ngọc",
        "Phương", "Thủy", "Hoa", "Dung", "Yến", "Vân", "Oanh", "Anh", "Chi", "Nhung", "Loan",
        "Liên", "Hạnh", "Thư", "Nhàn", "Tâm", "Quỳnh", "Giang", "Hiền",
    ),
}  # fmt: skip
