"""SQLite persistence of the local node: state, blocks, tx results and the tx event index, one transaction per block."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kv (bucket TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                               PRIMARY KEY (bucket, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, header TEXT NOT NULL, txs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS txs (hash TEXT PRIMARY KEY, height INTEGER NOT NULL, idx INTEGER NOT NULL,
                                tx_bytes BLOB NOT NULL, result TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tx_events (key TEXT NOT NULL, value TEXT NOT NULL, height INTEGER NOT NULL,
                                      idx INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS tx_events_kv ON tx_events (key, value, height, idx);
CREATE INDEX IF NOT EXISTS txs_pos ON txs (height, idx);
"""

DB_NAME = "localnet.sqlite"


class StoreError(Exception):
    """The data directory cannot be used (unreadable, another chain id, newer schema)."""


class Store:
    """The node's database. WAL mode: a kill at any moment leaves the last committed block intact."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_NAME
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the local node database {self.path}: {exc}") from exc

    @staticmethod
    def reset(data_dir: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)

    def close(self) -> None:
        self.db.close()

    # -- meta --
    def meta(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def load_state(self) -> dict[str, dict[str, str]]:
        buckets: dict[str, dict[str, str]] = {}
        for bucket, key, value in self.db.execute("SELECT bucket, key, value FROM kv"):
            buckets.setdefault(bucket, {})[key] = value
        return buckets

    # -- the one write path --
    def commit_block(
        self,
        meta: dict[str, Any],
        dirty: dict[tuple[str, str], str | None],
        block: dict[str, Any] | None,
        txs: list[dict[str, Any]],
    ) -> None:
        """Write a block, its tx results, its event index and the state it changed, atomically."""
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in meta.items()],
            )
            upserts = [(b, k, v) for (b, k), v in dirty.items() if v is not None]
            deletes = [(b, k) for (b, k), v in dirty.items() if v is None]
            if upserts:
                cur.executemany("INSERT OR REPLACE INTO kv (bucket, key, value) VALUES (?, ?, ?)", upserts)
            if deletes:
                cur.executemany("DELETE FROM kv WHERE bucket = ? AND key = ?", deletes)
            if block is not None:
                cur.execute(
                    "INSERT INTO blocks (height, header, txs) VALUES (?, ?, ?)",
                    (block["height"], json.dumps(block["header"]), json.dumps(block["txs"])),
                )
            for tx in txs:
                cur.execute(
                    "INSERT OR REPLACE INTO txs (hash, height, idx, tx_bytes, result) VALUES (?, ?, ?, ?, ?)",
                    (tx["hash"], tx["height"], tx["index"], tx["tx_bytes"], json.dumps(tx["result"])),
                )
                cur.executemany(
                    "INSERT INTO tx_events (key, value, height, idx) VALUES (?, ?, ?, ?)",
                    [(k, v, tx["height"], tx["index"]) for k, v in tx["index_keys"]],
                )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    # -- reads --
    def block(self, height: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT header, txs FROM blocks WHERE height = ?", (height,)).fetchone()
        if row is None:
            return None
        return {"height": height, "header": json.loads(row[0]), "txs": json.loads(row[1])}

    def tx(self, txhash: str) -> tuple[bytes, dict[str, Any]] | None:
        row = self.db.execute("SELECT tx_bytes, result FROM txs WHERE hash = ?", (txhash.upper(),)).fetchone()
        return None if row is None else (bytes(row[0]), json.loads(row[1]))

    def search_txs(
        self, conditions: list[tuple[str, str, str]], desc: bool, offset: int, limit: int
    ) -> tuple[int, list[tuple[bytes, dict[str, Any]]]]:
        """Txs matching every (key, op, value) condition; `tx.height` compares numbers. (total, page)."""
        clauses: list[str] = []
        args: list[Any] = []
        for key, op, value in conditions:
            if key == "tx.height":
                clauses.append(f"t.height {op} ?")
                args.append(int(value))
            elif key == "tx.hash":
                clauses.append("t.hash = ?")
                args.append(value.upper())
            else:
                clauses.append(
                    "EXISTS (SELECT 1 FROM tx_events e WHERE e.key = ? AND e.value = ? "
                    "AND e.height = t.height AND e.idx = t.idx)"
                )
                args += [key, value]
        where = " AND ".join(clauses) or "1"
        total = self.db.execute(f"SELECT COUNT(*) FROM txs t WHERE {where}", args).fetchone()[0]
        order = "DESC" if desc else "ASC"
        rows = self.db.execute(
            f"SELECT tx_bytes, result FROM txs t WHERE {where} ORDER BY t.height {order}, t.idx {order} "
            "LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        return total, [(bytes(r[0]), json.loads(r[1])) for r in rows]
