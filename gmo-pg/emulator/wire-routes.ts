import express, { type Request, type Response, type Router } from 'express';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { buildErrorKv, buildKv, charsetOf, decodeForm, encodeSjis, RESPONSE_CONTENT_TYPE } from '../wire';
import { GMO_APIS, type Answer, type GmoApi, type GmoGateway } from './gateway';
import type { Fields } from './validate';
import type { ScriptedErrors } from './scripted-errors';

const DEFAULT_TIMEOUT_HOLD_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every GMO answer: HTTP 200, `text/plain;charset=Windows-31J`, the unencoded `K=V&K=V` in Windows-31J bytes. */
function sendKv(res: Response, body: string): void {
  const bytes = encodeSjis(body);
  res.status(200).set({ 'Content-Type': RESPONSE_CONTENT_TYPE, 'Content-Length': String(bytes.length) }).end(bytes);
}
const answerBody = (a: Answer) => (a.ok ? buildKv(a.fields) : buildErrorKv(a.infos));

/**
 * The request's fields: urlencoded (Shift_JIS or UTF-8, see decodeForm) or multipart/form-data (as
 * gmopg/sdk-nodejs sends; its text parts are read as UTF-8). A missing Content-Type is read as urlencoded.
 */
async function readFields(req: Request): Promise<{ fields: Fields } | { error: string }> {
  const ct = req.get('content-type') ?? '';
  const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (/^multipart\/form-data/i.test(ct)) {
    try {
      const form = await new Response(body, { headers: { 'content-type': ct } }).formData();
      const fields: Fields = {};
      for (const [k, v] of form.entries()) if (typeof v === 'string' && !(k in fields)) fields[k] = v;
      return { fields };
    } catch {
      return { error: 'E00000010' };
    }
  }
  if (ct === '' || /^application\/x-www-form-urlencoded/i.test(ct)) return { fields: decodeForm(body, charsetOf(ct)).fields };
  return { error: 'E00000003' };
}

/**
 * GMO-PG's protocol type on the wire: POST `/<Api>.idPass`. GET (or any other method) answers E31500014, an
 * unknown API E91099997. The shared fault rules act first (an `error` is a gateway's HTML page with that status;
 * a `timeout` drops the connection, `afterEffect` after applying the call); then the scripted GMO errors.
 */
export function createGmoPgWireRoutes(kit: EmulatorKit, gateway: GmoGateway, scripted: ScriptedErrors): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '1mb' }));

  router.use(async (req, res) => {
    if (req.method !== 'POST') return sendKv(res, buildErrorKv(['E31500014']));
    const api = /^\/([A-Za-z0-9]+)\.idPass$/.exec(req.path)?.[1] as GmoApi | undefined;
    if (!api || !GMO_APIS.includes(api)) return sendKv(res, buildErrorKv(['E91099997']));
    const parsed = await readFields(req);

    const fault = kit.faults.take(api);
    if (fault?.kind === 'error') {
      const status = fault.status ?? 500;
      return void res.status(status).type('text/html; charset=utf-8').send(`<html><body><h1>${status}</h1></body></html>`);
    }
    if (fault?.kind === 'timeout' && !fault.afterEffect) return hangUp(res, fault.delayMs);
    let body: string;
    if ('error' in parsed) body = buildErrorKv([parsed.error]);
    else {
      const script = scripted.take(api);
      if (script && !script.afterEffect) {
        kit.ledger.record({ operation: api, orderId: parsed.fields.OrderID ?? '', applied: false, effect: `scripted ErrInfo=${script.infos.join('|')}` }, kit.clock.now());
        body = buildErrorKv(script.infos);
      } else {
        const answer = gateway.run(api, parsed.fields);
        body = script ? buildErrorKv(script.infos) : answerBody(answer);
      }
    }
    if (fault?.kind === 'timeout') return hangUp(res, fault.delayMs);
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
    sendKv(res, body);
  });

  return router;
}

async function hangUp(res: Response, delayMs = DEFAULT_TIMEOUT_HOLD_MS): Promise<void> {
  await sleep(delayMs);
  res.socket?.destroy();
}
