/**
 * World Manufacturer Identifiers (VIN positions 1–3) → manufacturer, and ISO 3779 country ranges
 * (positions 1–2) → country. Pure data, kept out of the decoding code.
 *
 * Sources: Wikipedia, "Vehicle identification number", sections "World manufacturer identifier" and
 * "Country or region codes" (https://en.wikipedia.org/wiki/Vehicle_identification_number, list as of
 * 2024), cross-checked against NHTSA vPIC manufacturer WMIs (https://vpic.nhtsa.dot.gov/api/,
 * GetWMIsForManufacturer). Only well-established WMIs are listed; an unknown WMI decodes to
 * manufacturer null, never to a guess.
 */
export const wmiManufacturers: Readonly<Record<string, string>> = {
  // United States (1, 4, 5, 7F–70)
  '1B3': 'Dodge', '1C3': 'Chrysler', '1C4': 'Chrysler (Jeep/Dodge MPV)', '1C6': 'Ram', '1D3': 'Dodge', '1D7': 'Dodge',
  '1FA': 'Ford', '1FB': 'Ford', '1FC': 'Ford', '1FD': 'Ford', '1FM': 'Ford', '1FT': 'Ford', '1FU': 'Freightliner',
  '1FV': 'Freightliner', '1G1': 'Chevrolet', '1G2': 'Pontiac', '1G3': 'Oldsmobile', '1G4': 'Buick', '1G6': 'Cadillac',
  '1G8': 'Saturn', '1GB': 'Chevrolet', '1GC': 'Chevrolet', '1GD': 'GMC', '1GK': 'GMC', '1GM': 'Pontiac',
  '1GN': 'Chevrolet', '1GT': 'GMC', '1GY': 'Cadillac', '1HD': 'Harley-Davidson', '1HG': 'Honda', '1J4': 'Jeep',
  '1J8': 'Jeep', '1L1': 'Lincoln', '1LN': 'Lincoln', '1ME': 'Mercury', '1M1': 'Mack Trucks', '1M2': 'Mack Trucks',
  '1M8': 'Motor Coach Industries', '1N4': 'Nissan', '1N6': 'Nissan', '1NX': 'Toyota (NUMMI)', '1VW': 'Volkswagen',
  '1XK': 'Kenworth', '1XP': 'Peterbilt', '1YV': 'Mazda (AutoAlliance)', '1ZV': 'Ford (AutoAlliance)',
  '4F2': 'Mazda', '4JG': 'Mercedes-Benz', '4M2': 'Mercury', '4S3': 'Subaru', '4S4': 'Subaru', '4T1': 'Toyota',
  '4T3': 'Toyota', '4T4': 'Toyota', '4US': 'BMW', '4V4': 'Volvo Trucks North America', '5FN': 'Honda',
  '5J6': 'Honda', '5J8': 'Acura', '5LM': 'Lincoln', '5N1': 'Nissan', '5NM': 'Hyundai', '5NP': 'Hyundai',
  '5TD': 'Toyota', '5TF': 'Toyota', '5UX': 'BMW', '5XY': 'Kia', '5YJ': 'Tesla', '7SA': 'Tesla',
  // Canada (2) and Mexico (3A–3W)
  '2C3': 'Chrysler', '2C4': 'Chrysler', '2FA': 'Ford', '2FM': 'Ford', '2FT': 'Ford', '2G1': 'Chevrolet',
  '2G2': 'Pontiac', '2HG': 'Honda', '2HK': 'Honda', '2HM': 'Hyundai', '2T1': 'Toyota', '2T2': 'Lexus',
  '2T3': 'Toyota', '3C4': 'Chrysler', '3D7': 'Ram', '3FA': 'Ford', '3FE': 'Ford', '3G1': 'Chevrolet',
  '3GN': 'Chevrolet', '3HG': 'Honda', '3MZ': 'Mazda', '3N1': 'Nissan', '3VW': 'Volkswagen',
  // Japan (J)
  JA3: 'Mitsubishi', JA4: 'Mitsubishi', JF1: 'Subaru', JF2: 'Subaru', JH2: 'Honda (motorcycles)', JH4: 'Acura',
  JHL: 'Honda', JHM: 'Honda', JKA: 'Kawasaki (motorcycles)', JM1: 'Mazda', JM3: 'Mazda', JMB: 'Mitsubishi',
  JMZ: 'Mazda', JN1: 'Nissan', JN8: 'Nissan', JS1: 'Suzuki (motorcycles)', JS2: 'Suzuki', JS3: 'Suzuki',
  JSA: 'Suzuki', JT2: 'Toyota', JT3: 'Toyota', JT4: 'Toyota', JTD: 'Toyota', JTE: 'Toyota', JTH: 'Lexus',
  JTJ: 'Lexus', JTK: 'Toyota', JTL: 'Toyota', JTM: 'Toyota', JTN: 'Toyota', JYA: 'Yamaha (motorcycles)',
  // South Korea (KL–KR)
  KL1: 'GM Korea (Chevrolet/Daewoo)', KLA: 'Daewoo', KM8: 'Hyundai', KMH: 'Hyundai', KNA: 'Kia', KND: 'Kia',
  KNM: 'Renault Samsung', KPT: 'SsangYong',
  // China (L)
  L6T: 'Geely', LB3: 'Geely', LBV: 'BMW Brilliance', LC0: 'BYD', LDC: 'Dongfeng Peugeot-Citroën',
  LFM: 'FAW Toyota', LFV: 'FAW-Volkswagen', LGB: 'Dongfeng Nissan', LGX: 'BYD', LHG: 'GAC Honda',
  LRW: 'Tesla', LSG: 'SAIC General Motors', LSV: 'SAIC Volkswagen', LTV: 'FAW Toyota (Tianjin)',
  LVG: 'GAC Toyota', LVS: 'Changan Ford', LYV: 'Volvo Cars (China)',
  // India, Thailand, Turkey, Malaysia (M, N, P)
  MA1: 'Mahindra', MA3: 'Maruti Suzuki', MAL: 'Hyundai (India)', MAT: 'Tata Motors', MBH: 'Suzuki (India)',
  MD2: 'Bajaj Auto', ME4: 'Honda (motorcycles, India)', MMB: 'Mitsubishi (Thailand)', MNB: 'Ford (Thailand)',
  MPA: 'Isuzu (Thailand)', MR0: 'Toyota (Thailand)', NLH: 'Hyundai Assan', NM0: 'Ford Otosan',
  NMT: 'Toyota (Turkey)', PL1: 'Proton',
  // United Kingdom (SA–SM)
  SAD: 'Jaguar', SAJ: 'Jaguar', SAL: 'Land Rover', SAR: 'Rover', SB1: 'Toyota (UK)', SCA: 'Rolls-Royce',
  SCB: 'Bentley', SCC: 'Lotus', SCF: 'Aston Martin', SFA: 'Ford (UK)', SFD: 'Alexander Dennis',
  SHH: 'Honda (UK)', SHS: 'Honda (UK)', SJN: 'Nissan (UK)', SMT: 'Triumph (motorcycles)',
  // Central Europe (T, U)
  TMA: 'Hyundai (Czech Republic)', TMB: 'Škoda', TRU: 'Audi (Hungary)', TSM: 'Suzuki (Hungary)',
  U5Y: 'Kia (Slovakia)', U6Y: 'Kia (Slovakia)', UU1: 'Dacia',
  // Austria, France, Spain (V)
  VAN: 'MAN (Austria)', VBK: 'KTM (motorcycles)', VF1: 'Renault', VF3: 'Peugeot', VF6: 'Renault Trucks',
  VF7: 'Citroën', VF9: 'Bugatti', VNK: 'Toyota (France)', VR1: 'DS Automobiles', VR3: 'Peugeot',
  VS6: 'Ford (Spain)', VSE: 'Suzuki (Santana Motor)', VSK: 'Nissan (Spain)', VSS: 'SEAT', VWV: 'Volkswagen (Spain)',
  // Germany (W)
  W0L: 'Opel', W0V: 'Opel', W1K: 'Mercedes-Benz', W1N: 'Mercedes-Benz', W1V: 'Mercedes-Benz (vans)',
  WA1: 'Audi', WAU: 'Audi', WB1: 'BMW (motorcycles)', WBA: 'BMW', WBS: 'BMW M', WBX: 'BMW', WBY: 'BMW i',
  WDB: 'Mercedes-Benz', WDC: 'Mercedes-Benz', WDD: 'Mercedes-Benz', WDF: 'Mercedes-Benz (vans)',
  WF0: 'Ford (Germany)', WMA: 'MAN', WME: 'smart', WMW: 'MINI', WP0: 'Porsche', WP1: 'Porsche',
  WUA: 'Audi Sport', WV1: 'Volkswagen Commercial Vehicles', WV2: 'Volkswagen Commercial Vehicles',
  WVG: 'Volkswagen', WVW: 'Volkswagen',
  // Netherlands, Russia (X)
  XLR: 'DAF Trucks', XTA: 'Lada (AvtoVAZ)',
  // Sweden, Finland (Y)
  YK1: 'Saab (Valmet)', YS2: 'Scania', YS3: 'Saab', YV1: 'Volvo Cars', YV2: 'Volvo Trucks', YV4: 'Volvo Cars',
  // Italy (Z)
  ZAM: 'Maserati', ZAP: 'Piaggio', ZAR: 'Alfa Romeo', ZCF: 'Iveco', ZDM: 'Ducati', ZFA: 'Fiat', ZFF: 'Ferrari',
  ZHW: 'Lamborghini', ZLA: 'Lancia',
  // Oceania (6, 7A–7E), South America (8, 9), Africa (A)
  '6FP': 'Ford (Australia)', '6G1': 'Holden', '6MM': 'Mitsubishi (Australia)', '6T1': 'Toyota (Australia)',
  '9BD': 'Fiat (Brazil)', '9BF': 'Ford (Brazil)', '9BG': 'Chevrolet (Brazil)', '9BR': 'Toyota (Brazil)',
  '9BW': 'Volkswagen (Brazil)', AAV: 'Volkswagen (South Africa)', AFA: 'Ford (South Africa)',
  AHT: 'Toyota (South Africa)',
};

