"""The local record of the user's deployments: SDL, manifest versions, dseq, leases, notes (one JSON file per network).

A redeploy or a manifest resend never depends on memory: the record is written before the deployment
is broadcast (state "creating") and after each step. Writes are atomic (app.fsutil) under an
inter-process lock, re-reading the file first so the app and the CLI never lose each other's changes.
A damaged file is moved aside (`*.bad-<time>`) and the store starts empty; a damaged entry is kept
verbatim in the file and skipped.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app import config
from app.fsutil import atomic_write_json
from app.market.reasons import ended_by_provider
from app.wallet.filelock import exclusive

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
CREATING, ACTIVE, CLOSED = "creating", "active", "closed"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class ManifestVersion:
    """One SDL as deployed: its text, the exact manifest JSON sent to providers and its sha256 (hex)."""

    sdl_text: str
    manifest_json: str
    version_hex: str
    saved_at: str = field(default_factory=now_iso)


@dataclass
class LeaseRecord:
    """A lease we accepted, and whether its provider has our manifest (and which version)."""

    gseq: int
    oseq: int
    provider: str
    bseq: int = 0
    host_uri: str = ""
    price: str = ""  # per block, decimal text
    denom: str = "uact"
    created_height: int = 0
    manifest_version_hex: str = ""  # the version the provider accepted ("" = not sent yet)
    manifest_sent_at: str = ""
    closed_at: str = ""
    close_reason: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.gseq, self.oseq, self.provider)


@dataclass
class DeploymentRecord:
    """Everything needed to resend a manifest or redeploy, keyed by (owner, dseq) on one network."""

    dseq: int
    owner: str
    network: str
    chain_id: str
    name: str = ""
    state: str = CREATING
    versions: list[ManifestVersion] = field(default_factory=list)  # oldest first
    deposit_uact: int = 0
    created_at: str = field(default_factory=now_iso)
    created_height: int = 0
    closed_at: str = ""
    close_reason: str = ""
    leases: list[LeaseRecord] = field(default_factory=list)
    notes: str = ""

    @property
    def current(self) -> ManifestVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def sdl_text(self) -> str:
        return self.current.sdl_text if self.current else ""

    @property
    def manifest_json(self) -> str:
        return self.current.manifest_json if self.current else ""

    def version(self, version_hex: str) -> ManifestVersion | None:
        """The manifest whose sha256 is `version_hex` (the on-chain hash decides which one to send)."""
        return next((v for v in reversed(self.versions) if v.version_hex == version_hex.lower()), None)

    def add_version(self, version: ManifestVersion) -> None:
        self.versions = [v for v in self.versions if v.version_hex != version.version_hex] + [version]

    def lease(self, gseq: int, oseq: int, provider: str) -> LeaseRecord | None:
        return next((le for le in self.leases if le.key == (gseq, oseq, provider)), None)

    def upsert_lease(self, lease: LeaseRecord) -> LeaseRecord:
        self.leases = [le for le in self.leases if le.key != lease.key] + [lease]
        return lease

    @property
    def providers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(le.provider for le in self.leases))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Any) -> DeploymentRecord:
        """Raises ValueError / TypeError / KeyError for an entry that is not a record."""
        if not isinstance(raw, dict):
            raise TypeError("not an object")
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in raw.items() if k in known}
        data["versions"] = [ManifestVersion(**_known(ManifestVersion, v)) for v in raw.get("versions") or []]
        data["leases"] = [LeaseRecord(**_known(LeaseRecord, v)) for v in raw.get("leases") or []]
        record = cls(**data)
        if not isinstance(record.dseq, int) or isinstance(record.dseq, bool) or record.dseq <= 0:
            raise ValueError(f"bad dseq {record.dseq!r}")
        if not isinstance(record.owner, str) or not record.owner:
            raise ValueError("no owner")
        return record


def _known(cls: type, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise TypeError("not an object")
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


@dataclass(frozen=True)
class ProviderHistory:
    """Our own past with a provider, from the local records."""

    provider: str
    leases: int
    active: int
    closed_by_provider: int  # ended by the provider itself (unstable, decommission, unspecified)
    last_lease_at: str

    def summary(self) -> str:
        if not self.leases:
            return "never used"
        text = f"{self.leases} lease{'s' if self.leases != 1 else ''}"
        if self.active:
            text += f", {self.active} running"
        if self.closed_by_provider:
            text += f", {self.closed_by_provider} ended by the provider"
        return text


class RecordStore:
    """The deployments file of one network. Every mutation is lock + re-read + change + atomic write."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problems: list[str] = []  # what happened to damaged files/entries, for the UI to show once

    @classmethod
    def for_network(cls, network: config.Network, root: Path | None = None) -> RecordStore:
        base = Path(root) if root is not None else config.data_dir() / "tenant"
        name = f"deployments-{_SAFE.sub('_', network.key)}-{_SAFE.sub('_', network.chain_id)}.json"
        return cls(base / name)

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    # -- reading ---------------------------------------------------------------------------------------
    def _load(self) -> tuple[list[DeploymentRecord], list[Any]]:
        """(records, damaged raw entries). A damaged file is moved aside and reads as empty."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return [], []
        except OSError as exc:
            raise OSError(f"cannot read the deployment records {self.path}: {exc.strerror or exc}") from exc
        try:
            raw = json.loads(data.decode("utf-8"))
            if not isinstance(raw, dict) or not isinstance(raw.get("deployments"), list):
                raise ValueError("not a records file")
            version = raw.get("version")
            if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= SCHEMA_VERSION:
                raise ValueError(f"unknown schema version {version!r}")
        except (UnicodeDecodeError, ValueError) as exc:
            self._keep_aside(str(exc))
            return [], []
        records, damaged = [], []
        for entry in raw["deployments"]:
            try:
                records.append(DeploymentRecord.from_json(entry))
            except (TypeError, ValueError, KeyError) as exc:
                log.error("records: a damaged entry in %s was skipped (kept in the file): %s", self.path, exc)
                damaged.append(entry)
        for entry in raw.get("damaged") or []:
            damaged.append(entry)
        if damaged:
            self._note(f"{len(damaged)} damaged entr{'y' if len(damaged) == 1 else 'ies'} in {self.path.name} "
                       "could not be read; they are kept in the file untouched")
        return records, damaged

    def _keep_aside(self, reason: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            self.path.replace(aside)
        except OSError as exc:
            raise OSError(f"the deployment records {self.path} are damaged ({reason}) and could not be moved "
                          f"aside: {exc}") from exc
        log.error("records: %s is damaged (%s); kept it as %s and started an empty file", self.path, reason, aside)
        self._note(f"the deployment records were damaged ({reason}); the old file was kept as {aside.name}")

    def _note(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def all(self) -> list[DeploymentRecord]:
        """Every record, newest dseq first."""
        with exclusive(self._lock_path):
            records, _ = self._load()
        return sorted(records, key=lambda r: r.dseq, reverse=True)

    def get(self, owner: str, dseq: int) -> DeploymentRecord | None:
        return next((r for r in self.all() if r.owner == owner and r.dseq == int(dseq)), None)

    def of_owner(self, owner: str) -> list[DeploymentRecord]:
        return [r for r in self.all() if r.owner == owner]

    # -- writing ---------------------------------------------------------------------------------------
    def _save(self, records: list[DeploymentRecord], damaged: list[Any]) -> None:
        body: dict[str, Any] = {"version": SCHEMA_VERSION,
                                "deployments": [r.to_json() for r in sorted(records, key=lambda r: r.dseq)]}
        if damaged:
            body["damaged"] = damaged
        atomic_write_json(self.path, body)

    def put(self, record: DeploymentRecord) -> DeploymentRecord:
        """Insert or replace the record of (owner, dseq)."""
        with exclusive(self._lock_path):
            records, damaged = self._load()
            records = [r for r in records if (r.owner, r.dseq) != (record.owner, record.dseq)] + [record]
            self._save(records, damaged)
        return record

    def mutate(self, owner: str, dseq: int, change: Callable[[DeploymentRecord], None],
               create: Callable[[], DeploymentRecord] | None = None) -> DeploymentRecord | None:
        """Apply `change` to the stored record (made by `create` when missing); None when there is none."""
        with exclusive(self._lock_path):
            records, damaged = self._load()
            record = next((r for r in records if r.owner == owner and r.dseq == int(dseq)), None)
            if record is None:
                if create is None:
                    return None
                record = create()
                records.append(record)
            change(record)
            self._save(records, damaged)
        return record

    def annotate(self, owner: str, dseq: int, *, name: str | None = None,
                 notes: str | None = None) -> DeploymentRecord | None:
        """Rename a deployment or change its notes (what the person calls it and remembers about it)."""

        def change(r: DeploymentRecord) -> None:
            if name is not None:
                r.name = name.strip()
            if notes is not None:
                r.notes = notes

        return self.mutate(owner, dseq, change)

    def remove(self, owner: str, dseq: int) -> bool:
        with exclusive(self._lock_path):
            records, damaged = self._load()
            kept = [r for r in records if (r.owner, r.dseq) != (owner, int(dseq))]
            if len(kept) == len(records):
                return False
            self._save(kept, damaged)
        return True

    # -- derived ---------------------------------------------------------------------------------------
    def provider_history(self, owner: str = "") -> dict[str, ProviderHistory]:
        """Per provider: how many of our leases it ran, how many run now, how many it ended itself."""
        stats: dict[str, list[Any]] = {}
        for record in self.all():
            if owner and record.owner != owner:
                continue
            for lease in record.leases:
                s = stats.setdefault(lease.provider, [0, 0, 0, ""])
                s[0] += 1
                if not lease.closed_at and record.state != CLOSED:
                    s[1] += 1
                elif ended_by_provider(lease.close_reason):
                    s[2] += 1
                s[3] = max(s[3], record.created_at)
        return {p: ProviderHistory(p, *s) for p, s in stats.items()}
