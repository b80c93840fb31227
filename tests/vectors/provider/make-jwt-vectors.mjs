// H1 helper: make ES256K tokens with chain-sdk's JwtTokenManager and a raw secp256k1 signer.
import { JwtTokenManager } from "@akashnetwork/chain-sdk";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { Secp256k1, sha256, Slip10, Slip10Curve, Bip39, EnglishMnemonic, stringToPath } from "@cosmjs/crypto";
import { toBase64 } from "@cosmjs/encoding";
const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic));
const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath("m/44'/118'/0'/0/0"));
const w = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "akash" });
const [acc] = await w.getAccounts();
const signer = {
  algorithm: "ES256K",
  async signArbitrary(_addr, data) {
    const sig = await Secp256k1.createSignature(sha256(new TextEncoder().encode(data)), privkey);
    const rs = new Uint8Array([...sig.r(32), ...sig.s(32)]);
    return { signature: toBase64(rs), pub_key: { type: "tendermint/PubKeySecp256k1", value: toBase64(acc.pubkey) } };
  },
};
const m = new JwtTokenManager(signer);
const now = 1767225600; // 2026-01-01
const cases = [
  { name: "full", opts: { version: "v1", iss: acc.address, iat: now, nbf: now, exp: now + 900 * 1000000, leases: { access: "full" } } },
  { name: "scoped-jti", opts: { version: "v1", iss: acc.address, iat: now, nbf: now, exp: now + 900 * 1000000, jti: "vector-1",
      leases: { access: "scoped", scope: ["status", "shell", "events", "logs", "send-manifest", "get-manifest"] } } },
  { name: "granular", opts: { version: "v1", iss: acc.address, iat: now, nbf: now - 5, exp: now + 900 * 1000000,
      leases: { access: "granular", permissions: [
        { provider: "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c", access: "granular",
          deployments: [{ dseq: 1234, gseq: 1, oseq: 1, scope: ["logs", "status"], services: ["web", "db"] }] },
        { provider: "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0", access: "scoped", scope: ["status"] } ] } } },
];
const out = [];
for (const c of cases) out.push({ name: c.name, claims: c.opts, token: await m.generateToken(c.opts) });
console.log(JSON.stringify({ library: "@akashnetwork/chain-sdk@1.0.0-alpha.25 JwtTokenManager.generateToken with an ES256K OfflineDataSigner (cosmjs Secp256k1.createSignature over sha256(signing input))",
  address: acc.address, pubkey_b64: toBase64(acc.pubkey), mnemonic, hd_path: "m/44'/118'/0'/0/0", tokens: out }, null, 1));
