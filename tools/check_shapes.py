"""Start a local node, query every endpoint it serves, certify each answer with the official library (shape.mjs).

Usage: python tools/check_shapes.py [--oracle /tmp/oracle] [--out tests/vectors/localnet/shapes]
Writes NAME.json (the answer), NAME.report.json (the oracle's report) and index.json; exit 1 if any is not ok.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.localnet.runner import LocalNode  # noqa: E402
from tests.localnet.shape_cases import endpoints, prepare  # noqa: E402
from tests.localnet_fixtures import NodeClient  # noqa: E402

DURATION = re.compile(r"^string \"\d+(\.\d+)?s\"$")
DEC18 = re.compile(r"^string \"-?\d+\.\d{18}\"$")
# Where chain-sdk's generated TS reads JSON differently from what the Go gateway writes, the gateway wins:
ACCEPTED = {
    "duration": "google.protobuf.Duration: the gateway writes \"180s\"; chain-sdk's TS expects {seconds, nanos}",
    "legacydec-bytes": "bytes fields with gogoproto customtype LegacyDec (mint inflation, v1beta1 tally params): "
                       "the gateway writes the decimal text through the type's MarshalJSON, not base64",
    "oneof": "jsonpb writes only the set member of a oneof (mode_info.single), never the others",
    "deposit-scope": "akash.escrow.v1.DepositAuthorization.scopes inside an authz Any: the names are the proto ones "
                     "(deployment, bid) that chain-sdk's fromJSON reads; shape.mjs's enum probe misses them there",
}
DEPOSIT_SCOPE = re.compile(r'^not a value name of this enum: "(deployment|bid)"$')


def accepted(report: dict) -> list[str]:
    """Reasons that explain every deviation in a report, or [] when something is unexplained."""
    reasons = set()
    if report.get("unknown_fields"):
        return []
    for path in report.get("missing_fields", []):
        if not path.endswith(".mode_info.multi"):
            return []
        reasons.add("oneof")
    for e in report.get("type_errors", []):
        if e["expected"].startswith("object") and DURATION.match(e["got"]):
            reasons.add("duration")
        elif e["expected"].startswith("bytes") and DEC18.match(e["got"]):
            reasons.add("legacydec-bytes")
        elif re.search(r"\.authorization\.scopes\[\d+\]$", e["path"]) and DEPOSIT_SCOPE.match(e["got"]):
            reasons.add("deposit-scope")
        else:
            return []
    return sorted(reasons)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--oracle", default=os.environ.get("AKASH_ORACLE", "/tmp/oracle"))
    ap.add_argument("--out", type=Path, default=ROOT / "tests/vectors/localnet/shapes")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    index, failures = {}, 0
    with LocalNode(block_time=5.0) as node:
        c = NodeClient(node)
        txhash = prepare(c)
        for name, path, type_name in endpoints(c, txhash):
            answer = c.get(path)
            target = args.out / f"{name}.json"
            target.write_text(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
            proc = subprocess.run(["node", "shape.mjs", type_name, str(target.resolve())], cwd=args.oracle,
                                  capture_output=True, text=True)
            report = json.loads(proc.stdout or "{}")
            (args.out / f"{name}.report.json").write_text(json.dumps(report, indent=2) + "\n")
            ok = bool(report.get("ok"))
            reasons = [] if ok else accepted(report)
            failures += not (ok or reasons)
            index[name] = {"path": path, "type": type_name, "ok": ok,
                           "accepted_deviations": [ACCEPTED[r] for r in reasons]}
            print(f"{'ok ' if ok else 'ok*' if reasons else 'BAD'} {name:32} {type_name} {' '.join(reasons)}")
            if not ok and not reasons:
                print("    ", json.dumps({k: report.get(k) for k in ("unknown_fields", "missing_fields",
                                                                        "type_errors")})[:1500])
    (args.out / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    print(f"{len(index) - failures}/{len(index)} answers certified")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
