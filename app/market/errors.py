"""Typed errors of the tenant flows: each says what happened and what to do next."""

from __future__ import annotations


class MarketError(Exception):
    """Base of every error raised by app.market; `hint` says what to do."""

    hint: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} {self.hint}".strip() if self.hint else text


class Cancelled(MarketError):
    """The person declined a confirmation; nothing was signed for that step."""

    def __init__(self, what: str = "the transaction") -> None:
        super().__init__(f"Cancelled: {what} was not signed.")


class PreflightFailed(MarketError):
    """A deployment would be refused (or cannot be paid): nothing was signed. `report` holds every check."""

    hint = "Fix the problems listed (or mint the ACT offered), then deploy again."

    def __init__(self, report: object, problems: list[str]) -> None:
        self.report = report
        self.problems = list(problems)
        super().__init__("The deployment cannot be created yet: " + "; ".join(self.problems) + ".")


class DeploymentNotFound(MarketError):
    """No such deployment on chain for this owner."""

    hint = "Check the DSEQ and the account (a deployment belongs to the account that created it)."

    def __init__(self, owner: str, dseq: int) -> None:
        self.owner, self.dseq = owner, dseq
        super().__init__(f"Deployment {dseq} of {owner} does not exist on this network.")


class DeploymentClosed(MarketError):
    """The deployment is closed: it cannot be leased, updated or funded any more."""

    hint = "Deploy the SDL again (its local record keeps it) to run it anew."

    def __init__(self, dseq: int, reason: str = "") -> None:
        self.dseq = dseq
        super().__init__(f"Deployment {dseq} is closed{': ' + reason if reason else ''}.")


class RecordMissing(MarketError):
    """The local record needed for this step (SDL / manifest) does not exist on this computer."""

    hint = "Give the SDL file again (e.g. `python -m app update DSEQ deploy.yaml`) so the manifest can be rebuilt."

    def __init__(self, dseq: int, what: str = "the SDL and manifest") -> None:
        self.dseq = dseq
        super().__init__(f"No local record of deployment {dseq} holds {what}.")


class BidNotAvailable(MarketError):
    """The chosen bid cannot be accepted (gone, lost, closed, or its order is no longer open)."""

    hint = "Pick another bid from the list (refresh it first)."

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"The bid {what} cannot be accepted: {reason}.")


class ProviderOffline(MarketError):
    """The provider of a bid does not answer: accepting it would pay for a lease nobody runs."""

    hint = "Choose a bid from another provider; this one's gateway is unreachable right now."

    def __init__(self, provider: str, host_uri: str, reason: str) -> None:
        self.provider, self.host_uri, self.reason = provider, host_uri, reason
        super().__init__(f"Provider {provider} ({host_uri}) is offline: {reason}.")


class UpdateRefused(MarketError):
    """An SDL update that changes what was leased (groups, resources, counts, prices): the chain keeps the groups."""

    hint = ("Only images, environment, commands, exposes and other service settings can change in place. To change "
            "resources, deploy the new SDL as a new deployment and close this one when it runs.")

    def __init__(self, changes: list[str]) -> None:
        self.changes = list(changes)
        super().__init__("This update would change what was leased: " + "; ".join(self.changes) + ".")


class NothingToUpdate(MarketError):
    """The new SDL gives the same manifest (and hash) as the deployment has: the chain refuses such an update."""

    hint = "Change the SDL (image, env, command...) or resend the manifest instead."

    def __init__(self, dseq: int) -> None:
        super().__init__(f"The SDL gives the same manifest as deployment {dseq} already has.")


class NoBidSelected(MarketError):
    """No bid passes the filters (or the order has none yet)."""

    hint = "Relax the filters (audited, region, GPU, max price), or wait for more bids."

    def __init__(self, detail: str) -> None:
        super().__init__(f"No bid to accept: {detail}.")
