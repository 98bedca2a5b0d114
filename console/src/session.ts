import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface Me { id: string; name: string; role: 'viewer' | 'operator' | 'admin'; shops: string[] | null }

/** Who is signed in and the shop being looked at; what the UI may offer follows the role (the API checks it again). */
export interface Session {
  me: Me;
  shopId: string;
  /** operator or admin: action controls are shown */
  canAct: boolean;
  isAdmin: boolean;
  /** the shop's paths: `/shops/<shop>` */
  base: string;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

export const sessionOf = (me: Me, shopId: string): Session => ({
  me, shopId, canAct: me.role !== 'viewer', isAdmin: me.role === 'admin', base: `/shops/${encodeURIComponent(shopId)}`,
});
