import { DefaultFailureConverter } from '@temporalio/common';

/**
 * With the payload codec on, a failure's message and stack trace go into an encoded payload (so the codec encrypts
 * them: an SMTP refusal or a provider's error can quote a buyer's address); Temporal keeps "Encoded failure" in clear.
 * Loaded by path (`failureConverterPath`): the worker bundles it into the workflow code, clients `require` it.
 * Workflow-safe: it imports nothing but @temporalio/common.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
