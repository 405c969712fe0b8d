"""The client: tokens, refresh, retries of idempotent reads only, and redaction of every secret."""

from __future__ import annotations

import json

import pytest
from fake_target import CLIENT, FakeTarget

from conformance.client import Client, Credentials, TransportError
from conformance.exchange import Request, Response
from conformance.reproduce import curl
from conformance.testing import AsgiTransport

SECRET = CLIENT[1]


def test_evidence_and_curl_never_show_secrets() -> None:
    target = FakeTarget()
    client = Client("http://testserver", AsgiTransport(target.app), Credentials(*CLIENT))
    ex = client.get("/demo/v1/people", scope="demo:read")
    assert ex.response is not None and ex.response.status == 200
    token = next(iter(target.tokens))
    dumped = json.dumps([e.evidence() for e in client.exchanges], ensure_ascii=False)
    lines = [curl(e.request) for e in client.exchanges]
    for text in [dumped, *lines]:
        assert token not in text
        assert SECRET not in text
        assert "[REDACTED]" in text
    token_exchange = client.exchanges[0].evidence()
    assert token_exchange["request"]["headers"]["Authorization"] == "Basic [REDACTED]"
    assert json.loads(token_exchange["response"]["body"])["access_token"] == "[REDACTED]"


def test_secrets_in_bodies_and_queries_are_redacted() -> None:
    request = Request(
        "POST",
        "http://x/oauth/token?client_secret=s3cr3t&a=1",
        {"Cookie": "sid=abc", "Content-Type": "application/x-www-form-urlencoded"},
        b"grant_type=client_credentials&client_id=me&client_secret=s3cr3t",
    )
    line = curl(request)
    assert "s3cr3t" not in line and "sid=abc" not in line
    assert "client_id=me" in line and "a=1" in line


def test_token_is_fetched_again_once_after_401() -> None:
    target = FakeTarget()
    client = Client("http://testserver", AsgiTransport(target.app), Credentials(*CLIENT))
    client.get("/demo/v1/people")
    target.tokens.clear()  # the target forgets every token: they "expired"
    ex = client.get("/demo/v1/people")
    assert ex.response is not None and ex.response.status == 200
    assert [e.request.url.rsplit("/", 1)[-1] for e in client.exchanges].count("token") == 2


class Flaky:
    """Fails the first ``failures`` sends with a connection error."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def send(self, request: Request, timeout: float) -> Response:
        self.calls += 1
        if self.calls <= self.failures:
            raise TransportError("ConnectionError: refused")
        return Response(200, {}, b"{}")


def test_reads_are_retried_on_connection_errors_but_writes_are_not() -> None:
    flaky = Flaky(2)
    client = Client("http://x", flaky, Credentials(token="t"), retries=2, retry_pause=0)
    assert client.get("/r").response.status == 200  # type: ignore[union-attr]
    assert flaky.calls == 3
    flaky = Flaky(1)
    client = Client("http://x", flaky, Credentials(token="t"), retries=2, retry_pause=0)
    with pytest.raises(TransportError):
        client.post("/c", json={})
    assert flaky.calls == 1
    assert client.exchanges[-1].error is not None


def test_the_exchange_log_is_bounded_by_bytes_and_keeps_the_latest() -> None:
    """A run reading large pages keeps no more than the log's byte budget, the newest exchanges kept."""
    from conformance.client import LOG_KEEP, ExchangeLog
    from conformance.exchange import Exchange, Request, Response

    log = ExchangeLog(size=1000, max_bytes=5_000_000)
    page = b"x" * 100_000
    for i in range(200):
        log.append(Exchange(Request("GET", f"http://t/p{i}"), Response(200, {}, page)))
    kept = list(log)
    assert len(log) == 200  # positions still count every exchange
    assert sum(len(e.response.body) for e in kept if e.response) <= 5_000_000
    assert kept[-1].request.url == "http://t/p199" and len(kept) == 50
    assert [e.request.url for e in log.since(195)] == [f"http://t/p{i}" for i in range(195, 200)]
    huge = ExchangeLog(size=1000, max_bytes=10)  # even over the budget, a check's own evidence stays
    for i in range(LOG_KEEP + 5):
        huge.append(Exchange(Request("GET", f"http://t/{i}"), Response(200, {}, page)))
    assert len(list(huge)) == LOG_KEEP
