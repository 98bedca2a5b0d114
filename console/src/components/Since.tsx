import { jst, relative } from '../format';

/** An instant in JST, and how long ago. */
export const Since = ({ at }: { at: string | null | undefined }) => (at ? <span title={at}>{jst(at)} <small>({relative(at)})</small></span> : <span>—</span>);
