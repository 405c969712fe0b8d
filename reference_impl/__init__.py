"""The reference implementation: a Starlette server implementing every standard as written.

Imports ``standards`` only; never ``conformance`` or ``reports``. Start it with ``kikan serve``
(or :func:`reference_impl.app.create_app` in process). Modules:

- ``app``: the application factory and the error guard (no exception leaks as internals);
- ``settings``: database URL, OAuth clients, token lifetime, audit batching;
- ``auth``: OAuth 2.0 client credentials, bearer tokens (hashed, cached), scopes;
- ``problems``: RFC 9457 responses with the standards' error codes and titles;
- ``storage``: engine set-up and the tables derived from each operation's entities (one per
  entity plus its history), created or upgraded on start;
- ``records``: reading and writing records with versions (ETags) and history snapshots;
- ``reads``: the hot reads compiled once and run on a raw pooled connection;
- ``routes``: collections (cursor pagination, filters, ``as_of``, ``updated_since``), single
  items with ``ETag``, nested resources, and the command endpoints;
- ``commands``: the command pipeline (idempotency, ``If-Match``, one transaction, audit row);
- ``effects``: cross-operation effects (``effects.yaml``), bound at start-up to the rules modules'
  ``EFFECTS`` handlers and applied in the command's transaction;
- ``validation``: request validators prepared once from the compiled request schemas;
- ``temporal``, ``pagination``, ``web``: timestamps and ``as_of``, cursors, JSON helpers;
- ``audit``: the audit log and ``GET /audit/events``;
- ``views``: computed resources a rules module assembles on the date asked (``VIEWS``, e.g. the
  印鑑登録証明書);
- ``operations``: the registry of rules modules, one per operation (``operations/juki*.py``); a
  dependent operation reads the 住民基本台帳 through ``operations/juki/reads.py``.

Trade-offs, chosen for speed without losing what matters:

- audit rows of reads are batched by a background flusher (a hard crash may lose the last
  fraction of a second of read events); a command's audit row is written in its own transaction;
- on SQLite, writers queue on one in-process lock (``BEGIN IMMEDIATE``, ``synchronous=FULL``), and
  reads run on the event loop (WAL readers never wait for writers); on PostgreSQL, writers queue on
  one transaction-scoped advisory lock (across server processes too), so the rules modules'
  read-check-write runs exactly as on SQLite, and reads run in the thread pool;
- an ``Idempotency-Key`` stores only the answer of an applied command; a rejected command changed
  nothing and is evaluated afresh when retried.
"""
