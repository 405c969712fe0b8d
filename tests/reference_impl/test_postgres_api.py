"""The server's API tests again, on PostgreSQL: the same test bodies, with storage on PostgreSQL.

The tests imported below run twice: in their own modules on SQLite, and here, where ``demo_client``
and ``juki_client`` (and the fixtures built on them: ``admin``, ``register``, ``juki`` …) serve from
a fresh PostgreSQL schema (:mod:`pg_cluster`). Together they cover the core (commands, atomicity,
problems, audit), 住民基本台帳's commands and invariants, cursor pagination under concurrent writes,
``as_of``, ``updated_since``, ``Idempotency-Key`` and ``If-Match``. Skipped, with the reason, where
no PostgreSQL is available.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pg_cluster
import pytest
import ri_demo
from conftest import ADMIN, READER, TestClient, demo_settings

# Imported test functions are collected again here, with this module's fixtures.
from test_collections import (  # noqa: F401
    test_as_of_reads_the_history,
    test_filters_exact_and_prefix,
    test_item_etag_changes_with_each_write,
    test_nested_history_resource,
    test_pages_cover_every_item_once_in_key_order,
    test_pagination_limit_bounds,
    test_text_round_trips_code_point_for_code_point,
    test_updated_since_is_inclusive,
    test_walk_under_concurrent_inserts_neither_drops_nor_repeats,
)
from test_commands import (  # noqa: F401
    test_audit_log_pages_and_filters,
    test_audit_log_records_every_request,
    test_business_error_changes_nothing,
    test_command_answer_lists_affected_with_etags,
    test_idempotency_keys_are_per_client,
    test_idempotent_replay_returns_the_original_and_applies_nothing,
    test_if_match_mismatch_is_412_and_applies_nothing,
    test_if_match_on_a_missing_target_is_412,
    test_same_key_different_body_is_409,
)
from test_juki_households import (  # noqa: F401
    test_head_leaving_one_member_makes_them_head_ex_officio,
    test_if_match_on_the_household,
    test_numbers_are_unique_among_residents,
    test_setai_bunri,
    test_setai_gappei,
    test_setainushi_henko,
    test_shussei_joins_the_parents_household,
    test_tenkyo_alone_whole_and_head,
    test_tennyu_errors_change_nothing,
    test_tennyu_new_household_and_joining,
)
from test_juki_records import (  # noqa: F401
    juki,
    test_as_of_shows_the_resident_active_until_the_planned_date,
    test_filters_on_text_and_on_a_partial_date,
    test_shibou_with_unknown_date,
    test_shokken_shusei,
    test_tenshutsu_removes_then_kakutei_confirms,
    test_text_round_trips_through_juki,
)
from test_juki_stateful import machine_client, test_random_command_sequences_keep_the_invariants  # noqa: F401
from test_problems import (  # noqa: F401
    test_422_lists_every_problem_with_its_pointer,
    test_invalid_cursor_is_400,
    test_query_problems_are_listed_together,
    test_unknown_resource_is_404,
)

from reference_impl.app import create_app
from reference_impl.settings import Settings

# the PostgreSQL fixtures (pg_cluster), made available here
postgres_server = pg_cluster.postgres_server
postgres_url = pg_cluster.postgres_url


@pytest.fixture
def demo_client(tmp_path: Any, postgres_url: str) -> Iterator[TestClient]:
    """The demo server (as in conftest), storing in PostgreSQL."""
    settings = demo_settings(tmp_path, database_url=postgres_url)
    with TestClient(
        create_app(settings, schema_source=ri_demo.demo_schema_source), raise_server_exceptions=False
    ) as client:
        yield client


@pytest.fixture
def juki_client(postgres_url: str, juki_standards: Any) -> Iterator[TestClient]:
    """The 住民基本台帳 server (as in conftest), storing in PostgreSQL."""
    from reference_impl.operations import load_rules

    settings = Settings(
        database_url=postgres_url,
        clients=(ADMIN, READER),
        standards=juki_standards,
        rules=load_rules(["juki"]),
        audit_flush_seconds=0.05,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_the_server_really_stores_in_postgresql(demo_client: TestClient) -> None:
    """Guards the module's premise: the fixtures above are the ones these tests get."""
    assert demo_client.app.state.server.database.engine.dialect.name == "postgresql"
