import type { Request } from 'express';
import { isVerificationRequest } from './verification-rate-limit.js';

const req = (path: string) => ({ path }) as Request;

describe('the routes under the verification limit', () => {
  it('are /v, /v/<code> and the JSON verification, in any case', () => {
    for (const p of [
      '/v',
      '/v/',
      '/v/JC1.ABC',
      '/V/JC1.ABC',
      '/api/check-codes/JC1.ABC/verification',
      '/API/Check-Codes/x/Verification/',
    ])
      expect([p, isVerificationRequest(req(p))]).toEqual([p, true]);
  });
  it('are not the other check-code routes, nor pages that start with v', () => {
    for (const p of [
      '/api/check-codes',
      '/api/check-codes/12',
      '/api/check-codes/12/qr.png',
      '/visits',
      '/v/a/b',
      '/vx',
      '/api/check-codes/trust-list',
      '/health',
    ])
      expect([p, isVerificationRequest(req(p))]).toEqual([p, false]);
  });
});
