"""戸籍の附票 (Family Register Supplement): its one command and its effects, from the standard.

Written from ``standards/operations/fuhyo/`` (api.yaml: the 住所地's notice and its errors;
rules.yaml: the dates from which 生年月日・性別 and 住民票コード are items; effects.yaml: what
住民基本台帳 and 戸籍 commands do here, in :mod:`.effects`). Invariants kept: one 附票 per
戸籍 with the same koseki_no, 本籍 and 筆頭者; one entry per 戸籍 entry (same member_id); an entry's
address rows only grow, in the order recorded, the last being the current address.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reference_impl.commands import CommandContext, Outcome
from reference_impl.operations.fuhyo.effects import (
    add_entry,
    carry_over_entry,
    follow_tenseki,
    make_fuhyo,
    record_address,
    remove_entry,
)
from reference_impl.operations.fuhyo.support import Book, held, reject

#: Option-level requirements claimed (the 附票 standard has none).
OPTIONS: tuple[str, ...] = ()


def jusho_tsuchi(ctx: CommandContext, body: dict[str, Any]) -> Outcome:
    """住所地市町村からの通知: a row with the notified address (記載事由 通知); the 住民票コード only for
    a notice dated on or after the rule juminhyo_code_from."""
    book = Book(ctx)
    entry = book.entry(body["member_id"])
    if entry is None:
        raise reject("FUHYO_ENTRY_NOT_FOUND", f"no entry {body['member_id']}", "/member_id")
    if not book.is_current(entry):
        raise reject("FUHYO_ENTRY_REMOVED", f"entry {body['member_id']} has been removed", "/member_id")
    if (body.get("jusho") is None) == (body.get("kokugai_jusho") is None):
        raise reject(
            "FUHYO_ADDRESS_REQUIRED",
            "give exactly one of jusho and kokugai_jusho",
            "/jusho" if body.get("jusho") is None else "/kokugai_jusho",
        )
    tsuchi_bi = date.fromisoformat(body["tsuchi_bi"])
    if body.get("juminhyo_code") is not None and tsuchi_bi < book.codes.code_from:
        raise reject(
            "FUHYO_JUMINHYO_CODE_NOT_IN_FORCE",
            f"住民票コード is recorded only from {book.codes.code_from.isoformat()}",
            "/juminhyo_code",
        )
    _check_dates(ctx, entry, body, tsuchi_bi)
    changes = {"juminhyo_code": body["juminhyo_code"]} if body.get("juminhyo_code") is not None else {}
    book.add_row(
        entry,
        {
            "jusho": body.get("jusho"),
            "kokugai_jusho": body.get("kokugai_jusho"),
            "jusho_teijubi": body["jusho_teijubi"],
            "kisai_jiyu": book.codes.kisai_jiyu["住所地市町村からの通知"],
        },
        tsuchi_bi,
        **changes,
    )
    return book.outcome


def _check_dates(ctx: CommandContext, entry: Any, body: dict[str, Any], tsuchi_bi: date) -> None:
    """FUHYO_DATE_ORDER: settled after the notice or before the current address was; a notice dated
    after the processing day or before the latest row's 記載日."""
    teijubi = held(body["jusho_teijubi"])
    rows = entry.data.get("jusho_rireki") or []
    if tsuchi_bi > ctx.today:
        raise reject("FUHYO_DATE_ORDER", "the 通知日 is after the processing day", "/tsuchi_bi")
    if teijubi > tsuchi_bi:
        raise reject("FUHYO_DATE_ORDER", "the 住所を定めた年月日 is after the 通知日", "/jusho_teijubi")
    if rows and teijubi < held(rows[-1]["jusho_teijubi"]):
        raise reject(
            "FUHYO_DATE_ORDER",
            "the 住所を定めた年月日 is before that of the current address",
            "/jusho_teijubi",
        )
    if rows and tsuchi_bi < date.fromisoformat(rows[-1]["kisai_bi"]):
        raise reject("FUHYO_DATE_ORDER", "the 通知日 is before the latest row's 記載日", "/tsuchi_bi")


#: command id -> handler (every command of the fuhyo standard)
COMMANDS = {"jusho_tsuchi": jusho_tsuchi}

#: effect action (effects.yaml) -> handler
EFFECTS = {
    "record_address": record_address,
    "make_fuhyo": make_fuhyo,
    "carry_over_entry": carry_over_entry,
    "add_entry": add_entry,
    "remove_entry": remove_entry,
    "follow_tenseki": follow_tenseki,
}
