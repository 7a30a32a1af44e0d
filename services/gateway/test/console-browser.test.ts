import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { testNames, waitFor } from '@pitlane/testing';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

import { consoleUser } from './console-factories';
import { gatewayWithEcho, provisioningFor, tenant } from './factories';

const names = testNames(__filename);
// The README's screenshots (docs/console/) are refreshed by `PITLANE_SCREENSHOTS=1 npx jest console-browser`;
// an ordinary run writes them to .pitlane/console-screenshots, so a test run leaves the tree clean.
const SHOTS = process.env.PITLANE_SCREENSHOTS === '1' ? resolve(__dirname, '../../../docs/console') : resolve(__dirname, '../../../.pitlane/console-screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// a real browser on a shared 2-core machine: each story takes 5–15 s when idle
jest.setTimeout(150_000);

describe('console page in headless Chromium', () => {
  const running = gatewayWithEcho(names, { AUDIT_FLUSH_MS: '50', CONSOLE_JWT_SECRET: 'console-browser-secret-at-least-32-chars' });
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh browser profile (own cookies) logged in as the user; waits until the dashboard has rendered. */
  async function logIn(email: string, password: string, width = 1280): Promise<Page> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width, height: 900 });
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${running.gateway.url}/console/`);
    await page.waitForSelector('body[data-ready="login"]');
    await page.type('#email', email);
    await page.type('#password', password);
    await Promise.all([page.waitForSelector('body[data-ready="true"]'), page.click('#login-form button[type=submit]')]);
    return page;
  }

  const callApi = async (key: string, path = '/api/v1/garages') =>
    (await fetch(`${running.gateway.url}${path}`, { headers: { 'x-api-key': key, 'user-agent': 'fleet-sync/1.4' } })).status;

  async function readSecret(page: Page): Promise<string> {
    await page.waitForSelector('#secret-dialog[open]');
    return (await page.evaluate("document.getElementById('secret-value').value")) as string;
  }

  it('when an owner creates, uses, rotates and revokes a key, then the page shows the key once, the counts move and the revoked key is greyed out and refused', async () => {
    const { garageId } = await tenant(provisioningFor(running.gateway), 'org_page_a');
    const owner = await consoleUser(running.gateway, 'org_page_a', 'owner');
    const page = await logIn(owner.email, owner.password);
    // a one-time password: the page asks for a new one first
    expect(await page.$eval('#password-change', (el) => el.hasAttribute('hidden'))).toBe(false);
    await page.type('#current-password', owner.password);
    await page.type('#new-password', 'a much better passphrase');
    await page.click('#password-form button[type=submit]');
    await page.waitForSelector('#password-change[hidden]');

    await page.click('#create-key');
    await page.type('#key-name', 'Workshop tablet');
    await page.select('#key-permission', 'read_write');
    await page.click('#create-submit');
    const rawKey = await readSecret(page);
    expect(rawKey).toMatch(/^pl_live_/);
    expect(await page.$eval('#secret-dialog .warning', (el) => el.textContent)).toMatch(/shown only once/);
    await page.screenshot({ path: `${SHOTS}/create-key.png` });
    await page.click('#secret-done');

    for (let i = 0; i < 5; i++) expect(await callApi(rawKey, `/api/v1/garages/${garageId}/customers`)).toBe(200);
    expect(await callApi(rawKey, '/api/v1/garages/gar_missing')).toBe(404);

    await waitFor(async () => {
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      const counts = await page.$$eval('#keys-table tbody tr', (rows) =>
        rows.filter((r) => r.textContent?.includes('Workshop tablet')).map((r) => r.querySelector('.requests-30d')?.firstChild?.textContent));
      return counts[0] === '6' ? true : undefined;
    }, { timeoutMs: 10_000, intervalMs: 300 });
    expect(await page.$eval('[data-stat="requests"] .value', (el) => el.textContent)).toBe('6');
    expect(await page.$eval('#analytics', (el) => el.textContent)).toContain('fleet-sync/1.4');
    await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });
    // the audit log: filtered by garage and status, then all six calls again
    await page.select('#audit-filters select[name=garageId]', garageId);
    await page.click('#audit-filters button[type=submit]');
    await page.waitForFunction("document.querySelectorAll('#audit-table tbody tr').length === 5");
    await page.select('#audit-filters select[name=garageId]', '');
    await page.type('#audit-filters input[name=status]', '404');
    await page.click('#audit-filters button[type=submit]');
    await page.waitForFunction("document.querySelectorAll('#audit-table tbody tr').length === 1");
    expect(await page.$eval('#audit-table tbody tr', (el) => el.textContent)).toContain('RESOURCE_NOT_FOUND');
    await page.evaluate("document.querySelector('#audit-filters input[name=status]').value = ''");
    await page.click('#audit-filters button[type=submit]');
    await page.waitForFunction("document.querySelectorAll('#audit-table tbody tr').length === 6");
    expect(await page.$eval('#audit-next', (el) => el.hasAttribute('disabled'))).toBe(true);

    const keyRow = async () => (await page.$$('#keys-table tbody tr.active')).at(-1)!;
    await (await (await keyRow()).$('button[aria-label^="Rotate"]'))!.click();
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-ok');
    const rotatedKey = await readSecret(page);
    expect(rotatedKey).not.toBe(rawKey);
    await page.click('#secret-done');
    expect(await callApi(rotatedKey)).toBe(200);
    await waitFor(async () => ((await callApi(rawKey)) === 401 ? true : undefined), { timeoutMs: 1_000, intervalMs: 50 });

    await page.waitForFunction("document.querySelectorAll('#keys-table tbody tr.revoked').length === 1");
    await (await (await keyRow()).$('button[aria-label^="Revoke"]'))!.click();
    await page.waitForSelector('#confirm-dialog[open]');
    await page.click('#confirm-ok');
    await page.waitForFunction("document.querySelectorAll('#keys-table tbody tr.revoked').length === 2");
    await waitFor(async () => ((await callApi(rotatedKey)) === 401 ? true : undefined), { timeoutMs: 1_000, intervalMs: 50 });
    const revokedColor = await page.evaluate("getComputedStyle(document.querySelector('#keys-table tbody tr.revoked td')).backgroundColor");
    expect(revokedColor).not.toBe('rgba(0, 0, 0, 0)');
    await page.screenshot({ path: `${SHOTS}/keys-after-revoke.png`, fullPage: true });

    // the owner invites a viewer: the one-time password is shown once and logs them in, read-only
    const viewerEmail = `viewer.${Date.now()}@org-page-a.example`;
    await page.type('#invite-email', viewerEmail);
    await page.select('#invite-role', 'viewer');
    await page.click('#invite-submit');
    await page.waitForSelector('#invite-dialog[open]');
    const oneTimePassword = (await page.evaluate("document.getElementById('invite-password').value")) as string;
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(12);
    expect(await page.$eval('#invite-dialog .warning', (el) => el.textContent)).toMatch(/shown only once/);
    await page.screenshot({ path: `${SHOTS}/invite-user.png` });
    await page.click('#invite-done');
    expect(await page.evaluate("document.getElementById('invite-password').value")).toBe(''); // shown once
    await page.waitForSelector(`#users-table tr[data-user-email="${viewerEmail}"]`);
    const viewerPage = await logIn(viewerEmail, oneTimePassword);
    expect(await viewerPage.$eval('#who', (el) => el.textContent)).toContain('viewer');
    expect(await viewerPage.$eval('#password-change', (el) => el.hasAttribute('hidden'))).toBe(false);
    expect(await viewerPage.$eval('#invite-form', (el) => el.hasAttribute('hidden'))).toBe(true);
    expect(await viewerPage.$eval('#create-key', (el) => el.hasAttribute('hidden'))).toBe(true);
    expect(await viewerPage.$$('#keys-table button[aria-label^="Revoke"]')).toHaveLength(0);
    expect(await viewerPage.$$('#keys-table tbody tr.revoked')).toHaveLength(2);
    expect(await viewerPage.$$(`#users-table tr[data-user-email="${owner.email}"]`)).toHaveLength(1);
    await viewerPage.close();

    await page.setViewport({ width: 390, height: 844 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: `${SHOTS}/phone.png` });
    await page.click('#signout');
    await page.waitForSelector('body[data-ready="login"]');
    await page.reload();
    await page.waitForSelector('body[data-ready="login"]'); // the refresh cookie is gone with the session
  });

  it('when an organisation has no API add-on, a viewer logs in, or another organisation logs in, then each sees only what it may', async () => {
    const seen = await tenant(provisioningFor(running.gateway), 'org_page_seen');
    await tenant(provisioningFor(running.gateway), 'org_page_other');
    await tenant(provisioningFor(running.gateway), 'org_page_noaddon', { apiAccessEnabled: false });
    expect(await callApi(seen.rawKey)).toBe(200);

    const disabledOwner = await consoleUser(running.gateway, 'org_page_noaddon', 'owner');
    const disabledPage = await logIn(disabledOwner.email, disabledOwner.password);
    expect(await disabledPage.$eval('#addon-notice', (el) => el.hasAttribute('hidden'))).toBe(false);
    expect(await disabledPage.$eval('#keys-section', (el) => el.hasAttribute('hidden'))).toBe(true);
    await disabledPage.screenshot({ path: `${SHOTS}/no-addon.png` });

    const viewer = await consoleUser(running.gateway, 'org_page_seen', 'viewer');
    const viewerPage = await logIn(viewer.email, viewer.password);
    expect(await viewerPage.$eval('#create-key', (el) => el.hasAttribute('hidden'))).toBe(true);
    expect(await viewerPage.$$('#keys-table button[aria-label^="Revoke"]')).toHaveLength(0);
    expect(await viewerPage.$$('#keys-table tbody tr')).toHaveLength(1);
    expect(await viewerPage.$eval('#invite-form', (el) => el.hasAttribute('hidden'))).toBe(true);

    const admin = await consoleUser(running.gateway, 'org_page_seen', 'admin');
    const adminPage = await logIn(admin.email, admin.password);
    expect(await adminPage.$eval('#create-key', (el) => el.hasAttribute('hidden'))).toBe(false); // admins manage keys…
    expect(await adminPage.$eval('#invite-form', (el) => el.hasAttribute('hidden'))).toBe(true); // …but only owners invite
    expect(await adminPage.$eval('#invite-note', (el) => el.hasAttribute('hidden'))).toBe(false);

    const other = await consoleUser(running.gateway, 'org_page_other', 'owner');
    const otherPage = await logIn(other.email, other.password);
    const keysText = await otherPage.$eval('#keys-table tbody', (el) => el.textContent ?? '');
    expect(keysText).not.toContain(seen.keyId);
    expect(await otherPage.$$('#keys-table tbody tr')).toHaveLength(1); // its own tenant key only
    expect(await otherPage.$eval('[data-stat="requests"] .value', (el) => el.textContent)).toBe('0');
  });
});
