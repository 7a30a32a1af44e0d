import { startTcpProxy, waitFor, type TcpProxy } from '@pitlane/testing';

import { ESTIMATE_TOTAL, estimateLines, newGarage, type TestGarage } from './factories';
import { startHarness, type Harness } from './harness';

/** Mailpit (scripts/lib/mailpit.sh, started by `npm run infra:up`): SMTP 1025, HTTP API 8025. */
const MAILPIT = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';
const MAILPIT_SMTP = process.env.MAILPIT_SMTP_URL ?? 'smtp://127.0.0.1:1025';

interface MailSummary { ID: string; MessageID: string; Subject: string; To: { Address: string }[] }
interface Mail extends MailSummary { Text: string; HTML: string }

async function mailTo(subjectPart: string, count = 1): Promise<Mail[]> {
  const summaries = await waitFor(async () => {
    const response = await fetch(`${MAILPIT}/api/v1/messages?limit=500`);
    const { messages } = (await response.json()) as { messages: MailSummary[] };
    const found = messages.filter((m) => m.Subject.includes(subjectPart));
    return found.length >= count ? found : undefined;
  }, { message: `no e-mail "${subjectPart}" in Mailpit` });
  return Promise.all(summaries.map(async (s) => (await (await fetch(`${MAILPIT}/api/v1/message/${s.ID}`)).json()) as Mail));
}

/** The approval link of the mail, as a path under /api/v1/public (the harness's PUBLIC_BASE_URL is not served). */
function linkOf(mail: Mail): string {
  const match = /https:\/\/pitlane\.example\/api\/v1\/public(\/estimates\/[A-Za-z0-9_-]{43})/.exec(mail.Text);
  if (!match?.[1]) throw new Error(`no approval link in:\n${mail.Text}`);
  expect(mail.HTML).toContain(`href="https://pitlane.example/api/v1/public${match[1]}"`);
  return match[1];
}

describe('estimates e-mailed to the customer', () => {
  let h: Harness;
  let smtp: TcpProxy;
  beforeAll(async () => {
    const up = await fetch(`${MAILPIT}/api/v1/info`).then((r) => r.ok, () => false);
    if (!up) throw new Error(`Mailpit is not running at ${MAILPIT}: run \`npm run infra:up\` (scripts/lib/mailpit.sh starts it)`);
    // in front of Mailpit, so a test can take SMTP down for this billing instance only
    smtp = await startTcpProxy(MAILPIT_SMTP);
    h = await startHarness(__filename, { env: { SMTP_URL: smtp.url, MAIL_RETRY_MS: '100', MAIL_FROM: 'Pitlane Tests <estimates@pitlane.test>' } });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  const draft = async (garage: TestGarage) => {
    const { customer } = await h.customerOf(garage);
    return (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines: estimateLines })).body.data as { id: string; number: string };
  };

  it('when an estimate is sent, then the customer gets an e-mail with the garage, the totals and a link that approves it; a re-send replaces the link', async () => {
    const garage = newGarage({ name: `Speedy ${Date.now()}` });
    const estimate = await draft(garage);
    const sent = await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {});
    expect(sent.status).toBe(200);
    expect(sent.body.data).toMatchObject({ status: 'sent', delivery: 'sent' });
    expect(sent.body.data.sends).toEqual([expect.objectContaining({ to: 'ada@example.com' })]);

    const [mail] = await mailTo(`${garage.name}: estimate ${estimate.number}`);
    if (!mail) throw new Error('no mail');
    expect(mail.To.map((t) => t.Address)).toEqual(['ada@example.com']);
    expect(`<${mail.MessageID}>`).toBe(sent.body.data.sends[0].messageId);
    expect(mail.Text).toContain('Hello Ada Lovelace');
    expect(mail.Text).toContain(`Total: ${(ESTIMATE_TOTAL / 100).toFixed(2)} EUR`);
    expect(mail.HTML).toContain(garage.name);
    expect(mail.HTML).toContain('200.58 EUR');
    const firstLink = linkOf(mail);

    const again = await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {});
    expect(again.body.data.delivery).toBe('sent');
    const mails = await mailTo(`${garage.name}: estimate ${estimate.number}`, 2);
    const secondLink = mails.map(linkOf).find((link) => link !== firstLink);
    if (!secondLink) throw new Error('the re-send carried the same link');
    expect((await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data.sends).toHaveLength(2);

    expect((await h.publicApi('GET', firstLink)).status).toBe(404);
    const shown = await h.publicApi('GET', secondLink);
    expect(shown.body.data).toMatchObject({ number: estimate.number, status: 'sent', total: ESTIMATE_TOTAL });
    const approved = await h.publicApi('POST', `${secondLink}/approve`, {});
    expect(approved.body.data.status).toBe('approved');
    expect((await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data.status).toBe('approved');
  });

  it('when SMTP is down, then the send answers sending, the e-mail is queued and the worker delivers it once SMTP is back', async () => {
    const garage = newGarage({ name: `Outage ${Date.now()}` });
    const estimate = await draft(garage);
    smtp.cut();
    try {
      const sent = await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, { to: 'fleet@example.com' });
      expect(sent.status).toBe(200);
      expect(sent.body.data).toMatchObject({ status: 'sent', delivery: 'sending' });
      const queued = await waitFor(async () => {
        const read = (await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data;
        return read.delivery.attempts >= 2 ? read : undefined;
      }, { message: 'the worker did not retry while SMTP was down' });
      expect(queued.delivery).toMatchObject({ status: 'sending', to: 'fleet@example.com', messageId: null });
      expect(queued.delivery.lastError).toEqual(expect.any(String));
    } finally {
      smtp.restore();
    }
    const delivered = await waitFor(async () => {
      const read = (await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data;
      return read.delivery.status === 'sent' ? read : undefined;
    }, { message: 'the queued e-mail was not delivered after SMTP came back' });
    const [mail] = await mailTo(`${garage.name}: estimate ${estimate.number}`);
    if (!mail) throw new Error('no mail');
    expect(mail.To.map((t) => t.Address)).toEqual(['fleet@example.com']);
    expect(`<${mail.MessageID}>`).toBe(delivered.delivery.messageId);
    expect((await h.publicApi('POST', `${linkOf(mail)}/approve`, {})).body.data.status).toBe('approved');
  });

  it('when the customer has no e-mail address and none is given, then nothing is sent and the partner gets the link', async () => {
    const garage = newGarage();
    const estimate = await draft(garage);
    await h.billing.models.Customer.updateMany({ garageId: garage.garageId }, { $set: { email: null } });
    const sent = await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, {});
    expect(sent.body.data).toMatchObject({ status: 'sent', delivery: 'no_recipient', sends: [] });
    expect(sent.body.data.approvalUrl).toMatch(/^https:\/\/pitlane\.example\/api\/v1\/public\/estimates\//);
    expect((await h.api(garage, 'POST', `/estimates/${estimate.id}/send`, { to: 'not-an-address' })).status).toBe(400);
  });
});
