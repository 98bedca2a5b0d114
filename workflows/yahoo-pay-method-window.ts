/** SCAFFOLD (issue 5): one workflow per オーソリエラー order. Owned by the Yahoo helper. */
export async function yahooPayMethodWindowWorkflow(): Promise<void> {}
