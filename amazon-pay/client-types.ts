import type { z } from 'zod';
import type {
  cancelChargeRequestSchema, captureChargeRequestSchema, Charge, ChargePermission, closeChargePermissionRequestSchema,
  CreateChargeRequest, createRefundRequestSchema, Refund, updateChargePermissionRequestSchema,
} from './schemas';

/**
 * What renkei needs of Amazon Pay v2. Every POST that creates or moves money takes an idempotency key made by the
 * workflow (§6). No hidden retries: a failure throws AmazonPayApiError, whose `retryable` says if trying again helps.
 */
export interface AmazonPayClient {
  getChargePermission(chargePermissionId: string): Promise<ChargePermission>;
  updateChargePermission(chargePermissionId: string, patch: z.input<typeof updateChargePermissionRequestSchema>): Promise<ChargePermission>;
  closeChargePermission(chargePermissionId: string, body: z.input<typeof closeChargePermissionRequestSchema>): Promise<ChargePermission>;
  createCharge(request: CreateChargeRequest, idempotencyKey: string): Promise<Charge>;
  getCharge(chargeId: string): Promise<Charge>;
  captureCharge(chargeId: string, body: z.input<typeof captureChargeRequestSchema>, idempotencyKey: string): Promise<Charge>;
  cancelCharge(chargeId: string, body: z.input<typeof cancelChargeRequestSchema>): Promise<Charge>;
  createRefund(request: z.input<typeof createRefundRequestSchema>, idempotencyKey: string): Promise<Refund>;
  getRefund(refundId: string): Promise<Refund>;
}

export interface AmazonPayClientOptions {
  /** e.g. https://pay-api.amazon.jp, or the sandbox's http://127.0.0.1:7480/amazon-pay */
  baseUrl: string;
  /** the value of x-amz-pay-host (the bare API host, pay-api.amazon.jp in production) */
  host: string;
  region: 'jp' | 'us' | 'na' | 'eu' | 'de' | 'uk';
  environment: 'sandbox' | 'live';
  publicKeyId: string;
  /** PEM; lives in the worker's memory only, never in workflow history or logs */
  privateKey: string;
  /** 'AMZN-PAY-RSASSA-PSS-V2' (salt 32, default) or the legacy 'AMZN-PAY-RSASSA-PSS' (salt 20) */
  algorithm?: 'AMZN-PAY-RSASSA-PSS-V2' | 'AMZN-PAY-RSASSA-PSS';
  timeoutMs: number;
}
