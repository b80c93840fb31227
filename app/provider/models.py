"""Typed answers of the provider gateway (chain-sdk go/provider/client/types.go), parsed defensively."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.provider.errors import ProviderBadResponse


class _Reader:
    """Reads one JSON object of a gateway answer; a wrong type becomes ProviderBadResponse naming the field."""

    def __init__(self, data: Any, host: str, path: str, where: str = "$") -> None:
        if not isinstance(data, dict):
            raise ProviderBadResponse(host, path, f"{where} should be an object")
        self.d, self.host, self.path, self.where = data, host, path, where

    def _bad(self, key: str, what: str) -> ProviderBadResponse:
        return ProviderBadResponse(self.host, self.path, f"{self.where}.{key} should be {what}")

    def text(self, key: str) -> str:
        v = self.d.get(key)
        if v is None:
            return ""
        if not isinstance(v, str):
            raise self._bad(key, "text")
        return v

    def int(self, key: str) -> int:
        v = self.d.get(key)
        if v is None:
            return 0
        if isinstance(v, bool) or not isinstance(v, int | str):
            raise self._bad(key, "an integer")
        try:
            return int(v)
        except ValueError:
            raise self._bad(key, "an integer") from None

    def texts(self, key: str) -> tuple[str, ...]:
        v = self.d.get(key)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self._bad(key, "a list of text")
        return tuple(v)

    def child(self, key: str) -> _Reader | None:
        v = self.d.get(key)
        return None if v is None else _Reader(v, self.host, self.path, f"{self.where}.{key}")

    def mapping(self, key: str) -> dict[str, Any]:
        v = self.d.get(key)
        if v is None:
            return {}
        if not isinstance(v, dict):
            raise self._bad(key, "an object")
        return v

    def list_of(self, value: Any, key: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._bad(key, "a list")
        return value


@dataclass(frozen=True)
class ProviderStatus:
    """GET /status (no auth). `active_leases` reads both `leases: n` and newer `leases: {active: n}`."""

    address: str
    cluster_public_hostname: str
    active_leases: int
    open_orders: int
    deployments: int
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def parse(cls, data: Any, host: str) -> ProviderStatus:
        r = _Reader(data, host, "/status")
        cluster, bidengine, manifest = r.child("cluster"), r.child("bidengine"), r.child("manifest")
        leases = 0
        if cluster is not None:
            nested = cluster.child("leases") if isinstance(cluster.d.get("leases"), dict) else None
            leases = nested.int("active") if nested is not None else cluster.int("leases")
        return cls(
            r.text("address"),
            r.text("cluster_public_hostname"),
            leases,
            bidengine.int("orders") if bidengine else 0,
            manifest.int("deployments") if manifest else 0,
            dict(data),
        )


@dataclass(frozen=True)
class ProviderVersion:
    """GET /version: the provider software and its Kubernetes version."""

    akash_version: str
    akash_commit: str
    kube_version: str
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def parse(cls, data: Any, host: str) -> ProviderVersion:
        r = _Reader(data, host, "/version")
        akash, kube = r.child("akash"), r.child("kube")
        return cls(
            akash.text("version") if akash else "",
            akash.text("commit") if akash else "",
            kube.text("gitVersion") if kube else "",
            dict(data),
        )


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    available: int
    total: int
    uris: tuple[str, ...]
    observed_generation: int
    replicas: int
    updated_replicas: int
    ready_replicas: int
    available_replicas: int

    @property
    def ready(self) -> bool:
        return self.total > 0 and self.available >= self.total

    @classmethod
    def parse(cls, data: Any, host: str, path: str, where: str = "$") -> ServiceStatus:
        r = _Reader(data, host, path, where)
        return cls(
            r.text("name"),
            r.int("available"),
            r.int("total"),
            r.texts("uris"),
            r.int("observed_generation"),
            r.int("replicas"),
            r.int("updated_replicas"),
            r.int("ready_replicas"),
            r.int("available_replicas"),
        )


@dataclass(frozen=True)
class ForwardedPort:
    """A global expose on a port other than 80: reach it at host:external_port."""

    service: str
    host: str
    port: int
    external_port: int
    proto: str
    name: str

    @property
    def address(self) -> str:
        return f"{self.host}:{self.external_port}"


@dataclass(frozen=True)
class LeasedIp:
    """A leased IP endpoint (the gateway writes these keys capitalised: the Go struct has no JSON tags)."""

    service: str
    ip: str
    port: int
    external_port: int
    protocol: str


@dataclass(frozen=True)
class LeaseStatus:
    """GET /lease/{dseq}/{gseq}/{oseq}/status."""

    services: dict[str, ServiceStatus]
    forwarded_ports: dict[str, tuple[ForwardedPort, ...]]
    ips: dict[str, tuple[LeasedIp, ...]]
    errors: tuple[str, ...]

    @property
    def uris(self) -> tuple[str, ...]:
        return tuple(u for s in self.services.values() for u in s.uris)

    @property
    def ready(self) -> bool:
        return bool(self.services) and all(s.ready for s in self.services.values())

    @classmethod
    def parse(cls, data: Any, host: str, path: str) -> LeaseStatus:
        r = _Reader(data, host, path)
        services = {}
        for name, value in r.mapping("services").items():
            if value is not None:  # the Go map holds pointers: a null entry is a service not deployed yet
                services[name] = ServiceStatus.parse(value, host, path, f"$.services.{name}")
        ports: dict[str, tuple[ForwardedPort, ...]] = {}
        for svc, items in r.mapping("forwarded_ports").items():
            rows = []
            for i, item in enumerate(r.list_of(items, f"forwarded_ports.{svc}")):
                p = _Reader(item, host, path, f"$.forwarded_ports.{svc}[{i}]")
                rows.append(
                    ForwardedPort(svc, p.text("host"), p.int("port"), p.int("externalPort"), _proto(p), p.text("name"))
                )
            ports[svc] = tuple(rows)
        ips: dict[str, tuple[LeasedIp, ...]] = {}
        for svc, items in r.mapping("ips").items():
            rows_ip = []
            for i, item in enumerate(r.list_of(items, f"ips.{svc}")):
                p = _Reader(item, host, path, f"$.ips.{svc}[{i}]")
                rows_ip.append(LeasedIp(svc, p.text("IP"), p.int("Port"), p.int("ExternalPort"), p.text("Protocol")))
            ips[svc] = tuple(rows_ip)
        return cls(services, ports, ips, r.texts("errors"))


def _proto(p: _Reader) -> str:
    v = p.d.get("proto")
    return {6: "TCP", 17: "UDP"}.get(v, str(v)) if isinstance(v, int) else p.text("proto")


# ---- stream items -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogLine:
    """One line of a container's output; `name` is the pod ("<service>-<hash>-<id>")."""

    name: str
    message: str
    received_at: datetime

    @classmethod
    def parse(cls, data: Any, host: str) -> LogLine:
        r = _Reader(data, host, "logs")
        return cls(r.text("name"), r.text("message"), datetime.now(UTC))

    def service_in(self, services: tuple[str, ...]) -> str:
        """The service this pod belongs to, chosen from the lease's service names (longest prefix)."""
        best = ""
        for s in services:
            if (self.name == s or self.name.startswith(s + "-")) and len(s) > len(best):
                best = s
        return best


@dataclass(frozen=True)
class KubeEvent:
    """A Kubernetes event about the lease's objects (scheduling, pulling images, crashes...)."""

    type: str
    reason: str
    note: str
    reporting_controller: str
    reporting_instance: str
    object_kind: str
    object_namespace: str
    object_name: str
    received_at: datetime

    @classmethod
    def parse(cls, data: Any, host: str) -> KubeEvent:
        r = _Reader(data, host, "kubeevents")
        obj = r.child("object")
        return cls(
            r.text("type"),
            r.text("reason"),
            r.text("note"),
            r.text("reportingController"),
            r.text("reportingInstance"),
            obj.text("kind") if obj else "",
            obj.text("namespace") if obj else "",
            obj.text("name") if obj else "",
            datetime.now(UTC),
        )


@dataclass(frozen=True)
class StreamNotice:
    """Not data: the stream says what happens to its connection, so the UI can show it.

    kind: "reconnecting" (the socket dropped; next try after delay_s), "reconnected", "ended".
    """

    kind: str
    reason: str = ""
    attempt: int = 0
    delay_s: float = 0.0
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
