"""A juki session whose accepted commands also reach other operations' oracles.

Suites of operations that depend on 住民基本台帳 (印鑑登録, 選挙人名簿管理, the cross-operation
scenarios) make their people with :class:`LinkedJuki`: a :class:`~conformance.suites.juki.support.JukiSession`
that shares its owner's evidence and problems, keeps a :class:`~conformance.suites.juki.residents.ResidentLedger`
of dated facts, and tells every follower what each accepted juki command changed (the effects each
operation's ``effects.yaml`` states, applied by that operation's oracle).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from conformance.exchange import Exchange
from conformance.suites.juki.residents import ResidentLedger
from conformance.suites.juki.support import JukiSession, today

if TYPE_CHECKING:
    from conformance.context import RunContext
    from conformance.session import OperationSession


class Follower(Protocol):
    """An oracle that applies the effects of juki commands on its operation."""

    def follow_juki(
        self, command: str, body: dict[str, Any], changed: list[str], ledger: ResidentLedger
    ) -> None: ...


class LinkedJuki(JukiSession):
    """Juki commands for another operation's test: one evidence list, one problem list, effects followed."""

    def __init__(
        self,
        ctx: RunContext,
        salt: int | str,
        owner: OperationSession,
        followers: list[Follower] | None = None,
        ledger: ResidentLedger | None = None,
    ) -> None:
        super().__init__(ctx, salt)
        self.owner = owner
        self.exchanges = owner.exchanges
        self.problems = owner.problems
        self.ledger = ledger or ResidentLedger()
        self.followers = list(followers or ())

    def note(self, problem: str, exchange: Any = None, *, requirement: str | None = None) -> None:
        """Problems go to the owning session, so its one failure carries them all."""
        self.owner.note(problem, exchange, requirement=requirement)

    def fail_if(
        self,
        ja: str,
        en: str,
        *,
        check: str = "juki_oracle",
        example: Any = None,
        requirements: tuple[str, ...] = (),
    ) -> None:
        """Fail through the owning session."""
        self.owner.fail_if(ja, en, check=check, example=example, requirements=requirements)

    def before_command(self, command: str, body: dict[str, Any]) -> Any:
        """The residents as they were, for the ledger to see what the command changed."""
        return self.ledger.before(self.oracle.residents)

    def accepted(
        self, command: str, body: dict[str, Any], keys: dict[str, list[str]], ex: Exchange, prepared: Any
    ) -> dict[str, list[str]] | None:
        """The juki oracle follows; then the ledger and the dependent operations' followers."""
        followed = super().accepted(command, body, keys, ex, prepared)
        if followed is not None:
            changed = self.ledger.observe(command, body, prepared, self.oracle.residents)
            for follower in self.followers:
                follower.follow_juki(command, body, changed, self.ledger)
        return followed

    def person_born(
        self,
        birth: dt.date,
        *,
        since: dt.date | None = None,
        foreign: bool = False,
        setai_no: str | None = None,
        **items: Any,
    ) -> str | None:
        """A resident born on ``birth``, moved in (転入) on ``since`` (default a year ago); their atena_no.

        With ``setai_no`` the person joins that household; ``items`` replace resident items of the body.
        """
        moved = since or max(birth, today() - dt.timedelta(days=365))
        jusho = self.oracle.households[setai_no].jusho if setai_no else None
        body = self.tennyu_body(
            setai_no=setai_no, jusho=jusho, foreign=foreign, zokugara=self.relation(0) if setai_no else None
        )
        body.update(
            seinengappi={"date": birth.isoformat()}, ido_bi=moved.isoformat(), todoke_bi=moved.isoformat()
        )
        body.update(items)
        keys = self.run("tennyu", body)
        if not keys or not keys.get("residents"):
            return None
        return body.get("zen_atena_no") or keys["residents"][0]
