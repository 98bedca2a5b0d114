import { randomBytes, randomInt } from 'node:crypto';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import { checkString } from '../wire';
import { cancelJobCdFor, CANCEL_LIMIT_DAYS } from '../cancel-plan';
import { formatGmoDate, jstDayNumber } from '../dates';
import {
  ALTER_JOB_CDS, CANCELABLE_STATUSES, CHANGE_JOB_CDS, DEFAULT_ITEM_CODE, ENTRY_JOB_CDS, isCancelStatus,
  type CancelJobCd, type GmoStatus,
} from '../schemas';
import {
  accessRules, amountRule, digits, matches, maxBytes, maxLen, methodRules, oneOf, orderIdRule, shopRules, taxRule,
  totalCheck, validateFields, type FieldRule, type Fields,
} from './validate';

/** The test Forward code the real test host returns (§2). */
export const TEST_FORWARD = '2a99662';
/** The test success card (§6). */
export const TEST_CARD = '4111111111111111';

export interface GmoShop {
  shopId: string;
  shopPass: string;
  /** false: ExecTran with CardNo is refused with E61040001 (tokens and stored cards only) */
  cardNoAllowed: boolean;
}
export interface StoredCard {
  cardSeq: number;
  cardNo: string;
  expire: string;
}
export interface GmoSite {
  siteId: string;
  sitePass: string;
  members: Map<string, StoredCard[]>;
}
export interface IssuedToken {
  token: string;
  cardNo: string;
  expire: string;
  securityCode?: string;
  expiresAt: Date;
  used: boolean;
}

export interface GmoTradeRecord {
  shopId: string;
  orderId: string;
  accessId: string;
  accessPass: string;
  /** the JobCd of EntryTran */
  entryJobCd: string;
  status: GmoStatus;
  amount: number;
  tax: number;
  itemCode: string;
  method: string;
  payTimes: string;
  forward: string;
  approve: string;
  tranId: string;
  /** the last processing (entry, exec, alter, change, admin cancel) */
  processedAt: Date;
  /** when the current authorization was taken, for the SALES validity */
  authAt?: Date;
  siteId: string;
  memberId: string;
  cardNo: string;
  expire: string;
  clientFields: [string, string, string];
  /** 操作禁止 in the console: every change answers E01410010 */
  locked: boolean;
  /** every processing, as the console's history shows it (ChangeTran writes two rows) */
  history: Array<{ at: string; jobCd: string; amount: number; tranId: string; by: string }>;
}

export interface GmoSettings {
  /** enforce the VOID (same JST day) / RETURN (same month, or AUTH) / RETURNX (≤180 days) split; off by default (§3) */
  strictCancelWindow: boolean;
  /** days an AUTH can be captured with SALES (the official module assumes 90) */
  authValidDays: number;
  /** minutes a control-plane token stays usable (GUESS) */
  tokenValidMinutes: number;
  /** the answers to a repeated state-changing call (§5.6, §7.1: the real codes are not known) */
  repeatErrors: {
    /** VOID/RETURN/RETURNX/SALES on a canceled trade */
    cancelOnCanceled: string[];
    /** SALES on SALES */
    salesOnSales: string[];
    /** ExecTran on a trade that is no longer UNPROCESSED */
    execOnProcessed: string[];
  };
}

export const defaultGmoSettings = (): GmoSettings => ({
  strictCancelWindow: false,
  authValidDays: 90,
  tokenValidMinutes: 30,
  repeatErrors: { cancelOnCanceled: ['E11010003'], salesOnSales: ['E11010001'], execOnProcessed: ['E01050004', 'M01004014'] },
});

export type Answer = { ok: true; fields: Array<[string, string]> } | { ok: false; infos: string[] };
const fail = (...infos: string[]): Answer => ({ ok: false, infos });

export type GmoApi = 'EntryTran' | 'ExecTran' | 'AlterTran' | 'ChangeTran' | 'SearchTrade';
export const GMO_APIS: readonly GmoApi[] = ['EntryTran', 'ExecTran', 'AlterTran', 'ChangeTran', 'SearchTrade'];

