"""Transaction signing speed: build + sign a MsgSend (app API), and an oracle-format JSON request."""

from __future__ import annotations

import statistics
import time

ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
A = "akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0"
B = "akash1jrkmdcwgq94uaamx6zax2luewlhf7u4k3rtk0c"


def _median_ms(fn, runs: int) -> float:
    fn()  # warm-up (imports, descriptor pool)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    from app.tx import msgs
    from app.tx.builder import Fee, sign_tx
    from app.tx.jsonmsg import encode_json_msg
    from app.wallet.signer import Signer

    signer = Signer.from_mnemonic(ABANDON)
    fee = Fee(amount=(("uakt", 5000),), gas=200000)

    def build_and_sign() -> None:
        sign_tx(signer, [msgs.msg_send(A, B, [("uakt", 1_000_000)])], chain_id="akashnet-2",
                account_number=12345, sequence=7, fee=fee)

    value = {"fromAddress": A, "toAddress": B, "amount": [{"denom": "uakt", "amount": "1000000"}]}

    def json_msg() -> None:
        encode_json_msg("/cosmos.bank.v1beta1.MsgSend", value)

    print(f"  build + sign MsgSend (median of 500): {_median_ms(build_and_sign, 500):.3f} ms  (aim < 2 ms)")
    print(f"  oracle-format JSON MsgSend -> bytes (median of 500): {_median_ms(json_msg, 500):.3f} ms")


if __name__ == "__main__":
    main()
