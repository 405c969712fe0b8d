"""戸籍の附票: invalid items of the 通知 are rejected with the item's pointer and code, and change nothing."""

from __future__ import annotations

import pytest

from conformance.suites.fuhyo.support import FuhyoSession
from standards.common.identifiers import lg_code_check_digit


@pytest.mark.requirement("API-006", "API-019", "FUHYO-008")
def test_invalid_tsuchi_items_rejected(kikan) -> None:
    """A 地方公共団体コード with a wrong check digit, an impossible date, a 住民票コード of the wrong shape, an
    address abroad one character too long, an unknown item: 422 naming the item; nothing changes."""
    s = FuhyoSession(kikan, 11)
    with s.setup("附票の記載を作成する", "make the supplement entry"):
        member = s.person()
    before = s.footprint()
    good = s.tsuchi_body(member)
    code = good["tsuchi_lg_code"]
    wrong = code[:5] + str((int(lg_code_check_digit(code[:5])) + 1) % 10)
    longest = s.op.command("jusho_tsuchi")
    limit = next(i.max_length for i in longest.request if i.name == "kokugai_jusho") or 200
    cases = [
        ({"tsuchi_lg_code": wrong}, "/tsuchi_lg_code", {"LG_CODE_CHECK_DIGIT"}),
        ({"tsuchi_bi": "2023-02-29"}, "/tsuchi_bi", {"NOT_A_DATE", "DATE_FORMAT"}),
        ({"juminhyo_code": "1234567890"}, "/juminhyo_code", {"JUMINHYO_CODE_FORMAT"}),
        ({"jusho": None, "kokugai_jusho": "国" * (limit + 1)}, "/kokugai_jusho", {"MAX_LENGTH"}),
        ({"kisai_jiyu": "5"}, "/kisai_jiyu", {"UNKNOWN_ITEM", "READ_ONLY"}),
    ]
    with s.checking("API-006"):
        for change, pointer, codes in cases:
            s.must_reject_item("jusho_tsuchi", {**good, **change}, pointer, codes)
    s.unchanged(before, "rejected requests", requirement="API-019")
    with s.checking("API-019"):  # nothing recorded by the rejected 通知
        s.compare_all()
    s.fail_if(
        "不正な入力が正しく拒否されません",
        "Invalid input is not rejected properly",
        check="invalid_item_rejected",
    )
