/**
 * Talking to the inspector as a browser would, without one: its login form, its session cookie,
 * its JSON API with the CSRF token, its event tail (Server-Sent Events).
 */

export interface InspectorLogin {
  /** The session cookie (`name=value`), renewed from each answer's Set-Cookie, as a browser does. */
  cookie: string;
  csrf: string;
  /** GET with the session cookie. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** POST with the session cookie and the CSRF token (unless `csrf` is given, '' for none). */
  post(path: string, opts?: { csrf?: string; headers?: Record<string, string>; body?: string }): Promise<Response>;
}

/** Posts the login form; the response is not followed (a 303 carries the cookie). */
export const postLogin = (base: string, user: string, password: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${base}/inspector/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ user, password }).toString(),
  });

/** Logs in and reads the CSRF token from a page; throws when the login fails. */
export async function login(base: string, user: string, password: string, headers: Record<string, string> = {}): Promise<InspectorLogin> {
  const res = await postLogin(base, user, password, headers);
  if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  const session: InspectorLogin = {
    cookie: (res.headers.get('set-cookie') ?? '').split(';', 1)[0] ?? '',
    csrf: '',
    get: async (path, extra = {}) => keep(await fetch(`${base}${path}`, { redirect: 'manual', headers: { cookie: session.cookie, ...extra } })),
    post: async (path, opts = {}) =>
      keep(
        await fetch(`${base}${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: session.cookie, ...((opts.csrf ?? session.csrf) ? { 'x-csrf-token': opts.csrf ?? session.csrf } : {}), ...opts.headers },
          ...(opts.body !== undefined ? { body: opts.body } : {}),
        }),
      ),
  };
  const keep = (r: Response) => {
    const set = r.headers.get('set-cookie');
    if (set && !/Max-Age=0/.test(set)) session.cookie = set.split(';', 1)[0] ?? session.cookie;
    return r;
  };
  const page = await (await session.get('/inspector/nodes')).text();
  session.csrf = /<meta name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
  return session;
}

/** An event stream (Server-Sent Events) read as JSON `data:` lines; lines are kept between reads. */
export class EventReader<T> {
  readonly lines: T[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private read = 0;
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | undefined;
  done = false;

  constructor(res: Response) {
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    this.reader = reader;
  }

  /** Reads until a line not seen by an earlier call satisfies `until`; returns the lines read since. */
  async until(until: (line: T) => boolean, timeoutMs = 5_000): Promise<T[]> {
    const since = this.read;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.read < this.lines.length) {
        const line = this.lines[this.read++] as T;
        if (until(line)) return this.lines.slice(since, this.read);
      }
      if (this.done) throw new Error(`event stream ended; got ${JSON.stringify(this.lines.slice(since))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`event stream: condition not met in time; got ${JSON.stringify(this.lines.slice(since))}`);
      this.pending ??= this.reader.read();
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([this.pending, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), left)))]);
      clearTimeout(timer);
      if (!chunk) continue;
      this.pending = undefined;
      if (chunk.done) {
        this.done = true;
        continue;
      }
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (data) this.lines.push(JSON.parse(data) as T);
      }
    }
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}
