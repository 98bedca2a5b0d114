/**
 * GMO-PG ErrInfo codes (docs/providers/gmo-pg.md §4): meaning, the 状態 column of the official table (未決 = the trade is
 * unchanged, 不明 = unknown: SearchTrade before anything else) and our policy. `retryable` means that sending the
 * same call again later can succeed; when `stateUnknown` is also true, SearchTrade first (§5.3).
 * Exact codes win over the family patterns below them; an unknown code is "not retryable, state unchanged".
 */
export type GmoErrorAction =
  | 'fix-request' // our bug or bad input: no retry
  | 'config' // shop/site setup or contract
  | 'search-trade' // SearchTrade(OrderID) and adopt what it says
  | 'use-trade-amount'
  | 'reauth'
  | 'manual' // staff must act in the GMO console
  | 'customer' // the card holder must use another card or re-enter
  | 'new-token'
  | 'backoff-retry'
  | 'search-then-retry';

export interface GmoErrorMeaning {
  ja: string;
  en: string;
  state: '未決' | '不明';
  action: GmoErrorAction;
  retryable: boolean;
}

const m = (ja: string, en: string, action: GmoErrorAction, opts: { unknown?: boolean; retryable?: boolean } = {}): GmoErrorMeaning => ({
  ja, en, state: opts.unknown ? '不明' : '未決', action, retryable: opts.retryable ?? false,
});

