"""A simulated provider cluster: the manifests it accepted and what each lease runs (replicas, URIs, ports, IPs)."""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.localnet.providers import clusterstore
from app.localnet.providers.loglines import LogSource

READY_AFTER_S = 2.0  # replicas become ready this long after the manifest arrives
NODE_PORT_BASE = 30000


def lease_namespace(owner: str, dseq: int, gseq: int, oseq: int, provider: str) -> str:
    """The lease's kube namespace (the provider names it from a hash of the lease id)."""
    digest = hashlib.sha256(f"{owner}/{dseq}/{gseq}/{oseq}/{provider}".encode()).digest()
    return base64.b32encode(digest).decode().lower().rstrip("=")[:45]


@dataclass
class Pod:
    service: str
    name: str
    image: str
    logs: LogSource


@dataclass
class LeaseRun:
    """One lease's group as the cluster runs it."""

    owner: str
    dseq: int
    gseq: int
    oseq: int
    provider: str
    group: dict[str, Any]
    hostname: str
    generation: int = 1
    started_at: float = field(default_factory=time.time)
    pods: list[Pod] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.deploy(self.group, self.started_at)

    @property
    def namespace(self) -> str:
        return lease_namespace(self.owner, self.dseq, self.gseq, self.oseq, self.provider)

    def deploy(self, group: dict[str, Any], at: float) -> None:
        """(Re)deploy the group's services: new pods, a new generation when the manifest changed."""
        if self.pods:
            self.generation += 1
        self.group, self.started_at = group, at
        self.pods = []
        for s in group["services"] or []:
            rs = hashlib.sha256(f"{self.namespace}/{s['name']}/{self.generation}".encode()).hexdigest()[:9]
            for i in range(s["count"]):
                suffix = hashlib.sha256(f"{rs}/{i}".encode()).hexdigest()[:5]
                name = f"{s['name']}-{rs}-{suffix}"
                self.pods.append(Pod(s["name"], name, s["image"], LogSource(s["image"], name, at + 1.0 + i * 0.3)))

    def services(self) -> list[dict[str, Any]]:
        return self.group["services"] or []

    def service_status(self, service: dict[str, Any], now: float) -> dict[str, Any]:
        ready = service["count"] if now - self.started_at >= READY_AFTER_S else 0
        uris = self.uris(service)
        return {"name": service["name"], "available": ready, "total": service["count"], "uris": uris or None,
                "observed_generation": self.generation, "replicas": service["count"],
                "updated_replicas": service["count"], "ready_replicas": ready, "available_replicas": ready}

    def uris(self, service: dict[str, Any]) -> list[str]:
        """Hosts of the service's HTTP ingress: the accepted hosts plus the provider-generated one."""
        out: list[str] = []
        for e in service["expose"] or []:
            if e["global"] and e["proto"] in ("TCP", "") and (e["externalPort"] or e["port"]) == 80 and not e["ip"]:
                for h in (e["hosts"] or []):
                    if h not in out:
                        out.append(h)
                token = base64.b32encode(hashlib.sha256(f"{self.namespace}/{service['name']}".encode()).digest())
                generated = f"{token.decode().lower()[:26]}.ingress.{self.hostname}"
                if generated not in out:
                    out.append(generated)
        return out

    def forwarded_ports(self) -> dict[str, list[dict[str, Any]]] | None:
        out: dict[str, list[dict[str, Any]]] = {}
        for s in self.services():
            for e in s["expose"] or []:
                external = e["externalPort"] or e["port"]
                if e["global"] and not e["ip"] and not (e["proto"] in ("TCP", "") and external == 80):
                    digest = hashlib.sha256(f"{self.namespace}/{s['name']}/{e['port']}".encode()).digest()
                    out.setdefault(s["name"], []).append({
                        "host": self.hostname, "port": e["port"],
                        "externalPort": NODE_PORT_BASE + int.from_bytes(digest[:2], "big") % 2768,
                        "proto": e["proto"] or "TCP", "name": s["name"]})
        return out or None

    def leased_ips(self) -> dict[str, list[dict[str, Any]]] | None:
        out: dict[str, list[dict[str, Any]]] = {}
        for s in self.services():
            for e in s["expose"] or []:
                if e["ip"]:
                    digest = hashlib.sha256(f"{self.namespace}/{e['ip']}".encode()).digest()
                    out.setdefault(s["name"], []).append({
                        "Port": e["port"], "ExternalPort": e["externalPort"] or e["port"],
                        "Protocol": e["proto"] or "TCP", "IP": f"203.0.113.{1 + digest[0] % 254}"})
        return out or None

    def status(self, now: float) -> dict[str, Any]:
        """apclient.LeaseStatus."""
        return {"services": {s["name"]: self.service_status(s, now) for s in self.services()},
                "forwarded_ports": self.forwarded_ports(), "ips": self.leased_ips()}

    def events(self) -> list[dict[str, Any]]:
        """The kube events of the pods' start-up, oldest first."""
        out = []
        for p in self.pods:
            obj = {"kind": "Pod", "namespace": self.namespace, "name": p.name}
            node = f"node-{int(hashlib.sha256(p.name.encode()).hexdigest(), 16) % 3 + 1}"
            out += [
                {"type": "Normal", "reportingController": "default-scheduler", "reportingInstance": "",
                 "reason": "Scheduled", "note": f"Successfully assigned {self.namespace}/{p.name} to {node}",
                 "object": obj},
                {"type": "Normal", "reportingController": "kubelet", "reportingInstance": node, "reason": "Pulling",
                 "note": f'Pulling image "{p.image}"', "object": obj},
                {"type": "Normal", "reportingController": "kubelet", "reportingInstance": node, "reason": "Pulled",
                 "note": f'Successfully pulled image "{p.image}" in 2.481s (2.481s including waiting)',
                 "object": obj},
                {"type": "Normal", "reportingController": "kubelet", "reportingInstance": node, "reason": "Created",
                 "note": f"Created container {p.service}", "object": obj},
                {"type": "Normal", "reportingController": "kubelet", "reportingInstance": node, "reason": "Started",
                 "note": f"Started container {p.service}", "object": obj},
            ]
        return out


