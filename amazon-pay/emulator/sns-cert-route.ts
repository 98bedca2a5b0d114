import express, { type Router } from 'express';
import type { SnsSigner } from '../sns/sns-signer';

/** The file name under the mount point; SNS's own are SimpleNotificationService-<hash>.pem. */
export const SNS_CERT_FILE = 'SimpleNotificationService-renkei-sandbox.pem';

/**
 * Serves the signer's certificate, the SigningCertURL of every emulator IPN. Mount it at `/__sns`, so that
 * `GET /__sns/SimpleNotificationService-renkei-sandbox.pem` answers the PEM.
 */
export function createCertRoute(signer: SnsSigner): Router {
  const router = express.Router();
  router.get(`/${SNS_CERT_FILE}`, async (_req, res) => {
    res.type('application/x-pem-file').send(await signer.certificatePem());
  });
  return router;
}
