import type { z } from 'zod';
import { GmoPgApiError, type GmoPgOperation } from './errors';
import {
  alterTranOutputSchema, entryTranOutputSchema, execTranOutputSchema, searchTradeOutputSchema,
  type AlterJobCd, type ChangeJobCd, type EntryJobCd, type GmoMethod, type GmoStatus,
} from './schemas';
import { charsetOf, checkString, decodeSjis, encodeForm, errorsOf, parseKv, type WireCharset } from './wire';

export { checkString } from './wire';

export interface GmoPgClientOptions {
  /** e.g. https://pt01.mul-pay.jp/payment/ (test), https://p01.mul-pay.jp/payment/ (prod), or the sandbox's /gmo-pg/payment/ */
  baseUrl: string;
  shopId: string;
  shopPass: string;
  /** for stored-card (member) payments */
  siteId?: string;
  sitePass?: string;
  timeoutMs: number;
  /** how request values are encoded; Shift_JIS (Windows-31J) by default, as GMO's own modules send */
  charset?: WireCharset;
}

export type CardSource =
  | { cardNo: string; expire: string; securityCode?: string }
  | { token: string }
  | { memberId: string; cardSeq: number };

export interface EntryTranInput {
  orderId: string;
  jobCd: EntryJobCd;
  /** required unless CHECK */
  amount?: number;
  tax?: number;
  itemCode?: string;
}
export interface AccessKeys {
  accessId: string;
  accessPass: string;
}

export interface ExecTranInput extends AccessKeys {
  orderId: string;
  method?: GmoMethod;
  payTimes?: number;
  card: CardSource;
  clientFields?: [string?, string?, string?];
}
export interface ExecTranResult {
  orderId: string;
  forward: string;
  method: string;
  payTimes: string;
  approve: string;
  tranId: string;
  /** yyyyMMddHHmmss, JST */
  tranDate: string;
  checkString: string;
  clientFields?: [string, string, string];
}

export interface AlterTranInput extends AccessKeys {
  jobCd: AlterJobCd;
  /** SALES: the auth amount; re-auth (AUTH/CAPTURE/SAUTH on a canceled trade): the new amount; cancels: not needed */
  amount?: number;
  tax?: number;
  method?: GmoMethod;
  payTimes?: number;
}
export interface ChangeTranInput extends AccessKeys {
  jobCd: ChangeJobCd;
  amount: number;
  tax?: number;
}
export interface TranResult extends AccessKeys {
  forward: string;
  approve: string;
  tranId: string;
  tranDate: string;
}

export interface GmoTrade extends AccessKeys {
  orderId: string;
  status: GmoStatus;
  /** yyyyMMddHHmmss JST of the last processing, '' before any */
  processDate: string;
  jobCd: string;
  itemCode: string;
  amount: number;
  tax: number;
  siteId: string;
  memberId: string;
  /** masked */
  cardNo: string;
  expire: string;
  method: string;
  payTimes: string;
  forward: string;
  tranId: string;
  approve: string;
  clientFields: [string, string, string];
}

export interface GmoPgClient {
  entryTran(input: EntryTranInput): Promise<AccessKeys>;
  execTran(input: ExecTranInput): Promise<ExecTranResult>;
  alterTran(input: AlterTranInput): Promise<TranResult>;
  changeTran(input: ChangeTranInput): Promise<TranResult>;
  /** The trade, or null when GMO knows no such OrderID (E01110002). */
  searchTrade(orderId: string): Promise<GmoTrade | null>;
}

const num = (v: number | undefined) => (v === undefined ? undefined : String(v));

/**
 * Our GMO-PG protocol-type (idPass) client over global fetch. No hidden retries: every failure throws a
 * GmoPgApiError saying whether a retry can help and whether the trade's state is unknown (then SearchTrade first).
 */