/** ISO 3779 ranges over the second character, in the standard's order A–Z (no I, O, Q), 1–9, 0. */
export const countryRanges: readonly [first: string, from: string, to: string, country: string][] = [
  ['A', 'A', 'H', 'South Africa'], ['A', 'J', 'K', "Côte d'Ivoire"], ['C', 'A', 'B', 'Benin'],
  ['D', 'A', 'D', 'Egypt'], ['D', 'F', 'K', 'Morocco'], ['H', 'A', '0', 'China'], ['J', 'A', '0', 'Japan'],
  ['K', 'F', 'K', 'Israel'], ['K', 'L', 'R', 'South Korea'], ['K', '1', '5', 'South Korea'],
  ['L', 'A', '0', 'China'], ['M', 'A', 'E', 'India'], ['M', 'F', 'K', 'Indonesia'], ['M', 'L', 'R', 'Thailand'],
  ['M', 'Y', '0', 'India'], ['N', 'A', 'E', 'Iran'], ['N', 'F', 'G', 'Pakistan'], ['N', 'L', 'R', 'Turkey'],
  ['P', 'A', 'C', 'Philippines'], ['P', 'F', 'G', 'Singapore'], ['P', 'L', 'R', 'Malaysia'],
  ['R', 'A', 'B', 'United Arab Emirates'], ['R', 'F', 'K', 'Taiwan'], ['R', 'L', 'M', 'Vietnam'],
  ['R', 'N', 'R', 'Saudi Arabia'], ['S', 'A', 'M', 'United Kingdom'], ['S', 'N', 'T', 'Germany'],
  ['S', 'U', 'Z', 'Poland'], ['T', 'A', 'H', 'Switzerland'], ['T', 'J', 'P', 'Czech Republic'],
  ['T', 'R', 'V', 'Hungary'], ['T', 'W', '2', 'Portugal'], ['U', 'A', 'C', 'Spain'], ['U', 'H', 'M', 'Denmark'],
  ['U', 'N', 'R', 'Ireland'], ['U', 'U', 'X', 'Romania'], ['U', '5', '7', 'Slovakia'], ['V', 'A', 'E', 'Austria'],
  ['V', 'F', 'R', 'France'], ['V', 'S', 'W', 'Spain'], ['W', 'A', '0', 'Germany'], ['X', 'A', 'E', 'Bulgaria'],
  ['X', 'F', 'K', 'Greece'], ['X', 'L', 'R', 'Netherlands'], ['X', 'S', 'W', 'Russia'],
  ['X', '3', '0', 'Russia'], ['Y', 'A', 'E', 'Belgium'], ['Y', 'F', 'K', 'Finland'], ['Y', 'S', 'W', 'Sweden'],
  ['Y', 'X', '2', 'Norway'], ['Y', '6', '8', 'Ukraine'], ['Z', 'A', 'R', 'Italy'], ['Z', 'X', '2', 'Slovenia'],
  ['Z', '3', '5', 'Lithuania'], ['1', 'A', '0', 'United States'], ['2', 'A', '0', 'Canada'],
  ['3', 'A', 'W', 'Mexico'], ['4', 'A', '0', 'United States'], ['5', 'A', '0', 'United States'],
  ['6', 'A', 'W', 'Australia'], ['7', 'A', 'E', 'New Zealand'], ['7', 'F', '0', 'United States'],
  ['8', 'A', 'E', 'Argentina'], ['8', 'F', 'G', 'Chile'], ['8', 'L', 'N', 'Ecuador'], ['8', 'S', 'W', 'Peru'],
  ['8', 'X', '2', 'Venezuela'], ['9', 'A', 'E', 'Brazil'], ['9', 'F', 'J', 'Colombia'], ['9', 'S', 'V', 'Uruguay'],
  ['9', '3', '9', 'Brazil'],
];

/** ISO 3779 regions by the first character. */
export const regionsByFirstCharacter: readonly [pattern: RegExp, region: string][] = [
  [/^[A-C]/, 'Africa'],
  [/^[H-R]/, 'Asia'],
  [/^[S-Z]/, 'Europe'],
  [/^[1-5]/, 'North America'],
  [/^[6-7]/, 'Oceania'],
  [/^[8-9]/, 'South America'],
];
