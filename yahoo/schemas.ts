import { z } from 'zod';

/**
 * Yahoo!ショッピング order API code tables (docs/providers/yahoo.md §2), shared by our client and our emulator.
 * Codes stay strings as the wire carries them.
 */
export const ORDER_STATUS = { '0': '未入力', '1': '予約中', '2': '処理中', '3': '保留', '4': 'キャンセル', '5': '完了', '8': '繰上げ同意待ち' } as const;
export type YahooOrderStatus = keyof typeof ORDER_STATUS;
/** What orderStatusChange may set; 0 and 8 only come back from orderList. */
export const SETTABLE_ORDER_STATUSES = ['1', '2', '3', '4', '5'] as const;
export type SettableOrderStatus = (typeof SETTABLE_ORDER_STATUSES)[number];

export const SETTLE_STATUS = {
  '1': '決済申込', '2': '支払待ち', '3': '支払完了', '4': '入金待ち', '5': '決済完了', '6': 'キャンセル', '7': '返金',
  '8': '有効期限切れ', '9': '決済申込中', '10': 'オーソリエラー', '11': '売上取消',
  '12': 'Suicaアドレスエラー', // in orderList's tables only, accepted from both APIs
} as const;
export type YahooSettleStatus = keyof typeof SETTLE_STATUS;

export const PAY_STATUS = { '0': '入金待ち', '1': '入金済み' } as const;
export type YahooPayStatus = keyof typeof PAY_STATUS;

export const SHIP_STATUS = { '0': '出荷不可', '1': '出荷可', '2': '出荷処理中', '3': '出荷済み', '4': '着荷済み' } as const;
export type YahooShipStatus = keyof typeof SHIP_STATUS;

export const PAY_TYPE = { '0': '後払い', '1': '前払い' } as const;
export const PAY_KIND = { '0': 'カード', '1': 'ネットバンキング', '2': 'キャリア決済', '3': '振込', '4': '代引', '5': 'コンビニ', '6': '電子マネー', '7': 'その他' } as const;

export const PAY_METHOD = {
  payment_a1: 'クレジットカード', payment_a6: 'コンビニ(セブン-イレブン)', payment_a7: 'コンビニ(その他)', payment_a8: 'モバイルSuica',
  payment_a9: 'd払い', payment_a10: 'auかんたん決済', payment_a11: 'ソフトバンクまとめて支払い', payment_a15: 'ペイジー',
  payment_a16: 'Yahoo!マネー/預金払い', payment_a17: 'PayPay残高等', payment_a18: 'ゆっくり払い', payment_a19: 'PayPayクレジット',
  payment_b1: '銀行振込', payment_d1: '商品代引', payment_z1: 'ポイント全額払い',
} as const;
export type YahooPayMethod = keyof typeof PAY_METHOD | (string & {});

export const CANCEL_REASON = {
  '0': 'システムキャンセル', '100': 'キャンセル', '110': '返品', '120': '未入金', '130': '住所不明', '140': '受け取り拒否',
  '150': '連絡不通', '160': '重複注文', '170': '決済審査不可', '180': 'その他(注文者都合)',
  '200': '決済方法都合', '210': '欠品', '220': '販売中止', '230': 'その他(ストア都合)', '400': '役務連動キャンセル',
} as const;
/** Reasons a store may send with OrderStatus 4 (buyer-set 300–380 and system 0/400 are not the store's). */
export const STORE_CANCEL_REASONS = ['100', '110', '120', '130', '140', '150', '160', '170', '180', '200', '210', '220', '230'] as const;
/** 380 「クレジットカードが利用できなかった」; the buyer's range is 300–380. */
export const BUYER_CANCEL_REASON_RANGE = { min: 300, max: 380 } as const;

/** ShipCompanyCode (A.2): the carriers a store may name in orderShipStatusChange / orderChange, with Yahoo's names. */
export const SHIP_COMPANY = {
  '1000': 'その他', '1001': 'ヤマト運輸', '1002': '佐川急便', '1003': '日本郵便', '1004': '西濃運輸', '1005': '西武運輸', '1006': '福山通運',
  '1007': '名鉄運輸', '1008': 'トナミ運輸', '1009': '第一貨物', '1010': '新潟運輸', '1011': '中越運送', '1012': '岡山県貨物運送',
  '1013': '久留米運送', '1014': '山陽自動車運送', '1015': '日本トラック', '1016': 'エコ配', '1017': 'EMS', '1018': 'DHL', '1019': 'FedEx',
  '1020': 'UPS', '1021': '日通通運', '1022': 'TNT', '1023': 'OCS', '1024': 'USPS', '1025': 'SFエクスプレス', '1026': 'Aramex',
  '1027': 'SGHグローバル・ジャパン', '1028': 'JPロジスティクス', '1029': 'MagicalMove', '5000': 'ASKUL LOGIST', '5001': '店頭受け取り',
} as const;
export type YahooShipCompanyCode = keyof typeof SHIP_COMPANY;
/** The carriers whose invoice numbers have their own rule (A.6). */
export const SHIP_COMPANY_YAMATO = '1001';
export const SHIP_COMPANY_JAPAN_POST = '1003';
/** 3-digit codes of orders placed before 2018-10 (A.2; their names are not in the docs): valid only on those orders. */
export const LEGACY_SHIP_COMPANY_CODES = ['999', '103', '104', '100'] as const;
export const LEGACY_SHIP_COMPANY_CODES_UNTIL = new Date('2018-10-01T00:00:00+09:00');
export const SHIP_COMPANY_CODES = [...(Object.keys(SHIP_COMPANY) as YahooShipCompanyCode[]), ...LEGACY_SHIP_COMPANY_CODES] as const;

export const SHIP_INVOICE_EMPTY_REASON = { '101': '直送品', '102': '発送不要', '103': '店頭受け取り', '104': '配送会社から直接連絡', '105': '追跡不可の配送方法' } as const;

/** Warning codes that still mean the update succeeded (A.6). */
export const WARNING = {
  sameStatus: 'od91705',
  cancelAsync: 'od91704',
  alreadyCaptured: 'od91113',
  paymentExpired: 'od91115',
} as const;

/** Flat field names that live under `<Pay>`, `<Ship>` and `<Detail>` in orderInfo (A.4); the rest are order level. */
export const PAY_FIELDS = [
  'PayStatus', 'SettleStatus', 'PayType', 'PayKind', 'PayMethod', 'PayMethodName', 'PayDate', 'SettleId',
  'PayMethodChangeDeadline', 'PayMethodChangeDoneDate', 'IsPayMethodChangePossible',
] as const;
export const SHIP_FIELDS = [
  'ShipStatus', 'ShipMethod', 'ShipMethodName', 'ShipCompanyCode', 'ShipInvoiceNumber1', 'ShipInvoiceNumber2',
  'ShipInvoiceNumberEmptyReason', 'ShipUrl', 'ShipDate', 'ArrivalDate', 'ShipNotes',
] as const;
export const DETAIL_FIELDS = ['PayCharge', 'ShipCharge', 'Discount', 'TotalPrice', 'SettleAmount'] as const;
export const ITEM_FIELDS = ['LineId', 'ItemId', 'Title', 'SubCode', 'UnitPrice', 'Quantity'] as const;

/** An OAuth token answer of /yconnect/v2/token. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.coerce.number().int().positive(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