/** Exact ErrInfo codes. */
export const GMO_ERROR_CODES: Readonly<Record<string, GmoErrorMeaning>> = {
  E00000001: m('リクエストメソッドが不正です', 'bad request method', 'fix-request'),
  E00000002: m('Acceptヘッダが不正です', 'bad Accept header', 'fix-request'),
  E00000003: m('Content-Typeが不正です', 'bad Content-Type', 'fix-request'),
  E00000010: m('リクエストボディが不正です', 'bad request body', 'fix-request'),
  E31500014: m('リクエストメソッドが不正です(POSTのみ)', 'method not allowed: POST only', 'fix-request'),
  E01010001: m('ショップIDが指定されていません', 'ShopID missing', 'config'),
  E01010008: m('ショップIDに半角英数字以外の文字が含まれているか、13文字を超えています', 'ShopID malformed or longer than 13', 'config'),
  E01020001: m('ショップパスワードが指定されていません', 'ShopPass missing', 'config'),
  E01020008: m('ショップパスワードに半角英数字以外の文字が含まれているか、10文字を超えています', 'ShopPass malformed or longer than 10', 'config'),
  E01030002: m('指定されたIDとパスワードのショップが存在しません', 'shop ID/pass wrong', 'config'),
  E01040001: m('オーダーIDが指定されていません', 'OrderID missing', 'fix-request'),
  E01040003: m('オーダーIDが最大文字数を超えています', 'OrderID longer than 27', 'fix-request'),
  E01040010: m('既にオーダーIDが存在しています', 'OrderID already exists (idempotency hit: SearchTrade for the AccessID)', 'search-trade'),
  E01040013: m('オーダーIDに半角英数字と”-”以外の文字が含まれています', 'OrderID has chars other than A-Z a-z 0-9 -', 'fix-request'),
  E01050001: m('処理区分が指定されていません', 'JobCd missing', 'fix-request'),
  E01050002: m('指定された処理区分は定義されていません', 'JobCd not defined', 'fix-request'),
  E01050004: m('指定した処理区分の処理は実行出来ません', 'this JobCd cannot run on the trade now', 'search-trade'),
  E01060001: m('利用金額が指定されていません', 'Amount missing', 'fix-request'),
  E01060005: m('利用金額が最大桁数を超えています', 'Amount longer than 7 digits', 'fix-request'),
  E01060006: m('利用金額に数字以外の文字が含まれています', 'Amount not numeric', 'fix-request'),
  E01060010: m('取引の利用金額と指定した利用金額が一致していません', 'Amount differs from the trade amount', 'use-trade-amount'),
  E01070005: m('税送料が最大桁数を超えています', 'Tax longer than 7 digits', 'fix-request'),
  E01070006: m('税送料に数字以外の文字が含まれています', 'Tax not numeric', 'fix-request'),
  E01090001: m('取引IDが指定されていません', 'AccessID missing', 'fix-request'),
  E01090008: m('取引IDの書式が正しくありません', 'AccessID malformed', 'fix-request'),
  E01100001: m('取引パスワードが指定されていません', 'AccessPass missing', 'fix-request'),
  E01100008: m('取引パスワードの書式が正しくありません', 'AccessPass malformed', 'fix-request'),
  E01110002: m('指定されたIDとパスワードの取引が存在しません', 'trade not found (AccessID/Pass or OrderID)', 'fix-request'),
  E01110010: m('指定された取引は決済が完了していません', 'trade not settled', 'search-trade'),
  E01170001: m('カード番号が指定されていません', 'CardNo missing', 'customer'),
  E01170003: m('カード番号が最大文字数を超えています', 'CardNo too long', 'customer'),
  E01170006: m('カード番号に数字以外の文字が含まれています', 'CardNo not numeric', 'customer'),
  E01170011: m('カード番号が10桁～16桁の範囲ではありません', 'CardNo not 10-16 digits', 'customer'),
  E01180001: m('有効期限が指定されていません', 'Expire missing', 'customer'),
  E01180003: m('有効期限が4桁ではありません', 'Expire not 4 digits', 'customer'),
  E01180006: m('有効期限に数字以外の文字が含まれています', 'Expire not numeric', 'customer'),
  E01180008: m('有効期限の書式が正しくありません', 'Expire malformed (YYMM)', 'customer'),
  E01190001: m('サイトIDが指定されていません', 'SiteID missing', 'config'),
  E01190008: m('サイトIDの書式が正しくありません', 'SiteID malformed', 'config'),
  E01200001: m('サイトパスワードが指定されていません', 'SitePass missing', 'config'),
  E01200008: m('サイトパスワードの書式が正しくありません', 'SitePass malformed', 'config'),
  E01210002: m('指定されたIDとパスワードのサイトが存在しません', 'site ID/pass wrong', 'config'),
  E01220001: m('会員IDが指定されていません', 'MemberID missing', 'fix-request'),
  E01220005: m('会員IDが最大桁数を超えています', 'MemberID too long', 'fix-request'),
  E01220008: m('会員IDの書式が正しくありません', 'MemberID malformed', 'fix-request'),
  E01230006: m('カード登録連番に数字以外の文字が含まれています', 'CardSeq not numeric', 'fix-request'),
  E01240002: m('指定されたカードが存在しません', 'stored card not found', 'customer'),
  E01260001: m('支払方法が指定されていません', 'Method missing', 'fix-request'),
  E01260002: m('指定された支払方法が存在しません', 'Method not defined', 'fix-request'),
  E01260010: m('指定されたカード番号または支払方法が正しくありません', 'card or Method not usable', 'customer'),
  E01270001: m('支払回数が指定されていません', 'PayTimes missing', 'fix-request'),
  E01270005: m('支払回数が最大桁数を超えています', 'PayTimes too long', 'fix-request'),
  E01270006: m('支払回数に数字以外の文字が含まれています', 'PayTimes not numeric', 'fix-request'),
  E01270010: m('指定された支払回数はご利用できません', 'PayTimes not allowed', 'customer'),
  E01320012: m('加盟店自由項目1の値が最大バイト数を超えています', 'ClientField1 too long', 'fix-request'),
  E01330012: m('加盟店自由項目2の値が最大バイト数を超えています', 'ClientField2 too long', 'fix-request'),
  E01340012: m('加盟店自由項目3の値が最大バイト数を超えています', 'ClientField3 too long', 'fix-request'),
  E01390002: m('指定されたサイトIDと会員IDの会員が存在しません', 'member not found', 'fix-request'),
  E01400007: m('加盟店自由項目返却フラグに”0”,”1”以外の値が指定されています', 'ClientFieldFlag not 0/1', 'fix-request'),
  E01410010: m('該当取引は操作禁止状態です', 'trade locked', 'manual'),
  E01420010: m('仮売上有効期間を超えています', 'authorization expired', 'reauth'),
  E01450008: m('商品コードの書式が正しくありません', 'ItemCode malformed', 'fix-request'),
  E01460008: m('セキュリティコードの書式が正しくありません', 'SecurityCode malformed', 'customer'),
  E01490005: m('利用金額・税送料の合計値が最大桁数を超えています', 'Amount+Tax longer than 7 digits', 'fix-request'),
  E01840010: m('必要な入力パラメータが指定されていません', 'a required parameter combination is missing', 'fix-request'),
  E11010001: m('この取引は既に決済が終了しています', 'trade already settled', 'search-trade'),
  E11010002: m('この取引は決済が終了していませんので、変更する事が出来ません', 'trade not settled: cannot change', 'search-trade'),
  E11010003: m('この取引は指定処理区分処理を行う事が出来ません', 'this JobCd cannot run on the trade (e.g. already canceled)', 'search-trade'),
  E11010010: m('180日を超えた取引のため、処理を行う事が出来ません', 'over 180 days: cannot process', 'manual'),
  E11010099: m('このカードはご利用になれません', 'card unusable', 'search-trade'),
  E11010999: m('特殊なエラー(処理が完了している可能性があります)', 'special error: the process may be complete', 'search-trade'),
  E61040001: m('現在のご契約では、カード番号を指定した決済処理は許可されていません', 'raw card numbers not allowed for this shop', 'config'),
  E82010001: m('実行中にエラーが発生しました。処理は開始されませんでした(同時実行)', 'concurrent execution: the earlier call completes', 'search-trade', { retryable: true }),
  E90010001: m('現在処理を行っているのでもうしばらくお待ち下さい(2重送信)', 'double submission: processing', 'search-then-retry', { unknown: true, retryable: true }),
  E91099996: m('システムの内部エラーです', 'system error', 'search-then-retry', { unknown: true, retryable: true }),
  E91099997: m('リクエストされたAPIは存在しません', 'no such API: check the URL', 'fix-request', { unknown: true }),
  E92000001: m('只今、大変込み合っていますので、しばらく時間をあけて再度決済を行ってください', 'throttled', 'backoff-retry', { retryable: true }),
  E92000002: m('只今、大変込み合っていますので、しばらく時間をあけて再度決済を行ってください', 'throttled', 'backoff-retry', { retryable: true }),
  EX1000301: m('トークンが指定されていません', 'token missing', 'new-token'),
  EX1000302: m('トークンは既に使用されています', 'token already used', 'new-token'),
  EX1000303: m('トークンの有効期限が切れています', 'token expired', 'new-token'),
  EX1000304: m('トークンが不正です', 'token invalid', 'new-token'),
  M01004014: m('指定された処理は実行できません', 'operation not allowed (multi-payment)', 'search-trade'),
  M01054004: m('指定された処理は実行できません', 'operation not allowed', 'search-trade'),
  M01057010: m('取消期間を過ぎています', 'cancel window over', 'manual'),
};