class Cluster:
    """The provider's view of its workloads: accepted manifests per deployment, runs per lease; kept in
    `state_file` (when given) after every change, as a real provider's cluster outlives its restarts."""

    def __init__(self, provider: str, hostname: str, state_file: Path | None = None) -> None:
        self.provider = provider
        self.hostname = hostname
        self.state_file = state_file
        self.manifests: dict[tuple[str, int], dict[str, Any]] = {}  # (owner, dseq) -> {"groups", "hash", "at"}
        self.runs: dict[tuple[str, int, int, int], LeaseRun] = {}
        if state_file is not None:
            clusterstore.load(self, state_file)

    def _saved(self) -> None:
        if self.state_file is not None:
            clusterstore.save(self, self.state_file)

    def accept(self, owner: str, dseq: int, groups: list[dict[str, Any]], version: bytes,
               leases: list[dict[str, Any]]) -> None:
        """Deploy each leased group of the manifest (a new version redeploys the running ones)."""
        now = time.time()
        self.manifests[(owner, dseq)] = {"groups": groups, "hash": version, "at": now}
        by_name = {g["name"]: g for g in groups}
        for lease in leases:
            key = (owner, dseq, lease["gseq"], lease["oseq"])
            group = by_name[lease["group_name"]]
            run = self.runs.get(key)
            if run is None:
                self.runs[key] = LeaseRun(owner, dseq, lease["gseq"], lease["oseq"], self.provider, group,
                                          self.hostname, started_at=now)
            elif group != run.group:
                run.deploy(group, now)
        self._saved()

    def has_manifest(self, owner: str, dseq: int) -> bool:
        return (owner, dseq) in self.manifests

    def run(self, owner: str, dseq: int, gseq: int, oseq: int) -> LeaseRun | None:
        return self.runs.get((owner, dseq, gseq, oseq))

    def drop(self, owner: str, dseq: int, gseq: int, oseq: int) -> None:
        """The lease closed: its workload goes away (and the manifest with the deployment's last lease)."""
        self.runs.pop((owner, dseq, gseq, oseq), None)
        if not any(k[:2] == (owner, dseq) for k in self.runs):
            self.manifests.pop((owner, dseq), None)
        self._saved()

    def totals(self) -> dict[str, int]:
        return {"leases": len(self.runs), "deployments": len(self.manifests)}
