"""One root cause seen by many tests is one group: a server that sends no ETag."""

from __future__ import annotations

from faulty import Fault, reference_app, run


def _drop_etag(ex) -> None:
    ex.response_headers = [(k, v) for k, v in ex.response_headers or [] if k.lower() != b"etag"]


def test_a_missing_etag_seen_by_several_tests_is_one_group(tmp_path) -> None:
    app = Fault(reference_app(tmp_path), after=_drop_etag)
    result = run(app, ["common/test_commands.py::test_if_match_precondition"], tmp_path / "out")
    failed = [t for t in result.report["tests"] if t["outcome"] == "failed"]
    assert len(failed) >= 2, [t["id"] for t in result.report["tests"]]
    groups = [g for g in result.report["failure_groups"] if g["outcome"] == "failed"]
    assert len(groups) == 1, groups
    (group,) = groups
    assert group["count"] == len(failed) and sorted(group["tests"]) == sorted(t["id"] for t in failed)
    assert group["requirements"] == ["API-015"] and group["check"] == "if_match_precondition"
    assert "no ETag" in group["message"]