/**
 * Magic amounts (Amount of EntryTran, or of a re-auth/ChangeTran): 4200NN declines with 42GNN0000 (the issuer's
 * reason NN, e.g. 420055 → 42G550000 limit, 420083 expiry); 4210NN fails with 42CNN0000 (card-network
 * communication error). Either way nothing is applied: an ExecTran leaves the trade UNPROCESSED.
 */
export function magicAmountError(amount: number): string | undefined {
  if (amount >= 420_000 && amount <= 420_099) return `42G${String(amount - 420_000).padStart(2, '0')}0000`;
  if (amount >= 421_000 && amount <= 421_099) return `42C${String(amount - 421_000).padStart(2, '0')}0000`;
  return undefined;
}

const hex32 = () => randomBytes(16).toString('hex');
const digitsOf = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');
const luhn = (cardNo: string) => {
  let sum = 0;
  [...cardNo].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return sum % 10 === 0;
};
const mask = (cardNo: string) => `${'*'.repeat(Math.max(cardNo.length - 4, 0))}${cardNo.slice(-4)}`;

/** GMO-PG's shops, sites, tokens and trades, and the rules of §2–§5. */
export class GmoGateway {
  readonly shops = new Map<string, GmoShop>();
  readonly sites = new Map<string, GmoSite>();
  readonly tokens = new Map<string, IssuedToken>();
  /** by `${shopId}:${orderId}` */
  readonly trades = new Map<string, GmoTradeRecord>();
  settings = defaultGmoSettings();

  constructor(private readonly kit: EmulatorKit) {}

  reset(): void {
    this.shops.clear();
    this.sites.clear();
    this.tokens.clear();
    this.trades.clear();
    this.settings = defaultGmoSettings();
  }

  registerShop(shopId: string, shopPass: string, cardNoAllowed = true): GmoShop {
    const shop = { shopId, shopPass, cardNoAllowed };
    this.shops.set(shopId, shop);
    return shop;
  }

  registerSite(siteId: string, sitePass: string): GmoSite {
    const site = { siteId, sitePass, members: this.sites.get(siteId)?.members ?? new Map<string, StoredCard[]>() };
    this.sites.set(siteId, site);
    return site;
  }

  issueToken(card: { cardNo: string; expire: string; securityCode?: string }): IssuedToken {
    const token = randomBytes(32).toString('base64');
    const t: IssuedToken = { ...card, token, used: false, expiresAt: new Date(this.now().getTime() + this.settings.tokenValidMinutes * 60_000) };
    this.tokens.set(token, t);
    return t;
  }

  trade(shopId: string, orderId: string): GmoTradeRecord | undefined {
    return this.trades.get(`${shopId}:${orderId}`);
  }

  private byAccess(accessId: string | undefined, accessPass: string | undefined): GmoTradeRecord | undefined {
    for (const t of this.trades.values()) if (t.accessId === accessId && t.accessPass === accessPass) return t;
    return undefined;
  }

  private now(): Date {
    return this.kit.clock.now();
  }

  private record(operation: string, orderId: string, applied: boolean, effect: string): void {
    this.kit.ledger.record({ operation, orderId, applied, effect }, this.now());
  }

  /** Runs one API call; every call lands in the ledger, with `applied` only when the trade changed. */
  run(api: GmoApi, f: Fields): Answer {
    const answer = this.dispatch(api, f);
    if (!answer.ok) this.record(api, f.OrderID ?? this.byAccess(f.AccessID, f.AccessPass)?.orderId ?? '', false, `ErrInfo=${answer.infos.join('|')}`);
    return answer;
  }

  private dispatch(api: GmoApi, f: Fields): Answer {
    switch (api) {
      case 'EntryTran': return this.entryTran(f);
      case 'ExecTran': return this.execTran(f);
      case 'AlterTran': return this.alterTran(f);
      case 'ChangeTran': return this.changeTran(f);
      case 'SearchTrade': return this.searchTrade(f);
    }
  }

