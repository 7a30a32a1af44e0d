import { countryRanges, regionsByFirstCharacter, wmiManufacturers } from './wmi-table';

/** 49 CFR 565.15: transliteration of letters (I, O, Q are not allowed in a VIN) and position weights. */
const TRANSLITERATION: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
/** ISO 3779 order of characters within a country range */
const ORDER = 'ABCDEFGHJKLMNPRSTUVWXYZ1234567890';
/** Position 10 codes, 1980 (A) … 2009 (9), repeating every 30 years from 2010 (A). */
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

export interface VinProblem {
  field: 'vin';
  message: string;
}

export interface DecodedVin {
  vin: string;
  wmi: string;
  vds: string;
  vis: string;
  checkDigit: string;
  computedCheckDigit: string;
  /** false is reported, not refused: outside North America the check digit is optional */
  checkDigitValid: boolean;
  manufacturer: string | null;
  country: string | null;
  region: string | null;
  modelYearCode: string;
  /** both years the code can mean (30-year cycle), oldest first */
  modelYearCandidates: number[];
  /** the candidate position 7 picks for passenger cars, MPVs and light trucks (numeric → 1980–2009,
   * letter → 2010–2039); other vehicle classes may not follow that rule */
  modelYear: number | null;
  serialNumber: string;
}

/** Why a string is not a VIN at all (length, characters): an empty list means it is well-formed. */
export function vinProblems(raw: string): VinProblem[] {
  const vin = raw.trim().toUpperCase();
  const problems: VinProblem[] = [];
  if (vin.length !== 17) problems.push({ field: 'vin', message: `must be 17 characters (got ${vin.length})` });
  if (/[IOQ]/.test(vin)) problems.push({ field: 'vin', message: 'must not contain the letters I, O or Q' });
  if (/[^A-Z0-9]/.test(vin)) problems.push({ field: 'vin', message: 'may contain only letters and digits' });
  return problems;
}

export function computeCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const char = vin[i] as string;
    const value = /\d/.test(char) ? Number(char) : (TRANSLITERATION[char] ?? 0);
    sum += value * (WEIGHTS[i] as number);
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

export function countryOf(vin: string): string | null {
  const first = vin[0] as string;
  const second = ORDER.indexOf(vin[1] as string);
  for (const [range, from, to, country] of countryRanges) {
    if (range === first && second >= ORDER.indexOf(from) && second <= ORDER.indexOf(to)) return country;
  }
  return null;
}

export function modelYearsOf(vin: string): { candidates: number[]; likely: number | null } {
  const index = YEAR_CODES.indexOf(vin[9] as string);
  if (index < 0) return { candidates: [], likely: null };
  const candidates = [1980 + index, 2010 + index];
  const likely = /\d/.test(vin[6] as string) ? candidates[0] : candidates[1];
  return { candidates, likely: likely ?? null };
}

/** Decodes a well-formed VIN offline (call vinProblems first). */
export function decodeVin(raw: string): DecodedVin {
  const vin = raw.trim().toUpperCase();
  const computed = computeCheckDigit(vin);
  const years = modelYearsOf(vin);
  const wmi = vin.slice(0, 3);
  return {
    vin,
    wmi,
    vds: vin.slice(3, 9),
    vis: vin.slice(9),
    checkDigit: vin[8] as string,
    computedCheckDigit: computed,
    checkDigitValid: vin[8] === computed,
    manufacturer: wmiManufacturers[wmi] ?? null,
    country: countryOf(vin),
    region: regionsByFirstCharacter.find(([pattern]) => pattern.test(vin))?.[1] ?? null,
    modelYearCode: vin[9] as string,
    modelYearCandidates: years.candidates,
    modelYear: years.likely,
    serialNumber: vin.slice(11),
  };
}
