import { errors, sendData, validate } from '@pitlane/core';
import type { Router } from 'express';

import { APPROVAL_TOKEN_PATTERN } from '../../domain/estimate';
import type { BillingContext } from '../../service';
import { answerBody } from './schemas';
import { publicEstimateView } from './views';

/** The customer's side of an estimate, under /api/v1/public: no API key, the token in the link is the
 * only credential. A malformed token is a plain 404 like an unknown one (nothing to probe). */
export function publicEstimateRoutes(router: Router, { useCases }: BillingContext): void {
  const tokenOf = (raw: string): string => {
    if (!APPROVAL_TOKEN_PATTERN.test(raw)) throw errors.notFound('Estimate');
    return raw;
  };

  router.get('/estimates/:token', async (req, res) => {
    sendData(res, publicEstimateView(await useCases.findByApprovalToken(tokenOf(req.params.token))));
  });

  for (const [action, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    router.post(`/estimates/:token/${action}`, async (req, res) => {
      const token = tokenOf(req.params.token);
      const body = validate(answerBody, req.body ?? {}, 'body');
      sendData(res, publicEstimateView(await useCases.answerEstimate(token, { decision, reason: body.reason ?? null })));
    });
  }
}
