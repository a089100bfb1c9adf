import { afterAll, afterEach } from 'vitest';
import { checkOutbound, installOutboundGuard } from './outbound-guard.js';

// The integration project's setup file (vitest.config.ts): every test fails on an outbound request
// no test expected (outbound-guard.ts).
installOutboundGuard();
afterEach(() => checkOutbound());
// what the file's hooks (beforeAll, afterAll) requested; runs after the file's own afterAll
afterAll(() => checkOutbound());
