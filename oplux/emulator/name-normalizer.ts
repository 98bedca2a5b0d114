import express, { type Router } from 'express';
import { OPLUX_ERROR } from '../codes';
import { respondWithFaults, type WireResponse } from '../../sandbox/toolkit/respond';
import type { OpluxOperation } from './operations';
import type { EmulatorKit } from '../../sandbox/toolkit/emulator-kit';
import type { Detector } from './detector';

const json = (body: unknown, status = 200): WireResponse => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });

/** Letter counts the real normalizer returns; anything not kanji, kana or Latin counts as other. */
export function letterCount(name: string) {
  const chars = [...name.replace(/[\s\u3000]/g, '')];
  const count = (re: RegExp) => chars.filter((c) => re.test(c)).length;
  const kanji = count(/[\p{Script=Han}々〆]/u);
  const hiragana = count(/\p{Script=Hiragana}/u);
  const katakana = count(/[\p{Script=Katakana}ー]/u);
  const alphabet = count(/[A-Za-zＡ-Ｚａ-ｚ]/);
  return {
    nameLength: chars.length, kanjiCountInName: kanji, hiraganaCountInName: hiragana, katakanaCountInName: katakana,
    alphabetCountInName: alphabet, otherCountInName: chars.length - kanji - hiragana - katakana - alphabet,
  };
}

/**
 * The name normalizer (C.4): `?name=<姓 名>&fields=firstName,lastName`, JSON out, no auth (ASSUMED). The real one
 * resolves readings and variant kanji; this one trims, splits on the first space and echoes the writing, which is
 * what clients hash.
 */
export function createNameNormalizerRoutes(kit: EmulatorKit, detector: Detector): Router {
  const router = express.Router();
  router.get('/', (req, res) =>
    respondWithFaults(res, kit, 'normalizeName' satisfies OpluxOperation, () => {
      if (detector.inMaintenance()) {
        return json({ response: { result: 'error', errors: [OPLUX_ERROR.maintenance], time: 1 } }, 503);
      }
      const name = typeof req.query.name === 'string' ? req.query.name.trim() : '';
      if (!name) {
        return json({ response: { result: 'error', errors: [{ code: `${OPLUX_ERROR.required.code}:name`, message: OPLUX_ERROR.required.message }], time: 1 } }, 400);
      }
      const [last = '', ...rest] = name.split(/[\s\u3000]+/);
      const first = rest.join(' ');
      return json({
        response: {
          firstName: { alphabet: null, reading: null, writing: first || null },
          lastName: { alphabet: null, existed: true, reading: null, writing: last },
          result: 'success',
          letterCount: letterCount(name),
          time: 1,
        },
      });
    }),
  );
  return router;
}
