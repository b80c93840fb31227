"""A simulated provider's workloads on disk (one JSON file, written atomically): the manifests it accepted and
what each lease runs, so running leases keep their status, logs and events across node restarts."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.fsutil import atomic_write_json

if TYPE_CHECKING:
    from app.localnet.providers.workloads import Cluster

log = logging.getLogger(__name__)
FORMAT = 1


def save(cluster: Cluster, path: Path) -> None:
    manifests = [{"owner": o, "dseq": d, "groups": m["groups"], "hash": base64.b64encode(m["hash"]).decode(),
                  "at": m["at"]} for (o, d), m in cluster.manifests.items()]
    runs = [{"owner": r.owner, "dseq": r.dseq, "gseq": r.gseq, "oseq": r.oseq, "group": r.group,
             "generation": r.generation, "started_at": r.started_at} for r in cluster.runs.values()]
    atomic_write_json(path, {"format": FORMAT, "manifests": manifests, "runs": runs})


def load(cluster: Cluster, path: Path) -> None:
    """Fill `cluster` from its file; a missing file is an empty cluster, a damaged one is logged and skipped
    (the provider then treats the leases as having no manifest, as a real one that lost its state would)."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        log.warning("provider state %s unreadable (%s): starting without workloads", path, exc)
        return
    try:
        _fill(cluster, data)
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        cluster.manifests.clear()
        cluster.runs.clear()
        log.warning("provider state %s damaged (%s): starting without workloads", path, exc)


def _fill(cluster: Cluster, data: dict[str, Any]) -> None:
    from app.localnet.providers.workloads import LeaseRun

    if data.get("format") != FORMAT:
        raise ValueError(f"unknown format {data.get('format')!r}")
    for m in data["manifests"]:
        cluster.manifests[(m["owner"], int(m["dseq"]))] = {"groups": m["groups"], "hash": base64.b64decode(m["hash"]),
                                                            "at": float(m["at"])}
    for r in data["runs"]:
        key = (r["owner"], int(r["dseq"]), int(r["gseq"]), int(r["oseq"]))
        cluster.runs[key] = LeaseRun(*key, cluster.provider, r["group"], cluster.hostname,
                                     generation=int(r["generation"]), started_at=float(r["started_at"]))
