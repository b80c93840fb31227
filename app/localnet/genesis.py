"""Genesis of the local network: validators, a funded demo account (TEST-ONLY mnemonic) and some history."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.config import DENOM_ACT, DENOM_AKT, USDC_MAINNET
from app.localnet.txbuild import sign_tx
from app.proto.gen.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from app.proto.gen.cosmos.base.v1beta1 import coin_pb2
from app.proto.gen.cosmos.gov.v1 import tx_pb2 as gov_tx
from app.proto.gen.cosmos.staking.v1beta1 import tx_pb2 as staking_tx
from app.wallet.address import convert_prefix
from app.wallet.signer import Signer

if TYPE_CHECKING:
    from app.localnet.chain import Chain

# =====================================================================================================
#  TEST-ONLY MNEMONIC. It is public (printed in the README) and funds ONLY the local network's demo
#  account. NEVER use it on mainnet or any real network: anyone can take whatever is sent to it.
# =====================================================================================================
DEMO_MNEMONIC = (
    "speak elegant rural family bacon code lava coral equal abuse around volcano company famous clog "
    "cigar stay priority coconut team income swamp increase razor"
)
DEMO_ADDRESS = "akash1c2qvxwatpml5he5apgkwlc62qa3aj58cdhlqj5"  # m/44'/118'/0'/0/0

AKT = 1_000_000  # uakt per AKT (and uact per ACT)
DAY_NS = 86_400 * 1_000_000_000


def local_key(label: str) -> Signer:
    """A deterministic key for genesis actors (validators, the treasury): sha256 of a public label."""
    return Signer(hashlib.sha256(f"akash-desk localnet {label}".encode()).digest())


@dataclass
class ValidatorSpec:
    """One genesis validator."""

    moniker: str
    website: str
    details: str
    rate: str
    max_rate: str
    max_change_rate: str
    self_stake: int  # uakt
    jailed: bool = False
    identity: str = ""
    commission_age_ns: int = 200 * DAY_NS
    operator: str = ""
    consensus_pubkey_b64: str = ""

    def description(self) -> dict[str, str]:
        slug = self.moniker.lower().replace(" ", "")
        return {"moniker": self.moniker, "identity": self.identity, "website": self.website,
                "security_contact": f"security@{slug}.example", "details": self.details}


VALIDATORS = [
    ValidatorSpec("Aurora Staking", "https://aurora-staking.example", "Enterprise-grade validation since 2020.",
                  "0.050000000000000000", "0.200000000000000000", "0.010000000000000000", 12_000_000 * AKT,
                  identity="5489ADE7B1B91C65"),
    ValidatorSpec("Blue Orbit", "https://blueorbit.example", "Community validator and provider operator.",
                  "0.080000000000000000", "0.250000000000000000", "0.010000000000000000", 9_500_000 * AKT),
    ValidatorSpec("Cedar Nodes", "https://cedarnodes.example", "Carbon-neutral infrastructure.",
                  "0.100000000000000000", "0.200000000000000000", "0.020000000000000000", 7_200_000 * AKT),
    ValidatorSpec("Delta Compute", "https://deltacompute.example", "GPU provider and validator.",
                  "0.050000000000000000", "0.100000000000000000", "0.010000000000000000", 6_100_000 * AKT),
    ValidatorSpec("Ember Validators", "https://ember.example", "",
                  "0.070000000000000000", "0.200000000000000000", "0.010000000000000000", 4_800_000 * AKT),
    ValidatorSpec("Fjord Infra", "https://fjord-infra.example", "Nordic bare metal.",
                  "0.060000000000000000", "0.150000000000000000", "0.010000000000000000", 3_900_000 * AKT),
    ValidatorSpec("Granite Pool", "https://granitepool.example", "",
                  "0.090000000000000000", "0.200000000000000000", "0.050000000000000000", 2_700_000 * AKT),
    ValidatorSpec("Harbor Node", "https://harbornode.example", "Small independent validator.",
                  "0.050000000000000000", "0.100000000000000000", "0.010000000000000000", 1_500_000 * AKT),
    ValidatorSpec("Ion Relay", "https://ionrelay.example", "Jailed for downtime at genesis.",
                  "0.060000000000000000", "0.200000000000000000", "0.010000000000000000", 3_000_000 * AKT,
                  jailed=True),
    ValidatorSpec("Juniper Labs", "https://juniperlabs.example", "Outside the active set.",
                  "0.200000000000000000", "1.000000000000000000", "0.100000000000000000", 400_000 * AKT),
]


@dataclass
class GenesisSpec:
    """Everything genesis needs; modules read the parts they own."""

    chain_id: str
    genesis_time_ns: int
    block_time_ns: int
    unbonding_time_ns: int = 180 * 1_000_000_000
    max_validators: int = 8
    slash_fraction: str = "0.050000000000000000"
    validators: list[ValidatorSpec] = field(default_factory=list)
    balances: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    demo_address: str = DEMO_ADDRESS
    extra: dict[str, Any] = field(default_factory=dict)


def build_spec(chain_id: str, genesis_time_ns: int, block_time_ns: int, unbonding_time_ns: int) -> GenesisSpec:
    validators = []
    for i, v in enumerate(VALIDATORS):
        key = local_key(f"validator {i}")
        consensus = hashlib.sha256(f"akash-desk localnet consensus {i}".encode()).digest()
        validators.append(ValidatorSpec(**{**v.__dict__, "operator": convert_prefix(key.address, "akashvaloper"),
                                           "consensus_pubkey_b64": base64.b64encode(consensus).decode()}))
    balances = [
        (DEMO_ADDRESS, {DENOM_AKT: 250_000 * AKT, DENOM_ACT: 25_000 * AKT, USDC_MAINNET: 1_500 * AKT}),
        (local_key("treasury").address, {DENOM_AKT: 100_000_000 * AKT, DENOM_ACT: 1_000_000 * AKT,
                                         USDC_MAINNET: 1_000_000 * AKT}),
        (local_key("friend").address, {DENOM_AKT: 1_200 * AKT}),
    ]
    return GenesisSpec(chain_id, genesis_time_ns, block_time_ns, unbonding_time_ns,
                       validators=validators, balances=balances)


def history_blocks(chain: Chain, spec: GenesisSpec) -> list[list[bytes]]:
    """Real signed txs for the first blocks, so the demo account has delegations and a history."""
    demo = Signer.from_mnemonic(DEMO_MNEMONIC)
    treasury, friend = local_key("treasury"), local_key("friend")
    v = [x.operator for x in spec.validators]
    auth = chain.module("auth")

    def signed(signer: Signer, msgs: list[Any], offset: int) -> bytes:
        acc = auth.get_account(chain.root, signer.address)
        return sign_tx(signer, msgs, chain_id=spec.chain_id, account_number=int(acc["account_number"]),
                       sequence=int(acc["sequence"]) + offset, fee_uakt=6000, gas=240_000)

    def akt(n: int) -> coin_pb2.Coin:
        return coin_pb2.Coin(denom=DENOM_AKT, amount=str(n * AKT))

    d = demo.address
    block1 = [
        signed(treasury, [bank_tx.MsgSend(from_address=treasury.address, to_address=d, amount=[akt(1000)])], 0),
        signed(demo, [staking_tx.MsgDelegate(delegator_address=d, validator_address=v[0], amount=akt(5000))], 0),
        signed(demo, [staking_tx.MsgDelegate(delegator_address=d, validator_address=v[2], amount=akt(2500))], 1),
        signed(demo, [bank_tx.MsgSend(from_address=d, to_address=friend.address, amount=[akt(125)])], 2),
        signed(demo, [gov_tx.MsgVote(proposal_id=4, voter=d, option=1)], 3),
    ]
    block2 = [
        signed(demo, [staking_tx.MsgUndelegate(delegator_address=d, validator_address=v[2], amount=akt(100))], 4),
        signed(demo, [staking_tx.MsgBeginRedelegate(delegator_address=d, validator_src_address=v[0],
                                                    validator_dst_address=v[1], amount=akt(500))], 5),
        signed(friend, [bank_tx.MsgSend(from_address=friend.address, to_address=d, amount=[akt(20)])], 0),
    ]
    return [block1, block2]
