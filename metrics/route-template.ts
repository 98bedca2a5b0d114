import type { Request } from 'express';

/**
 * The route a request matched, as its template (`/shops/:shopId/au-pay/shipments/:orderId`), never its URL: an order
 * id in a label would make one series per order. The router's own path is the tail of the template; the part before
 * it is where the router is mounted, where the only parameter renkei mounts under is the shop. No route matched
 * (a 404, or a refusal before routing, such as a 401): `unmatched`.
 */
export function routeTemplate(req: Pick<Request, 'route' | 'originalUrl'>): string {
  const route: unknown = req.route?.path;
  if (typeof route !== 'string') return 'unmatched';
  const segments = req.originalUrl.split('?')[0]!.replace(/\/+$/, '').split('/');
  const own = route === '/' ? 0 : route.replace(/\/+$/, '').split('/').length - 1;
  const mount = segments.slice(0, segments.length - own).join('/').replace(/^\/shops\/[^/]+/, '/shops/:shopId');
  const template = `${mount}${route === '/' ? '' : route}`;
  return template || '/';
}
