"""The members subgraph's enums, the domain's own values under their GraphQL names."""

import strawberry

from members import domain
from members.domain.history import HistoryKind

Standing = strawberry.enum(
    domain.Standing, description="OFFICIAL [đảng viên chính thức] | PROBATIONARY [dự bị]"
)
Gender = strawberry.enum(domain.Gender)
WorkplaceRole = strawberry.enum(
    domain.WorkplaceRole,
    description="CADRE [cán bộ], CIVIL_SERVANT [công chức], "
    "NON_SPECIALISED [người hoạt động không chuyên trách], PUBLIC_EMPLOYEE [viên chức], OTHER",
)
TransferKind = strawberry.enum(
    domain.TransferKind,
    description="OFFICIAL [chính thức] | TEMPORARY [tạm thời] | INTERNAL [nội bộ: same ward "
    "Party Committee]",
)
TransferReason = strawberry.enum(
    domain.TransferReason,
    description="CELL_DISSOLVED | RELOCATION | WORKPLACE_CHANGE | STUDY [đi học: a TEMPORARY "
    "stay of up to 2 years] | OTHER",
)
TransferState = strawberry.enum(
    domain.TransferState,
    description="NEEDS_DESTINATION → AWAITING_INTRODUCTION → INTRODUCED [đã có giấy giới thiệu] "
    "→ RECEIVED [chi bộ mới đã tiếp nhận] | CANCELLED",
)
PersonKind = strawberry.enum(
    domain.PersonKind, description="MEMBER [đảng viên] | CANDIDATE [đối tượng kết nạp]"
)
CandidateStage = strawberry.enum(
    domain.CandidateStage,
    description="SOURCE [quần chúng trong nguồn] → AWARENESS_TRAINED [đã học lớp nhận thức về "
    "Đảng] → SPONSORED → ADMITTED | WITHDRAWN",
)
MemberHistoryKind = strawberry.enum(
    HistoryKind,
    name="MemberHistoryKind",
    description="ADMITTED [kết nạp] | TRANSFERRED [chuyển sinh hoạt đảng, received] | "
    "HANDED_OVER [chuyển giao tổ chức] | MERGED [hợp nhất, sáp nhập] | SPLIT [chia tách]",
)
