"""The type URLs of the oracle's signing registry (cosmjs defaults + akash-api legacy + chain-sdk current).

Only the ones app/proto has: the oracle also registers cosmos.group, ibc.core, akash.oracle/take/wasm and
a few governance-only Msgs that a wallet does not send; those are refused as unknown type URLs here.
"""

from __future__ import annotations

# @cosmjs/stargate 0.39 defaultRegistryTypes (cosmjs-types 0.11)
COSMJS_DEFAULT_TYPES = frozenset({
    "/cosmos.authz.v1beta1.MsgExec",
    "/cosmos.authz.v1beta1.MsgGrant",
    "/cosmos.authz.v1beta1.MsgRevoke",
    "/cosmos.bank.v1beta1.MsgMultiSend",
    "/cosmos.bank.v1beta1.MsgSend",
    "/cosmos.base.v1beta1.Coin",
    "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
    "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress",
    "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
    "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
    "/cosmos.feegrant.v1beta1.MsgGrantAllowance",
    "/cosmos.feegrant.v1beta1.MsgRevokeAllowance",
    "/cosmos.gov.v1.MsgDeposit",
    "/cosmos.gov.v1.MsgSubmitProposal",
    "/cosmos.gov.v1.MsgUpdateParams",
    "/cosmos.gov.v1.MsgVote",
    "/cosmos.gov.v1.MsgVoteWeighted",
    "/cosmos.gov.v1beta1.MsgDeposit",
    "/cosmos.gov.v1beta1.MsgSubmitProposal",
    "/cosmos.gov.v1beta1.MsgVote",
    "/cosmos.gov.v1beta1.MsgVoteWeighted",
    "/cosmos.staking.v1beta1.MsgBeginRedelegate",
    "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
    "/cosmos.staking.v1beta1.MsgCreateValidator",
    "/cosmos.staking.v1beta1.MsgDelegate",
    "/cosmos.staking.v1beta1.MsgEditValidator",
    "/cosmos.staking.v1beta1.MsgUndelegate",
    "/cosmos.vesting.v1beta1.MsgCreateVestingAccount",
    "/ibc.applications.transfer.v1.MsgTransfer",
})

# @akashnetwork/akash-api 1.4.3 legacy Akash Msgs
AKASH_API_TYPES = frozenset({
    "/akash.cert.v1beta3.MsgCreateCertificate",
    "/akash.cert.v1beta3.MsgRevokeCertificate",
    "/akash.deployment.v1beta3.MsgCloseDeployment",
    "/akash.deployment.v1beta3.MsgCloseGroup",
    "/akash.deployment.v1beta3.MsgCreateDeployment",
    "/akash.deployment.v1beta3.MsgDepositDeployment",
    "/akash.deployment.v1beta3.MsgPauseGroup",
    "/akash.deployment.v1beta3.MsgStartGroup",
    "/akash.deployment.v1beta3.MsgUpdateDeployment",
    "/akash.market.v1beta4.MsgCloseBid",
    "/akash.market.v1beta4.MsgCloseLease",
    "/akash.market.v1beta4.MsgCreateBid",
    "/akash.market.v1beta4.MsgCreateLease",
    "/akash.market.v1beta4.MsgWithdrawLease",
})

