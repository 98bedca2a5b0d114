import type { ShopDirectory } from '../shops/shop-directory';
import type { Mailer } from './mailer';

/**
 * A shop's admin mails go to the addresses the shop keeps (seed 004: its administrators and its 通知先), as its
 * `mailRoutes` say for the mail's kind (both when not said), one mail per address so the throttle counts each. A shop
 * with no addresses stored, or a mail with no shop, goes where its sender addressed it.
 */
export function addressedByShop(shops: Pick<ShopDirectory, 'record'>, mailer: Mailer): Mailer {
  return {
    async send(message) {
      if (!message.shopId || message.audience === 'end-user') return mailer.send(message);
      const shop = await shops.record(message.shopId);
      const routes = (message.kind && shop?.mailRoutes[message.kind]) || ['admins', 'notify'];
      const to = new Set([
        ...(routes.includes('admins') ? shop?.adminEmails ?? [] : []),
        ...(routes.includes('notify') && shop?.notifyEmail ? [shop.notifyEmail] : []),
      ]);
      if (to.size === 0) return mailer.send(message);
      const results = [];
      for (const address of to) results.push(await mailer.send({ ...message, to: address }));
      return { messageId: results.find((r) => r.messageId)?.messageId ?? null, sent: results.some((r) => r.sent) };
    },
    close: () => mailer.close(),
  };
}