  /** Field errors first (all of them); then the shop's ID and password. */
  private checkShop(f: Fields, rules: FieldRule[]): { ok: true; shop: GmoShop } | { ok: false; answer: Answer } {
    const errors = validateFields(f, rules);
    errors.push(...totalCheck(f, errors));
    if (errors.length) return { ok: false, answer: fail(...errors) };
    const shop = this.shops.get(f.ShopID ?? '');
    if (!shop || shop.shopPass !== f.ShopPass) return { ok: false, answer: fail('E01030002') };
    return { ok: true, shop };
  }

  private newTran(t: GmoTradeRecord, jobCd: string, by: string, keepTranId = false): void {
    const now = this.now();
    if (!keepTranId) {
      t.tranId = `${formatGmoDate(now).slice(2, 12)}${digitsOf(18)}`;
      t.approve = digitsOf(7);
    }
    t.forward = TEST_FORWARD;
    t.processedAt = now;
    t.history.push({ at: formatGmoDate(now), jobCd, amount: t.amount, tranId: t.tranId, by });
  }

  private tranFields(t: GmoTradeRecord): Array<[string, string]> {
    return [['AccessID', t.accessId], ['AccessPass', t.accessPass], ['Forward', t.forward], ['Approve', t.approve], ['TranID', t.tranId], ['TranDate', formatGmoDate(t.processedAt)]];
  }

  // ---------- EntryTran ----------

  private entryTran(f: Fields): Answer {
    const checked = this.checkShop(f, [
      ...shopRules,
      orderIdRule,
      { name: 'JobCd', required: 'E01050001', checks: [[oneOf(ENTRY_JOB_CDS), 'E01050002']] },
      amountRule((x) => (x.JobCd === 'CHECK' ? undefined : 'E01060001')),
      taxRule,
      { name: 'ItemCode', checks: [[matches(/^\d{7}$/), 'E01450008']] },
      { name: 'TdFlag', checks: [[oneOf(['0', '1', '2']), 'E01080007'], [oneOf(['0']), 'E01080010']] },
    ]);
    if (!checked.ok) return checked.answer;
    const orderId = f.OrderID as string;
    if (this.trade(checked.shop.shopId, orderId)) return fail('E01040010');
    const now = this.now();
    const t: GmoTradeRecord = {
      shopId: checked.shop.shopId, orderId, accessId: hex32(), accessPass: hex32(), entryJobCd: f.JobCd as string, status: 'UNPROCESSED',
      amount: Number(f.Amount || '0'), tax: Number(f.Tax || '0'), itemCode: f.ItemCode || DEFAULT_ITEM_CODE, method: '', payTimes: '',
      forward: '', approve: '', tranId: '', processedAt: now, siteId: '', memberId: '', cardNo: '', expire: '',
      clientFields: ['', '', ''], locked: false, history: [],
    };
    this.trades.set(`${t.shopId}:${orderId}`, t);
    this.record('EntryTran', orderId, true, `UNPROCESSED JobCd=${t.entryJobCd} Amount=${t.amount} Tax=${t.tax}`);
    return { ok: true, fields: [['AccessID', t.accessId], ['AccessPass', t.accessPass]] };
  }

  // ---------- ExecTran ----------

