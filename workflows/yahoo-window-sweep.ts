/** SCAFFOLD (issue 5): the scheduled orderList sweep. Owned by the Yahoo helper. */
export async function yahooWindowSweepWorkflow(): Promise<void> {}