/** Issuer decline reasons of 42G…: the two digits after 42G. */
const DECLINE_REASONS: Record<string, [string, string]> = {
  '02': ['残高不足', 'insufficient funds'], '04': ['残高不足', 'insufficient funds'],
  '03': ['限度額オーバー', 'over the limit'], '05': ['限度額オーバー', 'over the limit'], '55': ['限度額オーバー', 'over the limit'],
  '44': ['セキュリティコード誤り', 'security code wrong'], '45': ['セキュリティコード誤り', 'security code wrong'],
  '65': ['カード番号誤り', 'card number wrong'], '83': ['有効期限誤り', 'expiry wrong'],
};

/** Families, tried in order after the exact table. */
const FAMILIES: Array<[RegExp, (info: string) => GmoErrorMeaning]> = [
  [/^E0000/, () => m('リクエスト形式エラー', 'malformed request', 'fix-request')],
  [/^E01\d{4}0001$/, () => m('必須項目が指定されていません', 'required field missing', 'fix-request')],
  [/^E01\d{6}$/, () => m('入力パラメータエラー', 'input parameter error', 'fix-request')],
  [/^E11/, () => m('取引エラー', 'trade error', 'search-trade')],
  [/^E2[1-9]/, () => m('3Dセキュア認証エラー', '3-D Secure failed', 'customer')],
  [/^E4[1-9]/, () => m('カード番号またはカードブランドが不正です', 'bad card number or brand', 'customer')],
  [/^E61/, () => m('加盟店設定エラー/ご契約内容エラー', 'shop setup or contract', 'config')],
  [/^E82/, () => m('実行の排他エラー', 'concurrent execution', 'search-trade', { retryable: true })],
  [/^E90/, () => m('2重送信エラー', 'double submission', 'search-then-retry', { unknown: true, retryable: true })],
  [/^E91/, () => m('システムエラー(通信)', 'system or communication error', 'search-then-retry', { unknown: true, retryable: true })],
  [/^E92/, () => m('只今大変込み合っています', 'throttled', 'backoff-retry', { retryable: true })],
  [/^EX1/, () => m('トークンエラー', 'token error', 'new-token')],
  [/^42C/, () => m('カード会社との通信エラー(CAFIS)', 'card-network communication error', 'search-then-retry', { unknown: true, retryable: true })],
  [/^42G/, (info) => {
    const [ja, en] = DECLINE_REASONS[info.slice(3, 5)] ?? ['カードは利用できません', 'card not usable'];
    return m(`カード会社で取引が承認されませんでした(${ja})`, `issuer decline: ${en}`, 'customer');
  }],
  [/^M01/, () => m('マルチ決済エラー', 'multi-payment API error', 'fix-request')],
];

const UNKNOWN = m('不明なエラーコード', 'unknown error code', 'fix-request');

/** The meaning of one ErrInfo code. */
export function describeGmoError(info: string): GmoErrorMeaning & { info: string } {
  const exact = GMO_ERROR_CODES[info];
  if (exact) return { info, ...exact };
  for (const [pattern, make] of FAMILIES) if (pattern.test(info)) return { info, ...make(info) };
  return { info, ...UNKNOWN };
}