  private execTran(f: Fields): Answer {
    const peek = this.byAccess(f.AccessID, f.AccessPass);
    const useToken = !!f.Token;
    const useMember = !useToken && !!(f.MemberID || f.SiteID);
    const rules: FieldRule[] = [
      ...accessRules,
      orderIdRule,
      ...methodRules(() => (peek && peek.entryJobCd !== 'CHECK' ? 'E01260001' : undefined)),
    ];
    if (useMember) {
      rules.push(
        { name: 'SiteID', required: 'E01190001', checks: [[matches(/^[A-Za-z0-9]{1,13}$/), 'E01190008']] },
        { name: 'SitePass', required: 'E01200001', checks: [[matches(/^[A-Za-z0-9]{1,20}$/), 'E01200008']] },
        { name: 'MemberID', required: 'E01220001', checks: [[maxLen(60), 'E01220005'], [matches(/^[A-Za-z0-9\-_.@]+$/), 'E01220008']] },
        { name: 'CardSeq', checks: [[digits, 'E01230006']] },
      );
    } else if (!useToken) {
      rules.push(
        { name: 'CardNo', required: 'E01170001', checks: [[digits, 'E01170006'], [maxLen(16), 'E01170003'], [(v) => v.length >= 10, 'E01170011']] },
        { name: 'Expire', required: 'E01180001', checks: [[(v) => v.length === 4, 'E01180003'], [digits, 'E01180006'], [matches(/^\d{2}(0[1-9]|1[0-2])$/), 'E01180008']] },
        { name: 'SecurityCode', checks: [[matches(/^\d{3,4}$/), 'E01460008']] },
      );
    }
    rules.push(
      { name: 'ClientField1', checks: [[maxBytes(100), 'E01320012']] },
      { name: 'ClientField2', checks: [[maxBytes(100), 'E01330012']] },
      { name: 'ClientField3', checks: [[maxBytes(100), 'E01340012']] },
      { name: 'ClientFieldFlag', checks: [[oneOf(['0', '1']), 'E01400007']] },
    );
    const errors = validateFields(f, rules);
    if (errors.length) return fail(...errors);
    const t = peek;
    if (!t || t.orderId !== f.OrderID) return fail('E01110002');
    if (t.locked) return fail('E01410010');
    if (t.status !== 'UNPROCESSED') return fail(...this.settings.repeatErrors.execOnProcessed);
    const shop = this.shops.get(t.shopId);

    let card: { cardNo: string; expire: string; siteId?: string; memberId?: string };
    if (useToken) {
      const token = this.tokens.get(f.Token as string);
      if (!token) return fail('EX1000304');
      if (token.used) return fail('EX1000302');
      if (token.expiresAt.getTime() < this.now().getTime()) return fail('EX1000303');
      token.used = true; // spent by the attempt, whatever its outcome (GUESS)
      card = token;
    } else if (useMember) {
      const site = this.sites.get(f.SiteID as string);
      if (!site || site.sitePass !== f.SitePass) return fail('E01210002');
      const cards = site.members.get(f.MemberID as string);
      if (!cards) return fail('E01390002');
      const stored = cards.find((c) => c.cardSeq === Number(f.CardSeq || '0'));
      if (!stored) return fail('E01240002');
      card = { ...stored, siteId: site.siteId, memberId: f.MemberID as string };
    } else {
      if (shop && !shop.cardNoAllowed) return fail('E61040001');
      card = { cardNo: f.CardNo as string, expire: f.Expire as string };
    }
    if (!luhn(card.cardNo)) return fail('42G650000');
    if (card.expire < formatGmoDate(this.now()).slice(2, 6)) return fail('42G830000');
    const magic = magicAmountError(t.amount);
    if (magic) return fail(magic);

    const before = t.status;
    t.status = t.entryJobCd as GmoStatus;
    t.method = f.Method || (t.entryJobCd === 'CHECK' ? '' : '1');
    t.payTimes = f.PayTimes ?? '';
    t.cardNo = mask(card.cardNo);
    t.expire = card.expire;
    t.siteId = card.siteId ?? '';
    t.memberId = card.memberId ?? '';
    t.clientFields = [f.ClientField1 ?? '', f.ClientField2 ?? '', f.ClientField3 ?? ''];
    if (t.status === 'AUTH' || t.status === 'SAUTH') t.authAt = this.now();
    this.newTran(t, t.status, 'ExecTran');
    this.record('ExecTran', t.orderId, true, `${before} -> ${t.status} Amount=${t.amount} TranID=${t.tranId}`);
    const tranDate = formatGmoDate(t.processedAt);
    const fields: Array<[string, string]> = [
      ['ACS', '0'], ['OrderID', t.orderId], ['Forward', t.forward], ['Method', t.method], ['PayTimes', t.payTimes], ['Approve', t.approve],
      ['TranID', t.tranId], ['TranDate', tranDate],
      ['CheckString', checkString({ orderId: t.orderId, forward: t.forward, method: t.method, payTimes: t.payTimes, approve: t.approve, tranId: t.tranId, tranDate }, shop?.shopPass ?? '')],
    ];
    if (f.ClientFieldFlag === '1') fields.push(['ClientField1', t.clientFields[0]], ['ClientField2', t.clientFields[1]], ['ClientField3', t.clientFields[2]]);
    return { ok: true, fields };
  }

