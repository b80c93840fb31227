"""mTLS client certificates of the tenant: local (encrypted in the wallet) vs on chain; create+publish, revoke,
regenerate. The private key only ever lives in the wallet's encrypted payload (app.provider.certstore)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from app.chain.errors import TxRejected
from app.chain.tx import TxResult
from app.market.context import MarketContext
from app.market.errors import Cancelled, MarketError
from app.market.signing import TxSender
from app.provider import certs, certstore
from app.provider.certstore import CertificateEntry, CertStatus, SecretSource
from app.wallet.keystore import Keystore

log = logging.getLogger(__name__)


class NoUsableCertificate(MarketError):
    """mTLS was asked for but no published, valid certificate with its key is on this computer."""

    hint = "Create and publish one (`python -m app certs create`), or use token (JWT) authentication."


@dataclass(frozen=True)
class PublishedCertificate:
    pair: certs.ClientKeyPair
    result: TxResult
    revoked: tuple[int, ...] = ()


@dataclass
class CertificateService:
    """Certificates of `ctx.owner`, with keys stored in wallet `wallet` of `keystore` (password per call)."""

    ctx: MarketContext
    keystore: Keystore
    wallet: str

    async def entries(self, source: SecretSource | None) -> list[CertificateEntry]:
        """Every certificate known here or on chain, newest first, with its status and advice."""
        return await certstore.overview(self.ctx.chain, source, self.ctx.owner)

    async def usable(self, source: SecretSource) -> certs.ClientKeyPair:
        entry = certstore.pick_usable(await self.entries(source))
        if entry is None or entry.local is None:
            raise NoUsableCertificate("No usable mTLS client certificate for this account.")
        return entry.local

    async def create(self, sender: TxSender, password: str, *, revoke: tuple[int, ...] = ()) -> PublishedCertificate:
        """A new certificate: stored encrypted first, then published (with MsgRevokeCertificate for `revoke`
        in the same transaction: "regenerate"). A refused or cancelled publication removes the local copy."""
        pair = certs.create_client_certificate(self.ctx.owner)
        await certstore.store_client_certificate_async(self.keystore, self.wallet, password, pair)
        msgs = [certs.msg_revoke_certificate(self.ctx.owner, s) for s in revoke]
        msgs.append(certs.msg_create_certificate(pair.certificate))
        try:
            result = await sender.send(msgs)
        except (Cancelled, TxRejected):
            await asyncio.to_thread(certstore.delete_client_certificate, self.keystore, self.wallet, password,
                                    self.ctx.owner, pair.certificate.serial)
            raise
        log.info("client certificate %s published in block %s", pair.certificate.serial, result.height)
        return PublishedCertificate(pair, result, tuple(revoke))

    async def revoke(self, sender: TxSender, serials: tuple[int, ...], *, password: str = "") -> TxResult:
        """Revoke on chain; with the password, also forget the local keys of those certificates."""
        if not serials:
            raise ValueError("no certificate to revoke")
        result = await sender.send([certs.msg_revoke_certificate(self.ctx.owner, s) for s in serials])
        if password:
            for serial in serials:
                await asyncio.to_thread(certstore.delete_client_certificate, self.keystore, self.wallet, password,
                                        self.ctx.owner, serial)
        return result

    async def regenerate(self, sender: TxSender, password: str, source: SecretSource | None) -> PublishedCertificate:
        """Revoke every valid certificate of the account and publish a new one, in one transaction."""
        valid = [e.serial for e in await self.entries(source) if e.on_chain_state == "valid"
                 and e.status is not CertStatus.REVOKED]
        return await self.create(sender, password, revoke=tuple(valid))
