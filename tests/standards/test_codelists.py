"""The common code lists and the era table: shape, ASCII-safe unique codes, and their key facts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import standards

CODELISTS = sorted((Path(standards.__file__).parent / "common" / "codelists").glob("*.yaml"))
CONFIDENCE = {"verified", "stated", "unconfirmed", "convention"}


def load(name: str) -> dict:
    return yaml.safe_load(
        (Path(standards.__file__).parent / "common" / "codelists" / f"{name}.yaml").read_text("utf-8")
    )


def test_every_required_list_exists() -> None:
    names = {p.stem for p in CODELISTS}
    assert {
        "seibetsu",
        "zokugara",
        "jumin_shubetsu",
        "jumin_jotai",
        "ido_jiyu",
        "todofuken",
        "zairyu_shikaku",
        "hou30_45_kubun",
    } <= names


@pytest.mark.parametrize("path", CODELISTS, ids=lambda p: p.stem)
def test_list_shape(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (
        {"id", "label", "source", "codes"}
        <= set(data)
        <= {"id", "label", "source", "codes", "description", "max_chain"}
    )
    assert data["id"] == path.stem
    assert data["label"]["ja"] and data["label"]["en"]
    assert data["source"]["confidence"] in CONFIDENCE
    values = [c["code"] for c in data["codes"]]
    assert len(values) == len(set(values)), "duplicate codes"
    for code in data["codes"]:
        assert isinstance(code["code"], str) and code["code"].isascii() and code["code"].isalnum(), code
        assert code["label"]["ja"] and code["label"]["en"].isascii(), code
        assert set(code) <= {"code", "label", "valid_from", "valid_to", "note", "chain"}


def test_todofuken() -> None:
    codes = {c["code"]: c["label"]["ja"] for c in load("todofuken")["codes"]}
    assert list(codes) == [f"{n:02d}" for n in range(1, 48)]
    assert (codes["01"], codes["13"], codes["27"], codes["47"]) == ("北海道", "東京都", "大阪府", "沖縄県")


def test_ido_jiyu_is_the_full_list_with_groups() -> None:
    groups: dict[str, list[str]] = {}
    for c in load("ido_jiyu")["codes"]:
        group = c["note"].split(" ")[0]
        assert group == {"1": "記載", "2": "消除", "3": "修正"}[c["code"][0]], c
        groups.setdefault(group, []).append(c["label"]["ja"])
    assert len(groups["記載"]) == 9 and len(groups["消除"]) == 9 and len(groups["修正"]) == 19
    assert {"国内転入", "出生", "死亡", "国外転出", "転居", "世帯主変更", "通称の削除"} <= set(
        sum(groups.values(), [])
    )
    assert not any("転居取消" in label for label in sum(groups.values(), []))  # 【実装しない】


def test_zokugara_is_the_j110_term_list() -> None:
    """住民記録システム標準仕様書 1.1.11: these terms, chains of the relatives up to 4世代, nothing else."""
    data = load("zokugara")
    terms = {c["label"]["ja"]: bool(c.get("chain")) for c in data["codes"]}
    alone = {"世帯主", "縁故者", "同居人"}
    relatives = {"夫", "妻", "夫（未届）", "妻（未届）", "子", "父", "母", "兄", "姉", "弟", "妹"}
    assert terms == {**{t: False for t in alone}, **{t: True for t in relatives}}
    assert not {"孫", "祖父", "祖母", "おじ", "おば", "甥", "姪", "家事使用人", "準世帯主", "長男"} & set(
        terms
    )
    assert data["max_chain"] == 4  # 子の子の子の子
    assert data["source"]["confidence"] == "stated" and "j110" in data["source"]["section"]


def test_hou30_45_kubun() -> None:
    labels = [c["label"]["ja"] for c in load("hou30_45_kubun")["codes"]]
    assert labels[:2] == ["中長期在留者", "特別永住者"] and len(labels) == 6


def test_a_code_is_found_by_its_label_and_an_unknown_label_names_the_list() -> None:
    from standards.loader import load_standards

    standards = load_standards()
    juki = standards.operation("juki")
    assert standards.code_of("tennyu_kubun", "国外転入", juki) == juki.code_of("tennyu_kubun", "国外転入")
    labels = standards.codelist("jumin_shubetsu").codes_by_label()  # a common list
    assert standards.code_of("jumin_shubetsu", "外国人", juki) == labels["外国人"] != labels["日本人"]
    with pytest.raises(KeyError, match="jumin_shubetsu has no code labelled 宇宙人"):
        standards.code_of("jumin_shubetsu", "宇宙人")
    with pytest.raises(KeyError, match="juki has no code list 'jumin_shubetsu'"):
        juki.code_of("jumin_shubetsu", "日本人")  # an operation's own lists only
