import { errors } from '@pitlane/core';

import { renderCreditNotePdf as render } from '../domain/credit-note-pdf';
import type { UseCaseDeps } from './deps';

/** The credit note of the garage as a PDF; the garage's name comes from the gateway's token. */
export function renderCreditNotePdf({ creditNotes }: Pick<UseCaseDeps, 'creditNotes'>) {
  return async (garage: { garageId: string; garageName: string }, creditNoteId: string): Promise<{ number: string; pdf: Buffer }> => {
    const creditNote = await creditNotes.find(garage.garageId, creditNoteId);
    if (!creditNote) throw errors.notFound('Credit note');
    return { number: creditNote.number, pdf: await render(creditNote, { garageName: garage.garageName }) };
  };
}