  // ---------- AlterTran ----------

  private findTrade(shop: GmoShop, f: Fields): GmoTradeRecord | undefined {
    const t = this.byAccess(f.AccessID, f.AccessPass);
    return t && t.shopId === shop.shopId ? t : undefined;
  }

  /** The error for a change that the status does not allow, per §3 and the repeat settings. */
  private notAllowed(t: GmoTradeRecord): Answer {
    if (isCancelStatus(t.status)) return fail(...this.settings.repeatErrors.cancelOnCanceled);
    if (t.status === 'UNPROCESSED' || t.status === 'AUTHENTICATED') return fail('E11010002');
    return fail('E01050004');
  }

  private alterTran(f: Fields): Answer {
    const checked = this.checkShop(f, [
      ...shopRules,
      ...accessRules,
      { name: 'JobCd', required: 'E01050001', checks: [[oneOf(ALTER_JOB_CDS), 'E01050002']] },
      amountRule(),
      taxRule,
      ...methodRules(),
    ]);
    if (!checked.ok) return checked.answer;
    const t = this.findTrade(checked.shop, f);
    if (!t) return fail('E01110002');
    if (t.locked) return fail('E01410010');
    const jobCd = f.JobCd as string;
    const now = this.now();
    const before = t.status;

    if (jobCd === 'SALES') {
      if (t.status === 'SALES') return fail(...this.settings.repeatErrors.salesOnSales);
      if (t.status !== 'AUTH') return this.notAllowed(t);
      if (!f.Amount) return fail('E01060001');
      if (Number(f.Amount) !== t.amount) return fail('E01060010');
      if (t.authAt && now.getTime() - t.authAt.getTime() > this.settings.authValidDays * 86_400_000) return fail('E01420010');
      t.status = 'SALES';
      this.newTran(t, 'SALES', 'AlterTran', true); // SALES keeps the auth's TranID and Approve [tk]
    } else if (jobCd === 'VOID' || jobCd === 'RETURN' || jobCd === 'RETURNX') {
      if (!(CANCELABLE_STATUSES as readonly string[]).includes(t.status)) return this.notAllowed(t);
      const refused = this.cancelRefusal(t, jobCd, now);
      if (refused) return refused;
      t.status = jobCd;
      this.newTran(t, jobCd, 'AlterTran');
    } else {
      // re-auth of a canceled trade: AUTH, CAPTURE or SAUTH with the new amount [cube reauthOrder]
      if (!isCancelStatus(t.status)) return fail('E01050004');
      if (!f.Amount) return fail('E01060001');
      const magic = magicAmountError(Number(f.Amount));
      if (magic) return fail(magic);
      t.status = jobCd as GmoStatus;
      t.amount = Number(f.Amount);
      t.tax = Number(f.Tax || '0');
      if (f.Method) t.method = f.Method;
      if (f.PayTimes !== undefined) t.payTimes = f.PayTimes;
      if (jobCd !== 'CAPTURE') t.authAt = now;
      this.newTran(t, jobCd, 'AlterTran');
    }
    this.record('AlterTran', t.orderId, true, `${before} -> ${t.status} Amount=${t.amount} TranID=${t.tranId}`);
    return { ok: true, fields: this.tranFields(t) };
  }

  /** Past 180 days every cancel is refused (E11010010); in strict mode only the JobCd of the §3 split is allowed. */
  private cancelRefusal(t: GmoTradeRecord, jobCd: CancelJobCd, now: Date): Answer | undefined {
    if (jstDayNumber(now) - jstDayNumber(t.processedAt) > CANCEL_LIMIT_DAYS) return fail('E11010010');
    if (!this.settings.strictCancelWindow) return undefined;
    const expected = cancelJobCdFor(t.status, t.processedAt, now);
    return expected?.jobCd === jobCd ? undefined : fail('E01050004');
  }

