"""A tiny standard (operation ``demo``) built directly with the model, for engine tests."""

from __future__ import annotations

from standards.model import (
    Api,
    Code,
    CodeList,
    Command,
    Entity,
    ErrorCase,
    Item,
    Label,
    Operation,
    Requirement,
    Resource,
    Specification,
    Standards,
    Target,
)

L = Label


def _items() -> tuple[Item, ...]:
    return (
        Item("person_no", L("個人番号", "Person number"), "string", required=True, read_only=True),
        Item("shimei", L("氏名", "Name"), "string", required=True, max_length=20),
        Item("seinengappi", L("生年月日", "Date of birth"), "date", required=True),
        Item("seibetsu", L("性別", "Sex"), "code", codelist="seibetsu"),
        Item("memo", L("備考", "Memo"), "string", max_length=30),
    )


def demo_standards() -> Standards:
    """The ``demo`` operation: people, a creating command and an updating command with a target."""
    person = Entity("person", L("人", "Person"), ("person_no",), _items())
    people = Resource("people", "/people", "person", "person_no", temporal=("as_of", "updated_since"))
    editable = tuple(i for i in _items() if not i.read_only)
    ido_bi = Item("ido_bi", L("異動日", "Date of change"), "date", required=True)
    register = Command("register", L("登録", "Register"), (*editable, ido_bi), creates="people")
    amend = Command(
        "amend",
        L("修正", "Amend"),
        (
            Item("person_no", L("個人番号", "Person number"), "string", required=True),
            Item("shimei", L("氏名", "Name"), "string", max_length=20),
            ido_bi,
        ),
        target=Target("people", "/person_no"),
        errors=("DEMO_PERSON_NOT_FOUND",),
    )
    op = Operation(
        id="demo",
        name=L("試験業務", "Demo operation"),
        version="1.0.0",
        specification=Specification("試験用仕様書"),
        entities=(person,),
        api=Api((people,), (register, amend), (ErrorCase("DEMO_PERSON_NOT_FOUND", 404, L("なし", "None")),)),
        requirements=(
            Requirement("DEMO-001", "must", L("登録できること", "Registers")),
            Requirement("DEMO-002", "option", L("任意機能", "An option")),
        ),
    )
    api = Operation(
        id="api",
        name=L("共通API", "Common API"),
        version="1.0.0",
        specification=Specification("kikan API conventions"),
        requirements=tuple(
            Requirement(f"API-{n:03d}", "must", L(f"要件{n}", f"Requirement {n}")) for n in range(1, 24)
        ),
    )
    seibetsu = CodeList(
        "seibetsu",
        L("性別", "Sex"),
        (Code("1", L("男", "Male")), Code("2", L("女", "Female")), Code("9", L("不明", "Unknown"))),
    )
    return Standards(types=(), codelists=(seibetsu,), api=api, operations=(op,))
