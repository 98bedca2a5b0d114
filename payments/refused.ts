import { ApplicationFailure } from '@temporalio/common';

/** A provider call that retrying cannot fix: the operator reads the message (the process's own words) and decides. */
export const refused = (message: string): ApplicationFailure => ApplicationFailure.nonRetryable(message, 'ProviderRefused');
