"""Valid synthetic values for migration files, by column type, built in vectors.

Text values come from pools made once per seed (氏名 in 行政事務標準文字 with IVS sequences and
characters outside the BMP, フリガナ, 住所, 不詳日 in their standard forms); a column picks from its
pool by a seeded random index. Identifiers that must be unique (keys, 個人番号, 住民票コード) are
built from a permutation of the row numbers, with their check digits computed on the whole column
from the weights in ``standards.common.identifiers``. Every pool value is checked by the standard's
own validator when the pool is made, so a generator bug shows as an error, not as bad data.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta
from functools import cache

import polars as pl

from migration.layout import BOOLEAN, INTEGER, JSON, Column
from migration.vector import zokugara_values
from standards.common import identifiers
from standards.common.address import todofuken_codes

POOL = 509
SURNAMES = (
    "佐藤",
    "鈴木",
    "高橋",
    "渡邉",
    "髙橋",
    "齋藤",
    "吉\U000e0100田",
    "葛\U000e0101城",
    "\U00020bb7野",
    "\U00029e3d田",
    "辻\U000e0100",
    "山﨑",
)
GIVEN = (
    "太郎",
    "花子",
    "一郎",
    "さくら",
    "ゆうこ",
    "\U0002000b子",
    "々木",
    "〆吉",
    "ヨシヱ",
    "翔",
    "彌生",
    "\ue000子",
)
KANA = (
    "サトウ",
    "スズキ",
    "タカハシ",
    "ワタナベ",
    "サイトウ",
    "ヨシダ",
    "ヤマザキ",
    "ヴィクトル",
    "ハナコ",
    "イチロウ",
    "ヶ",
    "ァィゥ",
)
ALPHA = ("SMITH", "JOHN", "O'BRIEN", "LEE", "NGUYEN", "MARIA", "ANNE-MARIE", "DE LA CRUZ")
PLACES = ("千代田区", "中央区", "札幌市", "大阪市北区", "那覇市", "葛\U000e0100飾区")
MACHIAZA = ("丸の内", "霞が関", "一丁目", "大字吉\U000e0100田", "本町")
#: 不詳日 forms of the standard (types.yaml partial_date): (unknown, qualifier, period, range_end?, stated?).
PARTIAL_FORMS = (
    {"unknown": "month_day", "qualifier": "about"},
    {"unknown": "day", "qualifier": "about"},
    {"qualifier": "about"},
    {"qualifier": "estimated"},
    {"unknown": "month_day", "period": "spring"},
    {"unknown": "day", "period": "early"},
    {"unknown": "day", "period": "mid", "qualifier": "about"},
    {"unknown": "all"},
    {"unknown": "month_day"},
    {"unknown": "day"},
    {"stated": True},
)


@cache
def _zokugara_choices() -> tuple[str, ...]:
    """Relationships other than 世帯主 (the generator gives each household its one 世帯主 itself)."""
    return tuple(v for v in zokugara_values() if v != "01")[:40]


def seed_of(seed: int, *parts: str) -> int:
    """A stable sub-seed for one column (independent of Python's hash randomisation)."""
    return zlib.crc32("\x1f".join((str(seed), *parts)).encode()) & 0x7FFFFFFF


def picks(n: int, size: int, seed: int) -> pl.Series:
    """``n`` seeded random indices into a pool of ``size``."""
    return pl.Series(range(size), dtype=pl.Int64).sample(n, with_replacement=True, seed=seed)


def mask(n: int, percent: int, seed: int) -> pl.Series:
    """A seeded boolean column, True on about ``percent`` % of the rows."""
    return picks(n, 100, seed) < percent


def digits_with_check(
    n: int, width: int, seed: int, weights: tuple[int, ...] | None, check: str
) -> pl.Series:
    """``n`` distinct ``width``-digit bases (a seeded permutation), as text, with a check digit when asked.

    ``check`` is "last_mod11" (個人番号), "lg" (地方公共団体コード) or "" (none).
    """
    modulus = 10**width
    multiplier = 7_919_003 if width > 7 else 7_919
    offset = seed % modulus
    base = (pl.int_range(0, n, eager=True, dtype=pl.Int64) * multiplier + offset) % modulus
    text = base.cast(pl.String).str.zfill(width)
    if not check:
        return text
    frame = pl.DataFrame({"b": base})
    total = sum(((pl.col("b") // 10 ** (width - 1 - i)) % 10) * w for i, w in enumerate(weights or ()))
    r = total % 11
    cd = pl.when(r <= 1).then(0).otherwise(11 - r) if check == "last_mod11" else (11 - r) % 10
    return (text + frame.select(cd.cast(pl.String)).to_series()).alias("v")


def _random_day(rng: random.Random, start: int = 1930, end: int = 2024) -> date:
    return date(start, 1, 1) + timedelta(days=rng.randrange((date(end, 12, 31) - date(start, 1, 1)).days))


def lg_code_for(rng: random.Random, prefecture: str) -> str:
    base = f"{prefecture}{rng.randrange(100, 400):03d}"
    return base + identifiers.lg_code_check_digit(base)


def partial_date(rng: random.Random, unknown_percent: int) -> dict[str, str]:
    """A 不詳日 object: a known day, or (``unknown_percent`` %) one of the standard's 不詳 forms."""
    day = _random_day(rng)
    if rng.randrange(100) >= unknown_percent:
        return {"date": day.isoformat()}
    form = dict(rng.choice(PARTIAL_FORMS))
    if form.pop("stated", None):
        year = rng.choice((2015, 2017, 2019, 2021))
        return {"date": f"{year}-02-28", "stated": f"{year}-02-29"}
    if form.get("unknown") == "day":
        day = day.replace(day=1)
    elif form.get("unknown") == "month_day":
        day = day.replace(month=1, day=1)
    return {"date": day.isoformat(), **form}


def address(rng: random.Random) -> dict[str, str]:
    prefecture = rng.choice(sorted(todofuken_codes()))
    out = {"todofuken": prefecture, "shikuchoson": rng.choice(PLACES), "machiaza": rng.choice(MACHIAZA)}
    out["banchi"] = f"{rng.randrange(1, 30)}番{rng.randrange(1, 20)}号"
    if rng.randrange(3) == 0:
        out["katagaki"] = f"コーポ{rng.choice(SURNAMES)}{rng.randrange(101, 999)}号室"
    if rng.randrange(2) == 0:
        out["lg_code"] = lg_code_for(rng, prefecture)
    if rng.randrange(4) == 0:
        out["machiaza_id"] = f"{rng.randrange(10**7):07d}"
    return out


def _text(rng: random.Random, max_length: int | None) -> str:
    value = rng.choice(("テスト", "東京都千代田区", "ABC-123", "備考あり", "2024-04"))
    return value[: max_length or None]


def scalar(column: Column, rng: random.Random) -> str:
    """One valid cell text for a one-cell column (a member of an object item included)."""
    if column.enum:
        return rng.choice(column.enum)
    if column.kind == BOOLEAN:
        return rng.choice(("true", "false"))
    if column.kind == INTEGER:
        return str(rng.randrange(1, 6))
    if column.kind == JSON:
        return "[]"
    t = column.type
    if t == "shimei":
        value = rng.choice(SURNAMES) + "\u3000" + rng.choice(GIVEN)
    elif t == "furigana":
        value = rng.choice(KANA) + "\u3000" + rng.choice(KANA)
    elif t == "alphabet_name":
        value = rng.choice(ALPHA) + " " + rng.choice(ALPHA)
    elif t == "date":
        value = _random_day(rng).isoformat()
    elif t == "timestamp":
        value = (
            f"{_random_day(rng, 2015).isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00+09:00"
        )
    elif t == "zokugara":
        value = rng.choice(_zokugara_choices())
    elif t == "lg_code":
        value = lg_code_for(rng, rng.choice(sorted(todofuken_codes())))
    elif t == "kojin_bango":
        base = f"{rng.randrange(10**11):011d}"
        value = base + identifiers.kojin_bango_check_digit(base)
    elif t == "houjin_bango":
        base = f"{rng.randrange(10**12):012d}"
        value = identifiers.houjin_bango_check_digit(base) + base
    elif t in ("juminhyo_code", "atena_no", "setai_no", "postal_code"):
        width = {"juminhyo_code": 11, "atena_no": 12, "setai_no": 10, "postal_code": 7}[t]
        value = f"{rng.randrange(10**width):0{width}d}"
    elif t == "png_image":
        value = "iVBORw0KGgo="
    else:
        value = _text(rng, column.max_length)
    if column.max_length is not None:
        value = value[: column.max_length]
    return value


def pool(column: Column, seed: int, size: int = POOL) -> list[str]:
    """``size`` valid values of a one-cell column."""
    rng = random.Random(seed_of(seed, "pool", column.name))
    return [scalar(column, rng) for _ in range(size)]


def object_pool(
    type_id: str, seed: int, name: str, size: int = POOL, unknown_percent: int = 3
) -> list[dict[str, str]]:
    """``size`` valid objects of the common object type ``type_id`` (住所, 不詳日)."""
    rng = random.Random(seed_of(seed, "pool", name))
    if type_id == "partial_date":
        return [partial_date(rng, unknown_percent) for _ in range(size)]
    if type_id == "address":
        return [address(rng) for _ in range(size)]
    raise ValueError(f"no generator for object type {type_id!r}")
