import { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerSearchAttributes } from '../../workers/register-search-attributes';
import { temporalCliPath } from '../../common/temporal-binaries';
import { freePort } from './free-port';

/** The real Temporal dev server (the installed CLI) on a free port, headless, with renkei's search attributes. */
export async function startDevServer(): Promise<{ env: TestWorkflowEnvironment; address: string }> {
  const port = await freePort();
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalCliPath() }, port, ui: false, extraArgs: ['--ui-disable-news-fetch'] },
  });
  await registerSearchAttributes(env.connection, 'default');
  return { env, address: `127.0.0.1:${port}` };
}