export function createGmoPgClient(options: GmoPgClientOptions): GmoPgClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const charset = options.charset ?? 'Shift_JIS';
  const shop = { ShopID: options.shopId, ShopPass: options.shopPass };

  async function call<S extends z.ZodType>(operation: GmoPgOperation, fields: Record<string, string | undefined>, schema: S): Promise<z.infer<S>> {
    let response: Response;
    let bytes: Buffer;
    try {
      response = await fetch(`${base}/${operation}.idPass`, {
        method: 'POST',
        headers: { 'content-type': `application/x-www-form-urlencoded; charset=${charset}` },
        body: encodeForm(fields, charset),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw GmoPgApiError.timeout(operation, options.timeoutMs);
      throw GmoPgApiError.network(operation, e.cause?.code ?? e.cause?.message ?? e.message);
    }
    const text = charsetOf(response.headers.get('content-type') ?? undefined) === 'UTF-8' ? bytes.toString('utf8') : decodeSjis(bytes);
    if (response.status !== 200) throw GmoPgApiError.http(operation, response.status, text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    const kv = parseKv(text);
    const errors = errorsOf(kv);
    if (errors) throw GmoPgApiError.fromWire(operation, errors.codes, errors.infos);
    const parsed = schema.safeParse(kv);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // a 200 without ErrCode means GMO did something, so a state-changing call's state is unknown
      throw GmoPgApiError.invalidResponse(operation, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`, operation !== 'SearchTrade');
    }
    return parsed.data;
  }

  const tran = (o: z.infer<typeof alterTranOutputSchema>): TranResult => ({
    accessId: o.AccessID, accessPass: o.AccessPass, forward: o.Forward, approve: o.Approve, tranId: o.TranID, tranDate: o.TranDate,
  });

  return {
    async entryTran(input) {
      const o = await call('EntryTran', {
        ...shop, OrderID: input.orderId, JobCd: input.jobCd, Amount: num(input.amount), Tax: num(input.tax), ItemCode: input.itemCode,
      }, entryTranOutputSchema);
      return { accessId: o.AccessID, accessPass: o.AccessPass };
    },

    async execTran(input) {
      const c = input.card;
      const card: Record<string, string | undefined> =
        'cardNo' in c ? { CardNo: c.cardNo, Expire: c.expire, SecurityCode: c.securityCode }
          : 'token' in c ? { Token: c.token }
            : { SiteID: options.siteId, SitePass: options.sitePass, MemberID: c.memberId, CardSeq: String(c.cardSeq) };
      const cf = input.clientFields;
      const method = input.method ?? '1';
      const o = await call('ExecTran', {
        AccessID: input.accessId, AccessPass: input.accessPass, OrderID: input.orderId,
        Method: method, PayTimes: num(input.payTimes), ...card,
        ...(cf ? { ClientField1: cf[0], ClientField2: cf[1], ClientField3: cf[2], ClientFieldFlag: '1' } : {}),
      }, execTranOutputSchema);
      const result: ExecTranResult = {
        orderId: o.OrderID, forward: o.Forward, method: o.Method, payTimes: o.PayTimes, approve: o.Approve,
        tranId: o.TranID, tranDate: o.TranDate, checkString: o.CheckString,
        ...(cf ? { clientFields: [o.ClientField1 ?? '', o.ClientField2 ?? '', o.ClientField3 ?? ''] } : {}),
      };
      if (checkString(result, options.shopPass) !== o.CheckString) {
        throw GmoPgApiError.invalidResponse('ExecTran', 'CheckString does not verify', true);
      }
      return result;
    },

    async alterTran(input) {
      return tran(await call('AlterTran', {
        ...shop, AccessID: input.accessId, AccessPass: input.accessPass, JobCd: input.jobCd,
        Amount: num(input.amount), Tax: num(input.tax), Method: input.method, PayTimes: num(input.payTimes),
      }, alterTranOutputSchema));
    },

    async changeTran(input) {
      return tran(await call('ChangeTran', {
        ...shop, AccessID: input.accessId, AccessPass: input.accessPass, JobCd: input.jobCd, Amount: num(input.amount), Tax: num(input.tax),
      }, alterTranOutputSchema));
    },

    async searchTrade(orderId) {
      let o: z.infer<typeof searchTradeOutputSchema>;
      try {
        o = await call('SearchTrade', { ...shop, OrderID: orderId }, searchTradeOutputSchema);
      } catch (err) {
        if (err instanceof GmoPgApiError && err.infos.length === 1 && err.has('E01110002')) return null;
        throw err;
      }
      return {
        orderId: o.OrderID, status: o.Status, processDate: o.ProcessDate, jobCd: o.JobCd, accessId: o.AccessID, accessPass: o.AccessPass,
        itemCode: o.ItemCode, amount: Number(o.Amount || '0'), tax: Number(o.Tax || '0'), siteId: o.SiteID, memberId: o.MemberID,
        cardNo: o.CardNo, expire: o.Expire, method: o.Method, payTimes: o.PayTimes, forward: o.Forward, tranId: o.TranID,
        approve: o.Approve, clientFields: [o.ClientField1, o.ClientField2, o.ClientField3],
      };
    },
  };
}
