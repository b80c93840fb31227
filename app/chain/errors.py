"""Typed errors of the chain client and the broadcast pipeline: what happened, where, and what to do."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# gRPC status codes (google.golang.org/grpc/codes) as the REST gateway reports them in "code".
GRPC_CODE_NAMES = {
    0: "OK",
    1: "Canceled",
    2: "Unknown",
    3: "InvalidArgument",
    4: "DeadlineExceeded",
    5: "NotFound",
    6: "AlreadyExists",
    7: "PermissionDenied",
    8: "ResourceExhausted",
    9: "FailedPrecondition",
    10: "Aborted",
    11: "OutOfRange",
    12: "Unimplemented",
    13: "Internal",
    14: "Unavailable",
    15: "DataLoss",
    16: "Unauthenticated",
}


class ChainError(Exception):
    """Base of every error raised by app.chain and the broadcast pipeline."""

    hint: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} {self.hint}".strip() if self.hint else text


@dataclass(frozen=True)
class EndpointFailure:
    """One failed attempt against one endpoint (for NodeUnavailable's explanation)."""

    endpoint: str
    reason: str


class NodeUnavailable(ChainError):
    """No endpoint of the network gave a usable answer."""

    hint = "Check your internet connection, or choose another endpoint or network in Settings, then try again."

    def __init__(self, method: str, path: str, failures: Sequence[EndpointFailure], *, maybe_delivered: bool = False):
        self.method = method
        self.path = path
        self.failures = tuple(failures)
        # True when a POST may have reached a node before the connection broke (its outcome is unknown).
        self.maybe_delivered = maybe_delivered
        last: dict[str, str] = {}
        for f in self.failures:
            last[f.endpoint] = f.reason
        detail = "; ".join(f"{ep}: {why}" for ep, why in last.items()) or "no endpoint configured"
        super().__init__(f"No node answered {method} {path} ({detail}).")


class NodeError(ChainError):
    """The node answered with an error status (a gRPC-gateway error body, or a bare HTTP error)."""

    hint = "This is the node's own answer; if it persists, try another endpoint."

    def __init__(self, status: int, grpc_code: int | None, message: str, *, path: str = "", endpoint: str = ""):
        self.status = status
        self.grpc_code = grpc_code
        self.message = message
        self.path = path
        self.endpoint = endpoint
        code = f", gRPC {GRPC_CODE_NAMES.get(grpc_code, grpc_code)}" if grpc_code is not None else ""
        where = f" for {path}" if path else ""
        super().__init__(f"The node answered HTTP {status}{code}{where}: {message or '(no message)'}.")


class NotFound(NodeError):
    """The thing asked for does not exist on chain (HTTP 404 / gRPC NotFound)."""

    hint = "Check the address or identifier; a new account only exists after it first receives funds."


class BadRequest(NodeError):
    """The node refused the request as invalid (HTTP 400 / gRPC InvalidArgument)."""

    hint = "Check the values entered (addresses, numbers); this request cannot succeed as it is."


class MalformedResponse(ChainError):
    """The node's answer is not JSON, or not in the shape this app expects."""

    hint = "The endpoint may be misconfigured or run an incompatible version; try another endpoint."

    def __init__(self, path: str, field: str, problem: str):
        self.path = path
        self.field = field
        self.problem = problem
        at = f" at {field}" if field else ""
        super().__init__(f"Unexpected answer from the node for {path or '(unknown path)'}{at}: {problem}.")


# Cosmos SDK (codespace "sdk") ABCI codes a person may meet, with what to do about them.
SDK_CODE_HINTS = {
    2: "The transaction could not be decoded; this is a bug in the app, please report it.",
    4: "The signature was refused (wrong key, account or chain id); check the selected wallet and network.",
    5: "The account does not have enough funds for the amounts and the fee; lower the amount or add funds.",
    11: "The transaction ran out of gas; try again (the app will estimate gas afresh).",
    13: "The fee is below the node's minimum gas price; raise the gas price in Settings.",
    19: "This exact transaction is already waiting in the node's mempool.",
    30: "The transaction expired before it was included; try again.",
    32: "Another transaction from this account was sent at the same time; try again.",
}


class TxRejected(ChainError):
    """The chain refused a transaction: at simulation, at CheckTx (broadcast) or at execution (in a block)."""

    def __init__(
        self,
        code: int,
        codespace: str,
        log: str,
        txhash: str = "",
        *,
        stage: str = "check",
        height: int | None = None,
        gas_used: int | None = None,
        gas_wanted: int | None = None,
    ):
        self.code = code
        self.codespace = codespace
        self.log = log
        self.txhash = txhash
        self.stage = stage
        self.height = height
        self.gas_used = gas_used
        self.gas_wanted = gas_wanted
        self.hint = SDK_CODE_HINTS.get(code, "") if codespace in ("sdk", "") else ""
        where = {
            "simulate": "refused the transaction while estimating its fee",
            "check": "refused the transaction",
            "deliver": f"included the transaction in block {height} but it failed (the fee was paid)",
        }.get(stage, "refused the transaction")
        ident = f" {txhash}" if txhash else ""
        tag = f" (code {code}, {codespace or 'no codespace'})" if code else ""
        super().__init__(f"The chain {where}{ident}{tag}: {log or 'no log'}.")


class TxTimeout(ChainError):
    """A broadcast transaction was not seen in a block in time; it may still be included later."""

    hint = "Do not send it again: check its status later (by hash) before retrying."

    def __init__(self, txhash: str, waited_s: float, *, detail: str = ""):
        self.txhash = txhash
        self.waited_s = waited_s
        extra = f" ({detail})" if detail else ""
        super().__init__(f"Transaction {txhash} was not confirmed within {waited_s:.0f} s{extra}.")


class WrongChain(ChainError):
    """The endpoint serves another chain than the network it was configured for."""

    hint = "Check the endpoint list of this network in Settings; signing for the wrong chain is refused."

    def __init__(self, expected: str, got: str, endpoint: str):
        self.expected = expected
        self.got = got
        self.endpoint = endpoint
        super().__init__(f"Endpoint {endpoint} serves chain {got!r}, not {expected!r}.")


def parse_error_body(text: str) -> tuple[int | None, str, tuple[Any, ...]]:
    """(grpc_code, message, details) from a gRPC-gateway error body; falls back to the raw text.

    The gateway writes {"code": 5, "message": "...", "details": []}; some proxies write {"error": "..."}.
    """
    try:
        body = json.loads(text)
    except (ValueError, TypeError):
        return None, _short(text), ()
    if not isinstance(body, dict):
        return None, _short(text), ()
    code = body.get("code")
    grpc_code = code if isinstance(code, int) and not isinstance(code, bool) else None
    message = body.get("message")
    if not isinstance(message, str):
        message = body.get("error") if isinstance(body.get("error"), str) else _short(text)
    details = body.get("details")
    return grpc_code, message, tuple(details) if isinstance(details, list) else ()


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def http_error(status: int, text: str, *, path: str, endpoint: str) -> NodeError:
    """The typed error for a non-2xx answer that carries the node's verdict (not a transient failure)."""
    grpc_code, message, _details = parse_error_body(text)
    if status == 404 or grpc_code == 5:
        return NotFound(status, grpc_code, message, path=path, endpoint=endpoint)
    if status == 400 or grpc_code == 3:
        return BadRequest(status, grpc_code, message, path=path, endpoint=endpoint)
    return NodeError(status, grpc_code, message, path=path, endpoint=endpoint)
