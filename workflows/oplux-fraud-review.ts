/** SCAFFOLD (issue 5): one fraud review per completed order. Owned by the O-PLUX helper. */
export async function opluxFraudReviewWorkflow(): Promise<void> {}
