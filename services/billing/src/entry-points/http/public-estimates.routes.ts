import { errors, sendData, validate } from '@pitlane/core';
import type { Router } from 'express';

import { answerEstimate, findByApprovalToken } from '../../data-access/estimate-answers';
import { APPROVAL_TOKEN_PATTERN } from '../../domain/estimate';
import { answerBody } from './schemas';
import type { RouteDeps } from './route-deps';
import { publicEstimateView } from './views';

/** The customer's side of an estimate, under /api/v1/public: no API key, the token in the link is the
 * only credential. A malformed token is a plain 404 like an unknown one (nothing to probe). */
export function publicEstimateRoutes(router: Router, { models, relay }: Pick<RouteDeps, 'models' | 'relay'>): void {
  const tokenOf = (raw: string): string => {
    if (!APPROVAL_TOKEN_PATTERN.test(raw)) throw errors.notFound('Estimate');
    return raw;
  };

  router.get('/estimates/:token', async (req, res) => {
    const estimate = await findByApprovalToken(models, tokenOf(req.params.token));
    if (!estimate) throw errors.notFound('Estimate');
    sendData(res, publicEstimateView(estimate));
  });

  for (const [action, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    router.post(`/estimates/:token/${action}`, async (req, res) => {
      const token = tokenOf(req.params.token);
      const body = validate(answerBody, req.body ?? {}, 'body');
      const estimate = await answerEstimate(models, token, { decision, reason: body.reason ?? null });
      relay.nudge();
      sendData(res, publicEstimateView(estimate));
    });
  }
}
