/** A postal address, the same fields as the gateway's garage address (plus region). */
export interface Address {
  line1: string;
  line2: string | null;
  city: string | null;
  region: string | null;
  postcode: string | null;
  /** ISO 3166-1 alpha-2, upper case */
  country: string | null;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** Two-letter codes ICU names that are not assigned ISO 3166-1 countries (reserved or "unknown"). */
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'UK', 'QO']);

/** An assigned ISO 3166-1 alpha-2 code (Node's ICU region data names it). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regionNames.of(code) !== code;
}

/** An address as stored: customers saved before the structured type kept one string, read as line1. */
export function addressOf(stored: unknown): Address | null {
  if (typeof stored === 'string') return stored ? { line1: stored, line2: null, city: null, region: null, postcode: null, country: null } : null;
  if (!stored || typeof stored !== 'object') return null;
  const a = stored as Partial<Record<keyof Address, string | null>>;
  if (!a.line1) return null;
  return { line1: a.line1, line2: a.line2 ?? null, city: a.city ?? null, region: a.region ?? null, postcode: a.postcode ?? null, country: a.country ?? null };
}
