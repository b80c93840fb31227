"""Typed errors of the provider gateway client: what happened, with which provider, and what to do."""

from __future__ import annotations


class ProviderError(Exception):
    """Base of every error raised by app.provider."""

    hint: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} {self.hint}".strip() if self.hint else text


class ProviderUnreachable(ProviderError):
    """No connection could be made to the provider's gateway, or it broke before an answer."""

    hint = (
        "The provider may be offline or its address on chain may be wrong; try again in a moment. "
        "If it stays unreachable, close the lease so you stop paying for it."
    )

    def __init__(self, host_uri: str, reason: str) -> None:
        self.host_uri = host_uri
        self.reason = reason
        super().__init__(f"Provider {host_uri} could not be reached: {reason}.")


class ProviderTlsError(ProviderError):
    """The provider's server certificate is neither publicly trusted nor its certificate on chain."""

    hint = (
        "Do not trust this provider: nothing was sent to it. Someone may be intercepting the connection, "
        "or the provider runs with a certificate it never published; contact the provider before retrying."
    )

    def __init__(self, host_uri: str, provider: str, reason: str) -> None:
        self.host_uri = host_uri
        self.provider = provider
        self.reason = reason
        super().__init__(f"The TLS certificate of {host_uri} does not prove it is provider {provider}: {reason}.")


class ProviderAuthError(ProviderError):
    """The provider refused our credentials (HTTP 401/403, or a refused client certificate)."""

    def __init__(self, host_uri: str, method: str, detail: str, *, status: int | None = None) -> None:
        self.host_uri = host_uri
        self.method = method  # "jwt" or "mtls"
        self.detail = detail
        self.status = status
        if method == "mtls":
            self.hint = (
                "The client certificate is probably not published on chain, was revoked, or has expired: "
                "open Certificates, create and publish a new one (or switch to token authentication), then retry."
            )
        else:
            self.hint = (
                "The provider refused the signed access token. Check that this account has sent at least one "
                "transaction (the provider needs its public key on chain) and that the computer's clock is right."
            )
        code = f"HTTP {status}: " if status is not None else ""
        super().__init__(f"Provider {host_uri} refused the {_METHOD_NAMES.get(method, method)} ({code}{detail}).")


_METHOD_NAMES = {"jwt": "access token (JWT)", "mtls": "client certificate (mTLS)"}


class ManifestRejected(ProviderError):
    """HTTP 422: the provider refused the manifest (hash mismatch, invalid, or not what was leased)."""

    def __init__(self, host_uri: str, dseq: int, message: str) -> None:
        self.host_uri = host_uri
        self.dseq = dseq
        self.message = message
        if "version" in message.lower() or "hash" in message.lower():
            self.hint = (
                "The provider computed a different manifest hash than the one on chain: the manifest sent is "
                "not the one the deployment was created or last updated with. Resend the manifest built from the "
                "same SDL, or update the deployment with this manifest first."
            )
        else:
            self.hint = (
                "The manifest does not match what was leased or is invalid for this provider; check the SDL "
                "(services, resources, exposes) against the deployment on chain."
            )
        super().__init__(f"Provider {host_uri} rejected the manifest of deployment {dseq}: {message or '(no reason)'}.")


class LeaseNotFound(ProviderError):
    """The provider knows no such lease (or has not seen it yet / has no manifest for it)."""

    hint = (
        "If the lease was just created, the provider may not have seen it yet: wait a few seconds. If the "
        "manifest was never sent, send it; if the lease was closed, there is nothing left to show."
    )

    def __init__(self, host_uri: str, what: str, detail: str = "") -> None:
        self.host_uri = host_uri
        self.what = what
        self.detail = detail
        extra = f": {detail}" if detail else ""
        super().__init__(f"Provider {host_uri} has no {what}{extra}.")


class ProviderServiceUnavailable(ProviderError):
    """The provider's cluster could not serve the request now (HTTP 503 / WebSocket close 4002)."""

    hint = "The provider's cluster is busy or restarting; try again in a minute."

    def __init__(self, host_uri: str, detail: str = "") -> None:
        self.host_uri = host_uri
        self.detail = detail
        super().__init__(f"Provider {host_uri} is temporarily unavailable{': ' + detail if detail else ''}.")


class ProviderHttpError(ProviderError):
    """Any other non-success answer of the gateway."""

    hint = "This is the provider's own answer; if it persists, contact the provider."

    def __init__(self, host_uri: str, method: str, path: str, status: int, body: str) -> None:
        self.host_uri = host_uri
        self.method = method
        self.path = path
        self.status = status
        self.body = body
        super().__init__(f"Provider {host_uri} answered HTTP {status} to {method} {path}: {body or '(empty)'}.")


class ProviderBadResponse(ProviderError):
    """The gateway answered with something that is not the JSON this client expects."""

    hint = "The provider may run an incompatible version; contact the provider if it persists."

    def __init__(self, host_uri: str, path: str, problem: str) -> None:
        self.host_uri = host_uri
        self.path = path
        self.problem = problem
        super().__init__(f"Unexpected answer from provider {host_uri} for {path}: {problem}.")


class ProviderStreamError(ProviderError):
    """A log or event stream was closed by the provider with an error (WebSocket close 4000)."""

    hint = "The provider could not read the lease's logs or events (pods may be starting); try again shortly."

    def __init__(self, host_uri: str, code: int, reason: str) -> None:
        self.host_uri = host_uri
        self.code = code
        self.reason = reason
        super().__init__(f"Provider {host_uri} closed the stream (code {code}): {reason or 'internal error'}.")


def short(text: str, limit: int = 300) -> str:
    """One line of at most `limit` characters (provider bodies can be long HTML pages)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
