/**
 * reasonDescription texts for the reason codes the emulator sets. Amazon's own wording is not public for most of
 * them; these say what the code means (spec §3, §5), which is what a log reader needs.
 */
const DESCRIPTIONS: Record<string, string> = {
  // ChargePermission
  PaymentMethodInvalid: 'The previous charge was declined. Ask the buyer to update the payment method.',
  PaymentMethodDeleted: 'The buyer deleted the payment method.',
  BillingAddressDeleted: 'The buyer deleted the billing address.',
  PaymentMethodExpired: 'The payment method expired.',
  PaymentMethodNotAllowed: 'The payment method is not allowed for this Charge Permission.',
  PaymentMethodNotSet: 'No payment method is set.',
  ChargeInProgress: 'A charge is already in progress.',
  MFAFailed: 'Multi-factor authentication failed.',
  MerchantClosed: 'The merchant closed the Charge Permission.',
  BuyerClosed: 'The buyer closed the Charge Permission.',
  AmazonClosed: 'Amazon closed the Charge Permission.',
  Expired: 'The Charge Permission expired.',
  // Charge
  ExpiredUnused: 'The authorization expired before it was captured.',
  AmazonCanceled: 'Amazon canceled it.',
  MerchantCanceled: 'The merchant canceled the charge.',
  ChargePermissionCanceled: 'The Charge Permission was closed with cancelPendingCharges.',
  BuyerCanceled: 'The buyer canceled it.',
  SoftDeclined: 'The charge was declined; retrying may succeed.',
  HardDeclined: 'The charge was declined; the buyer must update the payment method.',
  AmazonRejected: 'Amazon rejected the transaction.',
  ProcessingFailure: 'Amazon could not process the transaction.',
  TransactionTimedOut: 'Amazon could not complete the authorization in time.',
};

export const reasonDescription = (reasonCode: string | null): string | null =>
  reasonCode === null ? null : (DESCRIPTIONS[reasonCode] ?? reasonCode);
