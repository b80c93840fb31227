"""JSON of blocks, tx results and decoded txs, as CometBFT and the SDK's tx service write them."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from app.localnet.ante import tx_msg_data
from app.localnet.chain import TxOutcome
from app.localnet.protojson import to_json
from app.localnet.rest import rfc3339
from app.proto.gen.cosmos.tx.v1beta1 import tx_pb2
from app.wallet.address import bech32_encode

EMPTY_HASH = hashlib.sha256(b"").digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def tx_json(raw: bytes) -> dict[str, Any] | None:
    """cosmos.tx.v1beta1.Tx of TxRaw bytes (body, auth_info, signatures), or None if they do not decode."""
    try:
        txraw = tx_pb2.TxRaw.FromString(raw)
        body = tx_pb2.TxBody.FromString(txraw.body_bytes)
        auth = tx_pb2.AuthInfo.FromString(txraw.auth_info_bytes)
    except Exception:  # a tx we stored always decodes; this guards hand-made rows
        return None
    return {"body": to_json(body), "auth_info": to_json(auth), "signatures": [b64(s) for s in txraw.signatures]}


def events_json(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": e["type"], "attributes": [{"key": k, "value": v, "index": True} for k, v in e["attributes"]]}
            for e in events]


def tx_result_record(out: TxOutcome, txhash: str, height: int, time_ns: int) -> dict[str, Any]:
    """What is stored for an included tx: the TxResponse fields except the decoded tx."""
    return {
        "height": str(height),
        "txhash": txhash,
        "codespace": out.codespace,
        "code": out.code,
        "data": tx_msg_data(out.msg_responses).hex().upper() if out.code == 0 else "",
        "raw_log": out.log,
        "logs": [],
        "info": "",
        "gas_wanted": str(out.gas_wanted),
        "gas_used": str(out.gas_used),
        "tx": None,
        "timestamp": rfc3339(time_ns - time_ns % 1_000_000_000) if time_ns else "",
        "events": events_json(out.events),
    }


def tx_response(record: dict[str, Any], raw: bytes) -> dict[str, Any]:
    tx = tx_json(raw)
    return {**record, "tx": {"@type": "/cosmos.tx.v1beta1.Tx", **tx} if tx is not None else None}


def index_keys(out: TxOutcome) -> list[tuple[str, str]]:
    """Event attributes the tx search can match ("message.sender" = "akash1...")."""
    keys = {(f"{e['type']}.{k}", v) for e in out.events for k, v in e["attributes"]}
    return sorted(keys)


def block_id(header: dict[str, Any]) -> dict[str, Any]:
    return {"hash": header["hash"], "part_set_header": {"total": 1, "hash": header["parts_hash"]}}


def block_json(block: dict[str, Any], sdk: bool) -> dict[str, Any]:
    """tendermint.types.Block (or the SDK's Block with a bech32 proposer)."""
    h = block["header"]
    proposer = bech32_encode("akashvalcons", base64.b64decode(h["proposer"])) if sdk else h["proposer"]
    header = {
        "version": {"block": "11", "app": "0"},
        "chain_id": h["chain_id"],
        "height": str(block["height"]),
        "time": rfc3339(h["time_ns"]),
        "last_block_id": h["last_block_id"],
        "last_commit_hash": h["last_commit_hash"],
        "data_hash": h["data_hash"],
        "validators_hash": h["validators_hash"],
        "next_validators_hash": h["validators_hash"],
        "consensus_hash": h["consensus_hash"],
        "app_hash": h["app_hash"],
        "last_results_hash": h["last_results_hash"],
        "evidence_hash": b64(EMPTY_HASH),
        "proposer_address": proposer,
    }
    signatures = [{"block_id_flag": "BLOCK_ID_FLAG_COMMIT", "validator_address": s,
                   "timestamp": rfc3339(h["time_ns"]), "signature": b64(hashlib.sha512(
                       (s + h["hash"]).encode()).digest())} for s in h["signers"]]
    return {
        "header": header,
        "data": {"txs": block["txs"]},
        "evidence": {"evidence": []},
        "last_commit": {"height": str(max(block["height"] - 1, 0)), "round": 0,
                        "block_id": h["last_block_id"], "signatures": signatures},
    }


def block_response(block: dict[str, Any]) -> dict[str, Any]:
    return {"block_id": block_id(block["header"]), "block": block_json(block, False),
            "sdk_block": block_json(block, True)}
