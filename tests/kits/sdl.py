"""The SDL the tests and benches deploy: one nginx service `web` in placement `dcloud`, with the variations
they need. The text is stable (tests edit it with str.replace), e.g. web_sdl() is:

    version: "2.0"
    services:
      web:
        image: nginx:1.27
        expose:
          - port: 80
            as: 80
            to: [{global: true}]
    profiles:
      compute:
        web:
          resources:
            cpu: {units: 0.5}
            memory: {size: 512Mi}
            storage: [{size: 1Gi}]
      placement:
        dcloud:
          pricing:
            web: {denom: uact, amount: 1000}
    deployment:
      web:
        dcloud: {profile: web, count: 1}

`block=True` writes every mapping and list in block style instead (one key per line), as people often do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence


def web_sdl(price: int = 1000, *, denom: str = "uact", image: str = "nginx:1.27", env: Sequence[str] = (),
            accept: Sequence[str] = (), second_port: bool = False, cpu: str = "0.5", memory: str = "512Mi",
            storage: str = "1Gi", attributes: Mapping[str, str] | None = None, block: bool = False) -> str:
    """The SDL text; `second_port` adds port 8080 (a random external port), `attributes` placement needs."""
    def listing(indent: int, items: Sequence[str]) -> list[str]:
        return [" " * indent + f"- {item}" for item in items]

    lines = ['version: "2.0"', "services:", "  web:", f"    image: {image}"]
    if env:
        quoted = [json.dumps(e) for e in env]
        lines += ["    env:", *listing(6, quoted)] if block else [f"    env: [{', '.join(quoted)}]"]
    lines += ["    expose:", "      - port: 80", "        as: 80"]
    if accept:
        lines += ["        accept:", *listing(10, accept)] if block else [f"        accept: [{', '.join(accept)}]"]
    to = ["        to:", "          - global: true"] if block else ["        to: [{global: true}]"]
    lines += to
    if second_port:
        lines += ["      - port: 8080", "        as: 8080", *to]
    lines += ["profiles:", "  compute:", "    web:", "      resources:"]
    if block:
        lines += ["        cpu:", f"          units: {cpu}", "        memory:", f"          size: {memory}",
                  "        storage:", f"          - size: {storage}"]
    else:
        lines += [f"        cpu: {{units: {cpu}}}", f"        memory: {{size: {memory}}}", f"        storage: [{{size: {storage}}}]"]
    lines += ["  placement:", "    dcloud:"]
    if attributes:
        pairs = [f"{k}: {v}" for k, v in attributes.items()]
        lines += ["      attributes:", *[f"        {p}" for p in pairs]] if block else \
            [f"      attributes: {{{', '.join(pairs)}}}"]
    lines += ["      pricing:"]
    if block:
        lines += ["        web:", f"          denom: {denom}", f"          amount: {price}", "deployment:", "  web:",
                  "    dcloud:", "      profile: web", "      count: 1"]
    else:
        lines += [f"        web: {{denom: {denom}, amount: {price}}}", "deployment:", "  web:",
                  "    dcloud: {profile: web, count: 1}"]
    return "\n".join(lines) + "\n"
