"""The local deployment records: atomic writes, survive damaged files and entries, concurrent writers, history."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from app import config
from app.market.records import (
    ACTIVE,
    CLOSED,
    DeploymentRecord,
    LeaseRecord,
    ManifestVersion,
    RecordStore,
)

OWNER = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"


def record(dseq: int, **kw) -> DeploymentRecord:
    return DeploymentRecord(dseq, OWNER, "local", "localnet-1", f"app {dseq}",
                            versions=[ManifestVersion("version: '2.0'", '[{"name":"g"}]', "ab" * 32)], **kw)


def test_one_file_per_network_under_the_data_dir() -> None:
    store = RecordStore.for_network(config.local_network())
    assert store.path == config.data_dir() / "tenant" / "deployments-local-localnet-1.json"
    assert RecordStore.for_network(config.MAINNET).path.name == "deployments-mainnet-akashnet-2.json"


def test_round_trip_and_private_atomic_file(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "r.json")
    assert store.all() == []
    r = record(10)
    r.upsert_lease(LeaseRecord(1, 1, "akash1prov", host_uri="https://p:8443", price="12.5"))
    store.put(r)
    again = RecordStore(tmp_path / "r.json").get(OWNER, 10)
    assert again == r
    assert again.manifest_json == '[{"name":"g"}]' and again.sdl_text == "version: '2.0'"
    assert os.stat(tmp_path / "r.json").st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.json")] == []  # no temp file left
    assert json.loads((tmp_path / "r.json").read_text())["version"] == 1


def test_versions_by_hash_and_mutate(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "r.json")
    store.put(record(10))
    new = ManifestVersion("v2", "[]", "cd" * 32)

    def update(r: DeploymentRecord) -> None:
        r.add_version(new)
        r.state = ACTIVE

    store.mutate(OWNER, 10, update)
    got = store.get(OWNER, 10)
    assert got.current == new and got.version("AB" * 32).sdl_text == "version: '2.0'"
    assert got.version("ef" * 32) is None
    assert store.mutate(OWNER, 99, update) is None
    made = store.mutate(OWNER, 99, update, create=lambda: record(99))
    assert made.state == ACTIVE and store.get(OWNER, 99).current == new
    assert store.remove(OWNER, 99) and not store.remove(OWNER, 99)
    store.annotate(OWNER, 10, name="  blog  ", notes="moved from provider X")
    assert (store.get(OWNER, 10).name, store.get(OWNER, 10).notes) == ("blog", "moved from provider X")
    assert store.annotate(OWNER, 12345, name="x") is None


def test_a_damaged_file_is_kept_aside_and_the_store_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"version": 1, "deployments": [ {"dseq": 1,')
    store = RecordStore(path)
    assert store.all() == []
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("r.json.bad-")]
    assert len(aside) == 1 and aside[0].read_text().startswith('{"version": 1')
    assert "kept as" in store.problems[0]
    store.put(record(5))
    assert [r.dseq for r in RecordStore(path).all()] == [5]


def test_unknown_schema_version_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"version": 99, "deployments": []}))
    assert RecordStore(path).all() == []
    assert any(p.name.startswith("r.json.bad-") for p in tmp_path.iterdir())


def test_a_damaged_entry_is_skipped_and_preserved(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    good = record(7).to_json()
    path.write_text(json.dumps({"version": 1, "deployments": [good, {"dseq": "seven"}, 42]}))
    store = RecordStore(path)
    assert [r.dseq for r in store.all()] == [7]
    assert "2 damaged entries" in store.problems[0]
    store.put(record(8))
    kept = json.loads(path.read_text())
    assert kept["damaged"] == [{"dseq": "seven"}, 42]
    assert [d["dseq"] for d in kept["deployments"]] == [7, 8]


def test_two_writers_never_lose_each_others_records(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    stores = [RecordStore(path), RecordStore(path)]

    def write(i: int) -> None:
        for n in range(15):
            stores[i % 2].put(record(1000 * (i + 1) + n))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(RecordStore(path).all()) == 60


def test_provider_history_from_our_leases(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "r.json")
    a = record(1, state=ACTIVE)
    a.upsert_lease(LeaseRecord(1, 1, "akash1good"))
    b = record(2, state=CLOSED)
    b.upsert_lease(LeaseRecord(1, 1, "akash1good", closed_at="x", close_reason="lease_closed_owner"))
    b.upsert_lease(LeaseRecord(2, 1, "akash1flaky", closed_at="x", close_reason="lease_closed_reason_unstable"))
    c = DeploymentRecord(3, "akash1someoneelse", "local", "localnet-1")
    c.upsert_lease(LeaseRecord(1, 1, "akash1flaky"))
    for r in (a, b, c):
        store.put(r)
    history = store.provider_history(OWNER)
    assert (history["akash1good"].leases, history["akash1good"].active) == (2, 1)
    assert history["akash1flaky"].closed_by_provider == 1
    assert history["akash1flaky"].summary() == "1 lease, 1 ended by the provider"
    assert history["akash1good"].summary() == "2 leases, 1 running"
    assert store.provider_history()["akash1flaky"].leases == 2  # any owner
