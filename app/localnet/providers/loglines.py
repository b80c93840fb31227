"""Plausible container log lines for a service's image (nginx, postgres, redis, node, python, vllm, ollama...)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import UTC, datetime

Startup = Callable[[str, str], list[str]]
Steady = Callable[[random.Random, float], str]

_PATHS = ["/", "/index.html", "/favicon.ico", "/api/health", "/static/app.js", "/static/style.css", "/robots.txt",
          "/api/v1/items", "/login", "/metrics"]
_AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
           "curl/8.5.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
           "kube-probe/1.31", "Go-http-client/1.1"]


def _ts(t: float, fmt: str = "%Y/%m/%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(t, UTC).strftime(fmt)


def _ip(rng: random.Random) -> str:
    return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _nginx_start(image: str, t: str) -> list[str]:
    return ["/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
            f"{t} [notice] 1#1: using the \"epoll\" event method",
            f"{t} [notice] 1#1: {image.split(':')[0].split('/')[-1]}/{_tag(image, '1.27.0')}",
            f"{t} [notice] 1#1: start worker processes"]


def _nginx_line(rng: random.Random, t: float) -> str:
    status = rng.choices([200, 304, 404, 301, 500], [80, 8, 8, 3, 1])[0]
    return (f'{_ip(rng)} - - [{_ts(t, "%d/%b/%Y:%H:%M:%S +0000")}] "GET {rng.choice(_PATHS)} HTTP/1.1" {status} '
            f'{rng.randint(0, 48_000)} "-" "{rng.choice(_AGENTS)}" "-"')


def _postgres_start(image: str, t: str) -> list[str]:
    v = _tag(image, "16.3")
    return ["PostgreSQL Database directory appears to contain a database; Skipping initialization", "",
            f"{t}.104 UTC [1] LOG:  starting PostgreSQL {v} on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) "
            "12.2.0, 64-bit",
            f"{t}.104 UTC [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432",
            f"{t}.107 UTC [1] LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\"",
            f"{t}.112 UTC [29] LOG:  database system was shut down at {t} UTC",
            f"{t}.118 UTC [1] LOG:  database system is ready to accept connections"]


def _postgres_line(rng: random.Random, t: float) -> str:
    return rng.choice([
        f"{_ts(t, '%Y-%m-%d %H:%M:%S')}.{rng.randint(100, 999)} UTC [27] LOG:  checkpoint starting: time",
        f"{_ts(t, '%Y-%m-%d %H:%M:%S')}.{rng.randint(100, 999)} UTC [27] LOG:  checkpoint complete: wrote "
        f"{rng.randint(1, 90)} buffers ({rng.random():.1f}%); 0 WAL file(s) added, 0 removed, 0 recycled",
    ])


def _redis_start(image: str, t: str) -> list[str]:
    return [f"1:C {t} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
            f"1:C {t} # Redis version={_tag(image, '7.2.5')}, bits=64, commit=00000000, modified=0, pid=1, just started",
            f"1:M {t} * Running mode=standalone, port=6379.",
            f"1:M {t} * Server initialized", f"1:M {t} * Ready to accept connections tcp"]


def _redis_line(rng: random.Random, t: float) -> str:
    return f"1:M {_ts(t, '%d %b %Y %H:%M:%S')}.{rng.randint(100, 999)} * 1 changes in 3600 seconds. Saving..."


def _node_start(image: str, t: str) -> list[str]:
    return ["", "> app@1.0.0 start", "> node server.js", "",
            f"[{t}] info: Server listening on http://0.0.0.0:3000", f"[{t}] info: Connected to database"]


def _node_line(rng: random.Random, t: float) -> str:
    return (f"[{_ts(t, '%Y-%m-%dT%H:%M:%S')}Z] info: {rng.choice(['GET', 'POST'])} {rng.choice(_PATHS)} "
            f"{rng.choice([200, 200, 200, 201, 404])} {rng.randint(1, 250)}ms")


def _python_start(image: str, t: str) -> list[str]:
    return ["INFO:     Started server process [1]", "INFO:     Waiting for application startup.",
            "INFO:     Application startup complete.",
            "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)"]


def _python_line(rng: random.Random, t: float) -> str:
    return f'INFO:     {_ip(rng)}:{rng.randint(30000, 60000)} - "GET {rng.choice(_PATHS)} HTTP/1.1" 200 OK'


def _vllm_start(image: str, t: str) -> list[str]:
    return [f"INFO {t} api_server.py:712] vLLM API server version {_tag(image, '0.5.3')}",
            f"INFO {t} llm_engine.py:176] Initializing an LLM engine with config: "
            "model='meta-llama/Meta-Llama-3.1-8B-Instruct', dtype=torch.bfloat16, max_seq_len=8192",
            f"INFO {t} model_runner.py:720] Starting to load model meta-llama/Meta-Llama-3.1-8B-Instruct...",
            f"INFO {t} weight_utils.py:225] Using model weights format ['*.safetensors']",
            "Loading safetensors checkpoint shards: 100% Completed | 4/4 [00:07<00:00,  1.83s/it]",
            f"INFO {t} model_runner.py:732] Loading model weights took 14.9888 GB",
            f"INFO {t} gpu_executor.py:102] # GPU blocks: 27734, # CPU blocks: 2048",
            f"INFO {t} api_server.py:232] Started server process [1]",
            "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)"]


def _vllm_line(rng: random.Random, t: float) -> str:
    return (f"INFO {_ts(t, '%m-%d %H:%M:%S')} metrics.py:406] Avg prompt throughput: {rng.uniform(0, 900):.1f} tokens/s,"
            f" Avg generation throughput: {rng.uniform(0, 120):.1f} tokens/s, Running: {rng.randint(0, 8)} reqs, "
            f"GPU KV cache usage: {rng.uniform(0, 40):.1f}%.")


def _ollama_start(image: str, t: str) -> list[str]:
    return [f'time={t} level=INFO source=images.go:782 msg="total blobs: 5"',
            f'time={t} level=INFO source=routes.go:1172 msg="Listening on [::]:11434 (version {_tag(image, "0.3.6")})"',
            f'time={t} level=INFO source=gpu.go:204 msg="looking for compatible GPUs"',
            f'time={t} level=INFO source=types.go:105 msg="inference compute" id=GPU-0 library=cuda compute=8.0 '
            'driver=12.4 name="NVIDIA A100-SXM4-80GB" total="79.1 GiB" available="78.6 GiB"',
            f'time={t} level=INFO source=server.go:384 msg="starting llama server" model=llama3.1:8b',
            f'time={t} level=INFO source=server.go:584 msg="llama runner started in 4.52 seconds"']


def _ollama_line(rng: random.Random, t: float) -> str:
    return (f"[GIN] {_ts(t, '%Y/%m/%d - %H:%M:%S')} | 200 | {rng.uniform(0.2, 9):>10.6f}s | {_ip(rng)} | "
            f"POST     \"/api/{rng.choice(['generate', 'chat', 'embeddings'])}\"")


def _generic_start(image: str, t: str) -> list[str]:
    return [f"{t} starting {image}", f"{t} listening"]


def _generic_line(rng: random.Random, t: float) -> str:
    return f"{_ts(t, '%Y-%m-%dT%H:%M:%SZ')} heartbeat ok (uptime {rng.randint(1, 999)}s)"


_KINDS: list[tuple[tuple[str, ...], Startup, Steady, str]] = [
    (("nginx", "httpd", "caddy", "traefik"), _nginx_start, _nginx_line, "%Y/%m/%d %H:%M:%S"),
    (("postgres", "postgis", "timescale"), _postgres_start, _postgres_line, "%Y-%m-%d %H:%M:%S"),
    (("redis", "valkey", "keydb"), _redis_start, _redis_line, "%d %b %Y %H:%M:%S.000"),
    (("vllm",), _vllm_start, _vllm_line, "%m-%d %H:%M:%S"),
    (("ollama",), _ollama_start, _ollama_line, "%Y-%m-%dT%H:%M:%S.000Z"),
    (("node", "next", "nuxt", "express"), _node_start, _node_line, "%Y-%m-%dT%H:%M:%S.000Z"),
    (("python", "fastapi", "uvicorn", "django", "flask", "jupyter"), _python_start, _python_line, "%H:%M:%S"),
]


def _tag(image: str, default: str) -> str:
    name = image.rsplit("/", 1)[-1]
    return name.split(":", 1)[1] if ":" in name else default


def kind_of(image: str) -> tuple[Startup, Steady, str]:
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].lower()
    for words, start, steady, fmt in _KINDS:
        if any(w in name for w in words):
            return start, steady, fmt
    return _generic_start, _generic_line, "%Y-%m-%dT%H:%M:%SZ"


class LogSource:
    """The lines one pod has written since it started: start-up lines, then a steady line every few seconds."""

    def __init__(self, image: str, pod: str, started_at: float) -> None:
        self.pod = pod
        self.started_at = started_at
        start, self._steady, fmt = kind_of(image)
        self._startup = start(image, _ts(started_at, fmt))
        self._seed = int.from_bytes(hashlib.sha256(pod.encode()).digest()[:8], "big")
        self.period = 2.0 + self._seed % 3

    def lines_until(self, now: float) -> list[str]:
        """Every line up to `now` (deterministic: the same pod gives the same history)."""
        steps = max(0, int((now - self.started_at) // self.period))
        return self._startup + [self.line(i) for i in range(steps)]

    def line(self, i: int) -> str:
        return self._steady(random.Random(self._seed + i), self.started_at + (i + 1) * self.period)

    def count_until(self, now: float) -> int:
        return len(self._startup) + max(0, int((now - self.started_at) // self.period))

    def at(self, index: int) -> str:
        return self._startup[index] if index < len(self._startup) else self.line(index - len(self._startup))
