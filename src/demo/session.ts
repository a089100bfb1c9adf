// The demo's HTTP side: a signed-in client of Mirante's API, and the tally of everything Mirante (or a
// provider's webhook) refused the simulator, so a run reports each 4xx/5xx instead of hiding it.

export interface Refusal {
  /** what the simulator tried, e.g. `POST /api/agent/pause` or `webhook whatsapp` */
  what: string;
  /** the HTTP status, 0 when the request did not get an answer */
  status: number;
  detail: string;
  /** when (ISO) */
  at: string;
}

export class Tally {
  requests = 0;
  readonly refused: Refusal[] = [];
  /** calls of Mirante that the provider sandbox answered with an error (a send Mirante got wrong) */
  readonly providerErrors: Refusal[] = [];
  /** set when the demo stops: the answers still in flight no longer count */
  stopped = false;

  refuse(what: string, status: number, detail: string): void {
    if (this.stopped) return;
    this.refused.push({ what, status, detail: detail.slice(0, 300), at: new Date().toISOString() });
  }
}

/** A signed-in HTTP client (cookie session) whose refused requests go to the tally. */
export class Session {
  cookie = '';
  constructor(
    private readonly base: string,
    private readonly tally: Tally,
  ) {}

  /**
   * `accept`: statuses that are an answer here, not a refusal (a race the simulator lost, which Mirante
   * is right to refuse).
   */
  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, accept: readonly number[] = []): Promise<{ status: number; body: T }> {
    this.tally.requests++;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      this.tally.refuse(`${method} ${path.split('?')[0]}`, 0, (err as Error).message);
      throw err;
    }
    const set = res.headers.getSetCookie?.() ?? [];
    if (set.length) this.cookie = set[0].split(';')[0];
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (res.status >= 400 && !accept.includes(res.status)) this.tally.refuse(`${method} ${path.split('?')[0]}`, res.status, text);
    return { status: res.status, body: parsed as T };
  }

  async login(email: string, password: string): Promise<void> {
    const r = await this.call('POST', '/api/auth/login', { email, password });
    if (r.status !== 200) throw new Error(`sign-in of ${email} failed (${r.status}): is the demo data seeded? (npm run demo seeds it)`);
  }
}
