import type { SecretBox } from '../domain/secret-box';
import type { Models, WebhookDoc } from './models';

/** Signing secrets as stored (sealed); WebhooksRepository opens them for the workers. */
export class WebhookSecretsRepository {
  constructor(
    private readonly models: Models,
    private readonly box: SecretBox,
  ) {}

  /**
   * The re-seal pass: every stored secret that is plain text (earlier releases), in the old format
   * or sealed with a key other than the current one is rewritten sealed with the current key. Each
   * write is conditional on the value read, so a rotation meanwhile (or another instance doing the
   * same pass) wins. Never returns or logs a secret; `unreadable` are the ids whose key is gone.
   */
  async resealAll(batch = 200): Promise<{ resealed: number; unreadable: string[] }> {
    let resealed = 0;
    const unreadable: string[] = [];
    for (let skip = 0; ; skip += batch) {
      const docs = await this.models.Webhook.find({})
        .sort({ _id: 1 })
        .skip(skip)
        .limit(batch)
        .select({ _id: 1, secret: 1, previousSecret: 1 })
        .lean<Pick<WebhookDoc, '_id' | 'secret' | 'previousSecret'>[]>();
      for (const doc of docs) {
        const stale = !this.box.isCurrent(doc.secret) || (doc.previousSecret && !this.box.isCurrent(doc.previousSecret));
        if (!stale) continue;
        let set: { secret: string; previousSecret: string | null };
        try {
          set = { secret: this.box.reseal(doc.secret), previousSecret: doc.previousSecret ? this.box.reseal(doc.previousSecret) : null };
        } catch {
          unreadable.push(doc._id);
          continue;
        }
        const result = await this.models.Webhook.updateOne({ _id: doc._id, secret: doc.secret }, { $set: set });
        resealed += result.modifiedCount;
      }
      if (docs.length < batch) return { resealed, unreadable };
    }
  }
}
