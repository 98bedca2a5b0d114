/** SCAFFOLD (issue 6): one cancellation saga per cancel request. Owned by the cancellation helper. */
export async function orderCancelWorkflow(): Promise<void> {}
