import { z } from 'zod';

// The app's Content-Security-Policy has no 'unsafe-eval'. Zod compiles a fast parser with
// `new Function` when it may, and finds out by trying once, which the browser reports as a CSP
// violation even though zod catches it: told it is jitless, it never tries. Imported first by main.tsx.
z.config({ jitless: true });
