"""Tenant services (no Qt): deploy from SDL, compare bids, lease, manifest, logs, update, runway, local records.

Modules, one purpose each:
  errors.py       typed errors of the tenant flows (what happened, what to do)
  context.py      MarketContext: chain client, network, owner, records, block clock (what every flow needs)
  signing.py      the TxSender protocol (estimate -> confirm -> send) and a direct implementation for CLI/tests
  blocktime.py    the chain's measured block time (for prices per hour/month and runway)
  records.py      the local record of the user's SDLs and deployments (one JSON file per network, atomic)
  grants.py       authz deposit grants given to the account (the `grant` deposit source)
  funding.py      how much ACT is missing and the exact MsgMintACT that covers it
  preflight.py    every check before a deployment is signed, as a typed report
  deploy.py       create a deployment from SDL (dseq, groups, hash, deposit) and record it
  providers.py    the provider directory: attributes, auditors, GPU models, online probe, our history
  matching.py     which of an order's requirements a provider misses (chain-sdk matching rules, in words)
  compare.py      the bid comparison model: rows, filters, sorting, auto-select
  bids.py         polling the bids of a deployment while its orders are open
  whynobids.py    for an order without bids: which requirement each provider misses
  certificates.py mTLS client certificates: local vs on-chain, create+publish, revoke, regenerate
  access.py       authentication to providers (JWT by default, mTLS) and ProviderClient construction
  lease.py        accept bids: MsgCreateLease, send the manifest in time, lease status; resume from the record
  streams.py      logs and events of a deployment's leases as reconnecting streams, saved to a file
  manage.py       update (resend manifest), add funds, close
  changes.py      what an SDL update would change in the leased groups (refused) or only in prices (noted)
  reasons.py      lease and deployment close reasons in words
  runway.py       time left for each deployment from its escrow and lease rates; the low-funds signal
  overview.py     the account's deployments: chain and local records joined (records reconciled with the chain)
  render.py       plain-text tables of the views above (CLI, clipboard)
"""
