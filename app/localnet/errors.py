"""Errors as a Cosmos node reports them: ABCI tx errors (codespace, code, log) and gRPC query errors."""

from __future__ import annotations

# cosmos-sdk types/errors/errors.go: code -> description (the text after the last ": " in a raw_log).
SDK_ERRORS = {
    2: "tx parse error",
    3: "invalid sequence",
    4: "unauthorized",
    5: "insufficient funds",
    6: "unknown request",
    7: "invalid address",
    8: "invalid pubkey",
    9: "unknown address",
    10: "invalid coins",
    11: "out of gas",
    12: "memo too large",
    13: "insufficient fee",
    14: "maximum number of signatures exceeded",
    15: "no signatures supplied",
    18: "invalid request",
    19: "tx already in mempool",
    21: "tx too large",
    24: "tx intended signer does not match the given signer",
    26: "invalid height",
    28: "invalid chain-id",
    30: "tx timeout height",
    32: "incorrect account sequence",
    38: "not found",
}

# gRPC status codes and the HTTP status grpc-gateway maps them to (runtime.HTTPStatusFromCode).
GRPC_HTTP = {
    0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429,
    9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
}
INVALID_ARGUMENT = 3
NOT_FOUND = 5
FAILED_PRECONDITION = 9
UNIMPLEMENTED = 12
INTERNAL = 13


class TxError(Exception):
    """A failed CheckTx/DeliverTx: the (codespace, code, raw_log) a real node reports."""

    def __init__(self, codespace: str, code: int, log: str) -> None:
        super().__init__(log)
        self.codespace = codespace
        self.code = code
        self.log = log

    def wrap(self, prefix: str) -> TxError:
        return TxError(self.codespace, self.code, f"{prefix}: {self.log}")


def sdk_error(code: int, message: str = "") -> TxError:
    """An error of the `sdk` codespace, worded like errorsmod.Wrap: "<message>: <description>"."""
    desc = SDK_ERRORS[code]
    return TxError("sdk", code, f"{message}: {desc}" if message else desc)


def module_error(codespace: str, code: int, description: str, message: str = "") -> TxError:
    """An error registered by a module (errors.Register(codespace, code, description)), optionally wrapped."""
    return TxError(codespace, code, f"{message}: {description}" if message else description)


class GrpcError(Exception):
    """A query error: the gateway answers {"code", "message", "details": []} with the mapped HTTP status."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return GRPC_HTTP.get(self.code, 500)

    def body(self) -> dict:
        return {"code": self.code, "message": self.message, "details": []}


def not_found(message: str) -> GrpcError:
    return GrpcError(NOT_FOUND, message)


def invalid_argument(message: str) -> GrpcError:
    return GrpcError(INVALID_ARGUMENT, message)
