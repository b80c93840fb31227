"""The embedded Akash-compatible local node: the REST API of an Akash v2.1 node on 127.0.0.1, state in SQLite.

Run it with `python -m app.localnet --port P --data DIR --block-time S [--chain-id localnet-1] [--reset]`
(`app.localnet.runner.LocalNode` starts it as a subprocess for the app and the tests).

Layout:
  kv.py        state: buckets of JSON values in memory, cache layers (tx/block/CheckTx), SDK KV gas costs
  store.py     SQLite (WAL): state, blocks, tx results, tx event index; ONE transaction per block
  chain.py     the state machine: modules, genesis, runTx (ante kept even when messages fail), blocks
  ante.py      TxRaw decoding, fees (>= gas x 0.0025 uakt), pubkeys, sequences, SIGN_MODE_DIRECT signatures
  node.py      the running node: block timer, mempool, broadcast/simulate, advance, faucet, block headers
  server.py    aiohttp routes, gRPC-gateway error bodies, the tx/tendermint services, local-only routes
  rest.py      query parameters, pagination (key/offset/limit/count_total/reverse), coins, decimals, times
  protojson.py protobuf -> gateway JSON (decoded txs, Any with @type)
  render.py    blocks and tx responses as CometBFT and the SDK write them
  genesis.py   validators, the TEST-ONLY demo account and its history
  modules/     auth bank staking distribution mint gov oracle bme cert (+ whatever is added there)

Adding a module (e.g. deployment, market, escrow, provider, audit, authz) never edits the core:
  1. create app/localnet/modules/<name>.py with a `Module` subclass (app/localnet/module.py) and
     `MODULE = ThatClass`; files starting with "_" are helpers and are not loaded;
  2. set `name` and `order` (core modules use 0-90; marketplace modules 100+); implement what it needs:
     `genesis(ctx, spec)`, `routes()` -> [Route(method, path, handler(Query) -> dict)],
     `msg_handlers()` -> {type_url: MsgHandler(signers, execute, validate)}, `begin_block(ctx)`,
     `end_block(ctx)`, and `async start(node)` / `async stop()` for services that live with the node
     (simulated providers: HTTPS gateways started and stopped with it; they can submit signed txs through
     `node.broadcast(tx_bytes)` and read state through `node.chain.root`);
  3. state goes through `ctx.kv` (get/set/delete/items on a bucket named "<module>.<what>"); other modules are
     reached with `ctx.module("bank")` (send, send_to_module, send_from_module, mint, burn, fund) and so on;
     handlers raise `errors.TxError` (codespace, code, log) and query handlers `errors.GrpcError`;
     `protojson.LEGACY_DEC_FIELDS` lists LegacyDec string fields to show with 18 decimals in decoded txs.
The module is discovered at start (modules.discover), its routes mounted, its Msgs routed, its hooks run.

Local-only routes (absent on real nodes):
  POST /localnet/advance {"blocks": N}      produce N blocks now (block time advances by N x block time)
  POST /localnet/faucet {"address": "akash1...", "amounts": [{"denom": "uakt", "amount": "1"}]?}
                                              fund an address (default 1000 AKT + 1000 ACT) in a block made now
  POST /localnet/provider {"name": "orion", "online": false}
                                              take a simulated provider offline (its gateway closes, it stops
                                              bidding and withdrawing) or back online, until told otherwise
  GET  /localnet/status                     chain id, height, latest block time, block time, mempool size

The simulated providers keep what they run in the data dir (providers/<name>/workloads.json, written atomically
at every manifest and closed lease), so running leases keep their status and logs across restarts.
"""
