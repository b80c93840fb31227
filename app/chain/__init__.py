"""The chain client: one async REST client with failover, typed errors, and typed models per chain module."""

from app.chain.client import ChainClient
from app.chain.errors import (
    BadRequest,
    ChainError,
    MalformedResponse,
    NodeError,
    NodeUnavailable,
    NotFound,
    TxRejected,
    TxTimeout,
    WrongChain,
)
from app.chain.health import ConnectionState, ConnectionStatus
from app.chain.policy import RetryPolicy, Timeouts

__all__ = [
    "BadRequest",
    "ChainClient",
    "ChainError",
    "ConnectionState",
    "ConnectionStatus",
    "MalformedResponse",
    "NodeError",
    "NodeUnavailable",
    "NotFound",
    "RetryPolicy",
    "Timeouts",
    "TxRejected",
    "TxTimeout",
    "WrongChain",
]
