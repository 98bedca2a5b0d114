/** Japanese names for what the API names in English keys; statuses are shown as the API returns them (the seeds' names). */
export const PROCESSES = ['au-pay', 'oplux', 'yahoo', 'cancel', 'order-out', 'amazon-pay', 'amazon-pay-recurring', 'amount-change', 'shipment'] as const;
export type Process = (typeof PROCESSES)[number];

export const PROCESS_LABEL: Record<string, string> = {
  'au-pay': 'au PAY 連携',
  oplux: 'O-PLUX 不正審査',
  yahoo: 'Yahoo 支払方法変更',
  cancel: 'キャンセル',
  'order-out': '受注データOUT',
  'amazon-pay': 'Amazon Pay 審査',
  'amazon-pay-recurring': 'Amazon Pay 定期',
  'amount-change': '金額変更',
  shipment: '出荷実績・売上確定',
};

export const ACTION_LABEL: Record<string, string> = {
  'au-pay.link-status': 'API連携ステータス変更',
  'oplux.manual-review': '目視審査結果登録',
  'oplux.black-flag': 'ブラックフラグ設定',
  'oplux.relink': 'O-PLUX再連携',
  'yahoo.decision': '期限切れの判断',
  'cancel.decision': '決済取消失敗の判断',
  'order-out.redeliver': '受注データ再送信',
  'amazon-pay-recurring.skip-next': '次回スキップ',
  'amazon-pay-recurring.plan': '定期プラン変更',
  'amazon-pay-recurring.cancel-child': '子注文キャンセル',
  'amazon-pay-recurring.child-shipped': '子注文出荷済み',
  'amazon-pay-recurring.close': '定期解約',
};

export const FIELD_LABEL: Record<string, string> = {
  status: 'ステータス',
  completedBeforeAutomation: '自動化前に完了済み',
  result: '目視審査結果',
  memo: '目視審査結果メモ',
  flag: 'ブラックフラグ',
  customerType: '顧客種別',
  decision: '判断',
  operator: '担当者',
  choice: '判断',
  amountJpy: '金額(円)',
  'interval.unit': '周期の単位',
  'interval.value': '周期',
  cycle: '回数',
  reason: '理由',
};

/** Enum values that are codes or English words, shown with their meaning. */
export const VALUE_LABEL: Record<string, string> = {
  'result:10': '10 OK', 'result:20': '20 NG', 'result:30': '30 保留',
  'flag:1': '1 ブラック', 'flag:0': '0 ブラックではない',
  'decision:cancel': 'キャンセルする', 'decision:keep': '受注を維持する', 'decision:retry': '再連携する',
  'choice:cancel-locally': 'renkei側のみキャンセル', 'choice:leave': 'キャンセルしない', 'choice:canceled-by-hand': '決済代行会社側で手動取消済み',
  'interval.unit:Day': '日', 'interval.unit:Week': '週', 'interval.unit:Month': '月',
};

export const ROLE_LABEL: Record<string, string> = { viewer: '参照', operator: '更新', admin: '管理者' };

export const OUTCOME_LABEL: Record<string, string> = {
  applied: '実行済み', refused: '拒否', notFound: '対象なし', 'not-found': '対象なし', failed: '失敗', canceled: '中止', pending: '処理待ち',
};

export const BULK_STATUS_LABEL: Record<string, string> = { running: '実行中', completed: '完了', canceled: '中止' };

export const label = (map: Record<string, string>, key: string): string => map[key] ?? key;
