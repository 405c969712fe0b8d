"""住民基本台帳: names and addresses round-trip code point for code point (行政事務標準文字)."""

from __future__ import annotations

import pytest

from conformance.session import TEXT_AS_WRITTEN, normalised_text
from conformance.suites.juki.support import JukiSession

#: text a careless system alters: outside the BMP (𠮷, 𩸽), IVS sequences (葛 + VS17, 辻 + VS17),
#: CJK compatibility ideographs that NFC replaces (U+F929, U+FA30, U+2F8A6) and the full-width space.
NAMES = (
    "𠮷田\u3000𩸽太郎",
    "葛\U000e0100西\u3000辻\U000e0100子",
    "\uf929\u3000\ufa30\U0002f8a6",
)


def _codepoints(text: object) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text] if isinstance(text, str) else [repr(text)]


@pytest.mark.requirement("JUKI-050", "API-018")
def test_names_round_trip_exactly(kikan) -> None:
    """氏名, 筆頭者, 本籍, 旧氏, 通称 and the address are read back unchanged from the record, its history
    and the 住民票 view; no NFC, no truncation of characters outside the BMP. Text read back
    normalised also breaks the common API-018 (:func:`conformance.session.normalised_text`)."""
    s = JukiSession(kikan, 41)
    normalised: list[str] = []

    def compare(where: str, sent: str, read: object) -> None:
        if read != sent:
            s.note(f"{where}: sent {_codepoints(sent)}, read {_codepoints(read)}")
            if normalised_text(read, sent):
                normalised.append(where)

    foreign = s.tennyu_body(foreign=True)
    example = {"shimei": NAMES, "foreign": foreign.get("shimei_alphabet")}
    title = ("文字がそのまま返されません", "Text does not round-trip exactly")
    with s.part("JUKI-050", title, check="text_round_trips_exactly", example=example):
        for name in NAMES:
            body = s.tennyu_body()
            katagaki = f"{name}ハイツ"
            body.update(shimei=name, hittousha=name, honseki=f"東京都{name}", jusho=s.address(katagaki))
            keys = s.run("tennyu", body)
            if not keys:
                continue
            atena_no = keys["residents"][0]
            s.run(
                "kyuuji_kisai",
                {"atena_no": atena_no, "kyuuji": name, "ido_bi": s.day(10, 5), "seikyu_bi": s.day(4, 4)},
            )
            views = {
                "resident": s.read(f"/residents/{atena_no}") or {},
                "history": ((s.read(f"/residents/{atena_no}/history") or {}).get("items") or [{}])[0],
                "juminhyo": s.read(f"/juminhyo/{atena_no}") or {},
            }
            sent = {"shimei": name, "hittousha": name, "honseki": body["honseki"]}
            for view, doc in views.items():
                for item, value in sent.items():
                    compare(f"{view} {item}", value, doc.get(item))
                jusho = doc.get("jusho") if isinstance(doc.get("jusho"), dict) else {}
                compare(f"{view} jusho.katagaki", katagaki, jusho.get("katagaki"))
            compare("kyuuji", name, views["resident"].get("kyuuji"))
        _, (foreigner,) = s.new_household(1, foreign=True)
        s.run(
            "tsusho_kisai",
            {"atena_no": foreigner, "tsusho": NAMES[0], "ido_bi": s.day(5, 1), "moshide_bi": s.day(5, 1)},
        )
        compare("tsusho", NAMES[0], (s.read(f"/residents/{foreigner}") or {}).get("tsusho"))
        if normalised:
            s.note(f"text read back normalised: {', '.join(normalised[:5])}", requirement=TEXT_AS_WRITTEN)


@pytest.mark.requirement("JUKI-061")
def test_search_by_name_and_identifiers(kikan) -> None:
    """基本検索: by 氏名 prefix (outside the BMP too), フリガナ, 生年月日, 性別, 個人番号, 住民票コード,
    世帯番号, combined with AND; every hit matches and the person searched for is found."""
    s = JukiSession(kikan, 42)
    s.run("tennyu", {**s.tennyu_body(), "shimei": "山田　花子", "furigana": "ヤマダ　ハナコ"})  # a decoy
    body = s.tennyu_body()
    body.update(shimei=NAMES[0], furigana="ヨシダ\u3000ホッケタロウ")
    keys = s.run("tennyu", body)
    if keys:
        atena_no = keys["residents"][0]
        record = s.oracle.residents[atena_no]
        queries = [
            {"shimei": NAMES[0][:2]},
            {"furigana": body["furigana"]},
            {"kojin_bango": body["kojin_bango"]},
            {"juminhyo_code": body["juminhyo_code"]},
            {"setai_no": record["setai_no"]},
            {"seinengappi": body["seinengappi"]["date"], "seibetsu": body["seibetsu"]},
        ]
        for query in queries:
            items = (s.read("/residents", {**query, "limit": 500}) or {}).get("items") or []
            if atena_no not in {i.get("atena_no") for i in items}:
                s.note(f"search {query} does not find {atena_no}")
            for item in items:
                for name, value in query.items():
                    have = item.get(name)
                    have = have.get("date") if isinstance(have, dict) else have
                    if not (str(have).startswith(value) if name == "shimei" else have == value):
                        s.note(f"search {query} returned {item.get('atena_no')} with {name}={have!r}")
    s.fail_if("基本検索の結果が正しくありません", "Search results are wrong", check="search_filters_match")
