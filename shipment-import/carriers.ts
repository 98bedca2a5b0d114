/**
 * 配送会社: renkei's carrier codes and what each marketplace calls them. Yahoo's ShipCompanyCode (specs A.2) and au
 * PAY's shippingCarrier (specs B.2: 1, 2, 6 known; 4, 5, 7 assumed by one client). The file may give the code or the
 * Japanese name.
 */
export const CARRIERS = {
  yamato: { name: 'ヤマト運輸', aliases: ['クロネコヤマト'], yahoo: '1001', auPay: '1' },
  sagawa: { name: '佐川急便', aliases: [], yahoo: '1002', auPay: '2' },
  'japan-post': { name: '日本郵便', aliases: ['ゆうパック'], yahoo: '1003', auPay: '6' },
  seino: { name: '西濃運輸', aliases: [], yahoo: '1004', auPay: '4' },
  fukuyama: { name: '福山通運', aliases: [], yahoo: '1006', auPay: '5' },
  other: { name: 'その他', aliases: [], yahoo: '1000', auPay: '7' },
} as const satisfies Record<string, { name: string; aliases: readonly string[]; yahoo: string; auPay: string }>;

export type CarrierCode = keyof typeof CARRIERS;
export const CARRIER_CODES = Object.keys(CARRIERS) as CarrierCode[];

/** The carrier a file's 配送会社 cell names (code or name, surrounding spaces ignored), or undefined. */
export function carrierOf(cell: string): CarrierCode | undefined {
  const v = cell.trim();
  for (const code of CARRIER_CODES) {
    const c = CARRIERS[code];
    if (v === code || v === c.name || (c.aliases as readonly string[]).includes(v)) return code;
  }
  return undefined;
}
