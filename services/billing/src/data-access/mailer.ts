import nodemailer from 'nodemailer';

import type { EstimateMail } from '../domain/estimate-mail';

/** The SMTP side of billing (an outbound adapter like the repositories): hands one message to the
 * server at SMTP_URL and returns its Message-ID; throws when the server cannot take it. */
export interface Mailer {
  send(message: EstimateMail & { to: string }): Promise<{ messageId: string }>;
  close(): void;
}

export function smtpMailer(config: { SMTP_URL: string; MAIL_FROM: string }): Mailer {
  const url = new URL(config.SMTP_URL);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport(
    {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 25,
      secure,
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      // short timeouts: a request waits for one try at most, the queue does the rest
      connectionTimeout: 3_000,
      greetingTimeout: 3_000,
      socketTimeout: 10_000,
    },
    { from: config.MAIL_FROM },
  );
  return {
    send: async (message) => {
      const info = (await transport.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html })) as { messageId: string };
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
