import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { authenticate, requireEveryShopAdmin, requireRoleForMethod } from './auth';
import { requireKnownShop } from './known-shop';
import { errorHandler } from './http-error';
import { temporalDeadline } from './dependency-deadline';
import { jsonInput } from './json-input';
import { createHealthRoutes } from './health';
import { apiMetrics } from '../metrics/api-metrics';
import { createOpenApiRoutes } from './openapi/routes';
import { createAuPayRoutes } from './au-pay/routes';
import { createAmazonPayRoutes } from './amazon-pay/routes';
import { createAmazonPayIpnRoutes } from './amazon-pay/ipn-routes';
import { createYahooRoutes } from './yahoo/routes';
import { createOpluxRoutes } from './oplux/routes';
import { createAccountRoutes } from './accounts/routes';
import { createMailRoutes } from './mail/routes';
import { createOrderOutRoutes } from './order-out/routes';
import { createOrderCancelRoutes } from './cancel/routes';
import { createAmountChangeRoutes } from './amount-change/routes';
import { createCodecRoutes, type CodecEndpoint } from './codec/routes';
import { createAttentionRoutes } from './attention/routes';
import { createOrderRoutes } from './orders/routes';
import { createBulkActionRoutes } from './bulk-actions/routes';
import { createShipmentImportRoutes } from './shipment-imports/routes';
import { shipmentImportInput } from './shipment-imports/input';
import { createOperatorRoutes } from './operators/routes';
import { createAuditRoutes } from './audit/routes';
import { createShopRoutes, createShopSettingsRoutes } from './shops/routes';
import { createConsoleRoutes } from '../console/serve';
import type { ShopDirectory } from '../shops/shop-directory';
import type { AccountStore } from '../db/provider-accounts';
import type { SnsVerifier } from '../amazon-pay/sns/sns-verifier';
import type { AmazonPayIpnAccountLookup } from './amazon-pay/ipn-account';

export interface ApiDeps {
  temporal: Client;
  db: Pool;
  apiToken: string;
  taskQueue: string;
  /** The shops this deployment serves (enabled shops, read from PostgreSQL in production). */
  isKnownShop(shopId: string): boolean | Promise<boolean>;
  /** The shops' records and settings; absent in tests that fix the known shops. */
  shops?: ShopDirectory;
  /** Verifies Amazon Pay IPNs (SNS signatures); its certificate-host policy comes from configuration. */
  ipnVerifier: SnsVerifier;
  /** Each shop's Amazon Pay merchant and IPN topics, which an IPN must match; absent, every IPN is refused. */
  amazonPayIpnAccount?: AmazonPayIpnAccountLookup;
  /** How long one request may wait on Temporal before it answers 503 (8 s when unset). */
  temporalDeadlineMs?: number;
  /** Sealed provider accounts; absent when this deployment has no ACCOUNTS_KEYS. */
  accounts?: AccountStore;
  /** The payload codec's endpoint for the Web UI; absent when this deployment has no PAYLOAD_KEYS. */
  payloadCodec?: CodecEndpoint;
  /** The Temporal Web UI the console links each workflow to (TEMPORAL_UI_URL); the dev server's when absent. */
  temporalUiUrl?: string;
}

/** The HTTP API, apart from listen() so tests serve it on a free port. It starts, signals, updates and reads. */
export function createApiApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const metrics = apiMetrics(deps.db);
  app.use(metrics.measure); // every request, refusals included, by its route template
  app.use((_req, res, next) => {
    // every answer, errors included: no content sniffing, and no cache keeps an order or an account
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  if (deps.payloadCodec) app.use('/codec', createCodecRoutes({ ...deps.payloadCodec, apiToken: deps.apiToken })); // its own auth, CORS and body limit
  app.use('/shops/:shopId/bulk-actions', jsonInput({ limit: '1mb' })); // 10,000 order ids of up to 64 characters
  app.use('/shops/:shopId/shipment-imports', shipmentImportInput()); // a shipment file of 100,000 rows: CSV or JSON
  app.use(jsonInput({ limit: '256kb' })); // 413 above it; NUL and lone surrogates refused in body and query (a body parsed above is not parsed again)
  app.use(createHealthRoutes(deps));
  app.use(metrics.routes); // GET /metrics (Prometheus): public like /health, and answered while Temporal is down
  app.use(createOpenApiRoutes()); // GET /openapi.json and its reference page /openapi: public, like /health
  app.use('/console', createConsoleRoutes()); // the operator console's static files: public, its data needs a token
  app.use(temporalDeadline(deps.temporal, deps.temporalDeadlineMs ?? 8_000)); // then 503 with Retry-After
  app.use('/shops/:shopId/amazon-pay/ipn', createAmazonPayIpnRoutes(deps)); // signed by SNS, not by our token
  app.use(authenticate(deps));
  app.use(createOperatorRoutes(deps)); // /operators: admins only, deployment-wide
  app.use('/audit', requireEveryShopAdmin, createAuditRoutes(deps));
  app.use(createShopRoutes(deps)); // /shops and /shops/:shopId: a disabled shop is still there for its admin
  app.use('/shops/:shopId', requireKnownShop(deps), requireRoleForMethod);
  app.use('/shops/:shopId/audit', createAuditRoutes(deps));
  app.use('/shops/:shopId/settings', createShopSettingsRoutes(deps));
  app.use('/shops/:shopId/au-pay', createAuPayRoutes(deps));
  app.use('/shops/:shopId/amazon-pay', createAmazonPayRoutes(deps));
  app.use('/shops/:shopId/yahoo', createYahooRoutes(deps));
  app.use('/shops/:shopId/oplux', createOpluxRoutes(deps));
  app.use('/shops/:shopId/accounts', createAccountRoutes(deps));
  app.use('/shops/:shopId/order-out', createOrderOutRoutes(deps));
  app.use('/shops/:shopId/cancellations', createOrderCancelRoutes(deps));
  app.use('/shops/:shopId/amount-changes', createAmountChangeRoutes(deps));
  app.use('/shops/:shopId/attention', createAttentionRoutes(deps));
  app.use('/shops/:shopId/bulk-actions', createBulkActionRoutes(deps));
  app.use('/shops/:shopId/shipment-imports', createShipmentImportRoutes(deps));
  app.use('/shops/:shopId/orders', createOrderRoutes(deps));
  app.use('/shops/:shopId', createMailRoutes(deps));
  app.use((req, res) => {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });
  app.use(errorHandler);
  return app;
}
