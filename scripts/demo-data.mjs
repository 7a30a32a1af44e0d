// The demo stack's data: seeds the demo tenants and keys (gateway CLI), then fills the London demo
// garage through the public API with the demo key, as a partner would, and prints how to call it.
// Idempotent: a garage that already has customers is left as it is. Run by scripts/stack.sh.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.GATEWAY_PORT ?? process.env.PORT ?? '8080';
const base = `http://127.0.0.1:${port}/api/v1`;

const seed = JSON.parse(
  execFileSync(process.execPath, [join(root, 'services/gateway/dist/cli/seed.js'), '--json'], {
    env: { ...process.env, PORT: port },
    encoding: 'utf8',
  }),
);
const key = seed.keys.readWrite;
const garage = seed.garages[0].id;

async function call(method, path, body) {
  const response = await fetch(`${base}/garages/${garage}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(payload.error)}`);
  return payload;
}

/** The next `count` weekdays from a week ahead, as YYYY-MM-DD. */
function weekdays(count) {
  const days = [];
  const date = new Date(Date.now() + 7 * 86_400_000);
  while (days.length < count) {
    if (![0, 6].includes(date.getUTCDay())) days.push(date.toISOString().slice(0, 10));
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return days;
}

async function fill() {
  if ((await call('GET', '/customers?limit=1')).pagination.total > 0) return 'already has demo data';
  const weekday = { open: '08:00', close: '17:30' };
  await call('PUT', '/schedule', {
    openingHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: { open: '09:00', close: '13:00' }, sun: null },
    closedDates: ['2026-12-25', '2026-12-26', '2027-01-01'],
    dailyCapacity: 16,
    slotMinutes: 60,
    slotCapacity: 2,
    timeslotRequired: true,
  });
  const oilChange = (await call('POST', '/services', {
    name: 'Oil and filter change', code: 'OIL', durationMinutes: 60, taxRate: 2000,
    prices: [{ vehicleType: 'car', price: 8900 }, { vehicleType: 'suv', price: 10900 }, { vehicleType: 'van', price: 11900 }],
  })).data;
  await call('POST', '/services', {
    name: 'Front brake pads', code: 'BRK-F', durationMinutes: 90, taxRate: 2000,
    prices: [{ vehicleType: 'car', price: 14900 }, { vehicleType: 'suv', price: 17900 }],
  });
  const technician = (await call('POST', '/technicians', { name: 'Ravi Patel', email: 'ravi@demo-motors.example', skills: ['brakes', 'servicing'] })).data;
  await call('POST', '/technicians', { name: 'Sofia Rossi', skills: ['diagnostics', 'electrics'] });
  await call('POST', '/bays', { name: 'Bay 1', type: 'lift' });
  await call('POST', '/bays', { name: 'Bay 2', type: 'lift' });
  const oil = (await call('POST', '/inventory', {
    sku: 'OIL-5W30-5L', name: 'Engine oil 5W-30 (5 L)', category: 'Fluids', barcode: '5011987123458', unit: 'bottle',
    unitPrice: 3900, unitCost: 2400, quantityOnHand: 24, reorderLevel: 6, location: 'A1',
  })).data;
  await call('POST', '/inventory', {
    sku: 'PAD-F-GEN', name: 'Front brake pads (generic)', category: 'Brakes', unit: 'set',
    unitPrice: 4500, unitCost: 2100, quantityOnHand: 8, reorderLevel: 2, location: 'B3',
  });
  const ada = (await call('POST', '/customers', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0001' })).data;
  const car = (await call('POST', '/vehicles', {
    customerId: ada.id, vin: '1HGCM82633A004352', registration: 'LV03 ADA', make: 'Honda', model: 'Accord', year: 2003, vehicleType: 'car', mileage: 128000,
  })).data;
  const grace = (await call('POST', '/customers', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' })).data;
  const van = (await call('POST', '/vehicles', { customerId: grace.id, registration: 'GH70 VAN', make: 'Ford', model: 'Transit', year: 2020, vehicleType: 'van' })).data;
  const [first, second] = weekdays(2);
  const booking = (await call('POST', '/bookings', {
    customerId: ada.id, vehicleId: car.id, date: first, timeslot: '09:00', serviceIds: [oilChange.id], technicianId: technician.id, notes: 'Customer waits on site',
  })).data;
  await call('POST', '/bookings', { customerId: grace.id, vehicleId: van.id, date: second, timeslot: '10:00', serviceIds: [oilChange.id] });
  // bookings learns the item from inventory's events: give it a moment
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await call('POST', `/bookings/${booking.id}/inventory`, { itemId: oil.id, quantity: 1 });
      break;
    } catch (error) {
      if (attempt === 49) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  // one estimate e-mailed to Ada, so Mailpit's inbox shows what a customer receives (approval link inside);
  // billing learns the customer from bookings' events, so the create is retried like the part above
  let estimate;
  for (let attempt = 0; attempt < 50 && !estimate; attempt++) {
    try {
      estimate = (await call('POST', '/estimates', {
        customerId: ada.id, vehicleId: car.id, notes: 'Pads are at 3 mm; we recommend replacing them at the oil change.',
        lines: [
          { kind: 'labor', description: 'Front brake pads: fitting', code: 'BRK-F', quantity: 1.5, unitPrice: 6000, taxRate: 2000 },
          { kind: 'part', description: 'Front brake pads (generic)', code: 'PAD-F-GEN', quantity: 1, unitPrice: 4500, taxRate: 2000 },
        ],
      })).data;
    } catch (error) {
      if (attempt === 49) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const sent = (await call('POST', `/estimates/${estimate.id}/send`, {})).data;
  return `filled (2 customers, 2 vehicles, 2 services, 2 technicians, 2 bays, 2 items, 2 bookings on ${first} and ${second}, estimate ${estimate.number} e-mailed to ${ada.email}: ${sent.delivery})`;
}

const status = await fill();

// a little read traffic (both keys, one miss) so the console's analytics cards have something to show
const consoleBase = base.replace(/\/api\/v1$/, '/console/');
for (let i = 0; i < 12; i++) {
  for (const [k, path] of [[key, '/garages'], [key, `/garages/${garage}/customers`], [seed.keys.readOnly, `/garages/${garage}/bookings`]]) {
    await fetch(`${base}${path}`, { headers: { 'x-api-key': k, 'user-agent': 'pitlane-demo/1.0' } });
  }
}
await fetch(`${base}/garages/gar_missing`, { headers: { 'x-api-key': key, 'user-agent': 'pitlane-demo/1.0' } });
console.log(
  [
    '',
    `Pitlane gateway:   ${base}`,
    `Demo garage:       ${garage} (${seed.garages[0].name}) — ${status}`,
    `Demo key (read_write, organisation ${seed.organisationId}; shown once):`,
    `  ${key}`,
    `Read-only key:     ${seed.keys.readOnly}`,
    'Try:',
    `  curl -s -H 'X-API-Key: ${key}' ${base}/garages`,
    `  curl -s -H 'X-API-Key: ${key}' ${base}/garages/${garage}/bookings`,
    `  curl -s -H 'X-API-Key: ${key}' '${base}/garages/${garage}/availability?dateFrom=${weekdays(1)[0]}&dateTo=${weekdays(5)[4]}'`,
    `  curl -s -H 'X-API-Key: ${key}' ${base}/garages/${garage}/inventory/low-stock`,
    `Mailpit (estimate e-mails the customers would get, with their approval links): ${process.env.MAILPIT_UI ?? 'http://127.0.0.1:8025'}`,
    `API Access console: ${consoleBase}`,
    `  log in as ${seed.console.email} / ${seed.console.password}`,
    '',
  ].join('\n'),
);