# @akashnetwork/chain-sdk 1.0.0-alpha.25 Akash Msgs
CHAIN_SDK_AKASH_TYPES = frozenset({
    "/akash.audit.v1.MsgDeleteProviderAttributes",
    "/akash.audit.v1.MsgSignProviderAttributes",
    "/akash.bme.v1.MsgBurnACT",
    "/akash.bme.v1.MsgBurnMint",
    "/akash.bme.v1.MsgMintACT",
    "/akash.bme.v1.MsgSeedVault",
    "/akash.bme.v1.MsgUpdateParams",
    "/akash.cert.v1.MsgCreateCertificate",
    "/akash.cert.v1.MsgRevokeCertificate",
    "/akash.deployment.v1beta4.MsgCloseDeployment",
    "/akash.deployment.v1beta4.MsgCloseGroup",
    "/akash.deployment.v1beta4.MsgCreateDeployment",
    "/akash.deployment.v1beta4.MsgPauseGroup",
    "/akash.deployment.v1beta4.MsgStartGroup",
    "/akash.deployment.v1beta4.MsgUpdateDeployment",
    "/akash.deployment.v1beta4.MsgUpdateParams",
    "/akash.escrow.v1.MsgAccountDeposit",
    "/akash.market.v1beta5.MsgCloseBid",
    "/akash.market.v1beta5.MsgCloseLease",
    "/akash.market.v1beta5.MsgCreateBid",
    "/akash.market.v1beta5.MsgCreateLease",
    "/akash.market.v1beta5.MsgUpdateParams",
    "/akash.market.v1beta5.MsgWithdrawLease",
    "/akash.provider.v1beta4.MsgCreateProvider",
    "/akash.provider.v1beta4.MsgDeleteProvider",
    "/akash.provider.v1beta4.MsgUpdateProvider",
})

# chain-sdk's own cosmos Msgs, used with "cosmos_types": "chain-sdk" (they replace the cosmjs ones)
CHAIN_SDK_COSMOS_TYPES = frozenset({
    "/cosmos.authz.v1beta1.MsgExec",
    "/cosmos.authz.v1beta1.MsgGrant",
    "/cosmos.authz.v1beta1.MsgRevoke",
    "/cosmos.bank.v1beta1.MsgMultiSend",
    "/cosmos.bank.v1beta1.MsgSend",
    "/cosmos.bank.v1beta1.MsgSetSendEnabled",
    "/cosmos.bank.v1beta1.MsgUpdateParams",
    "/cosmos.base.abci.v1beta1.MsgData",
    "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    "/cosmos.distribution.v1beta1.MsgDepositValidatorRewardsPool",
    "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
    "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress",
    "/cosmos.distribution.v1beta1.MsgUpdateParams",
    "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
    "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
    "/cosmos.feegrant.v1beta1.MsgGrantAllowance",
    "/cosmos.feegrant.v1beta1.MsgPruneAllowances",
    "/cosmos.feegrant.v1beta1.MsgRevokeAllowance",
    "/cosmos.gov.v1.MsgCancelProposal",
    "/cosmos.gov.v1.MsgDeposit",
    "/cosmos.gov.v1.MsgExecLegacyContent",
    "/cosmos.gov.v1.MsgSubmitProposal",
    "/cosmos.gov.v1.MsgUpdateParams",
    "/cosmos.gov.v1.MsgVote",
    "/cosmos.gov.v1.MsgVoteWeighted",
    "/cosmos.gov.v1beta1.MsgDeposit",
    "/cosmos.gov.v1beta1.MsgSubmitProposal",
    "/cosmos.gov.v1beta1.MsgVote",
    "/cosmos.gov.v1beta1.MsgVoteWeighted",
    "/cosmos.staking.v1beta1.MsgBeginRedelegate",
    "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
    "/cosmos.staking.v1beta1.MsgCreateValidator",
    "/cosmos.staking.v1beta1.MsgDelegate",
    "/cosmos.staking.v1beta1.MsgEditValidator",
    "/cosmos.staking.v1beta1.MsgUndelegate",
    "/cosmos.staking.v1beta1.MsgUpdateParams",
    "/cosmos.vesting.v1beta1.MsgCreatePeriodicVestingAccount",
    "/cosmos.vesting.v1beta1.MsgCreatePermanentLockedAccount",
    "/cosmos.vesting.v1beta1.MsgCreateVestingAccount",
})


def oracle_type_urls(cosmos_types: str = "cosmjs") -> frozenset[str]:
    urls = COSMJS_DEFAULT_TYPES | AKASH_API_TYPES | CHAIN_SDK_AKASH_TYPES
    return urls | CHAIN_SDK_COSMOS_TYPES if cosmos_types == "chain-sdk" else urls