  // ---------- ChangeTran ----------

  private changeTran(f: Fields): Answer {
    const checked = this.checkShop(f, [
      ...shopRules,
      ...accessRules,
      { name: 'JobCd', required: 'E01050001', checks: [[oneOf(CHANGE_JOB_CDS), 'E01050002']] },
      amountRule('E01060001'),
      taxRule,
    ]);
    if (!checked.ok) return checked.answer;
    const t = this.findTrade(checked.shop, f);
    if (!t) return fail('E01110002');
    if (t.locked) return fail('E01410010');
    if (!(CANCELABLE_STATUSES as readonly string[]).includes(t.status)) return this.notAllowed(t);
    // GMO cancels and re-auths inside; if the re-auth fails, the trade reverts [kiz]
    const magic = magicAmountError(Number(f.Amount));
    if (magic) return fail(magic);
    const before = `${t.status} Amount=${t.amount}`;
    const cancelCd = t.status === 'AUTH' || t.status === 'SAUTH' ? 'VOID' : 'RETURN';
    this.newTran(t, cancelCd, 'ChangeTran');
    t.status = f.JobCd as GmoStatus;
    t.amount = Number(f.Amount);
    t.tax = Number(f.Tax || '0');
    if (t.status !== 'CAPTURE') t.authAt = this.now();
    this.newTran(t, t.status, 'ChangeTran');
    this.record('ChangeTran', t.orderId, true, `${before} -> ${t.status} Amount=${t.amount} TranID=${t.tranId}`);
    return { ok: true, fields: this.tranFields(t) };
  }

  // ---------- SearchTrade ----------

  private searchTrade(f: Fields): Answer {
    const checked = this.checkShop(f, [...shopRules, orderIdRule]);
    if (!checked.ok) return checked.answer;
    const t = this.trade(checked.shop.shopId, f.OrderID as string);
    if (!t) return fail('E01110002');
    this.record('SearchTrade', t.orderId, false, `read Status=${t.status}`);
    return { ok: true, fields: searchFields(t) };
  }

  // ---------- out of band ----------

  /** A cancel made in the GMO admin screen: the JobCd of the §3 split unless given; recorded as `admin.cancel`. */
  adminCancel(t: GmoTradeRecord, jobCd?: CancelJobCd): { ok: true } | { ok: false; error: string } {
    if (!(CANCELABLE_STATUSES as readonly string[]).includes(t.status)) return { ok: false, error: `a ${t.status} trade cannot be canceled` };
    const cd = jobCd ?? cancelJobCdFor(t.status, t.processedAt, this.now())?.jobCd;
    if (!cd) return { ok: false, error: `over ${CANCEL_LIMIT_DAYS} days: no cancel` };
    const before = t.status;
    t.status = cd;
    this.newTran(t, cd, 'admin');
    this.record('admin.cancel', t.orderId, true, `${before} -> ${cd} (GMO admin screen)`);
    return { ok: true };
  }
}

/** SearchTrade's answer fields, in SearchTradeOutput order. After a cancel, JobCd is the cancel's (§6, GUESS). */
export function searchFields(t: GmoTradeRecord): Array<[string, string]> {
  return [
    ['OrderID', t.orderId], ['Status', t.status], ['ProcessDate', formatGmoDate(t.processedAt)],
    ['JobCd', t.status === 'UNPROCESSED' ? t.entryJobCd : t.status], ['AccessID', t.accessId], ['AccessPass', t.accessPass],
    ['ItemCode', t.itemCode], ['Amount', String(t.amount)], ['Tax', String(t.tax)], ['SiteID', t.siteId], ['MemberID', t.memberId],
    ['CardNo', t.cardNo], ['Expire', t.expire], ['Method', t.method], ['PayTimes', t.payTimes], ['Forward', t.forward],
    ['TranID', t.tranId], ['Approve', t.approve],
    ['ClientField1', t.clientFields[0]], ['ClientField2', t.clientFields[1]], ['ClientField3', t.clientFields[2]],
  ];
}
