// The fleet API as the pages call it: the token from sessionStorage in the Authorization header,
// errors as ApiError carrying the service's own message (problem details' "detail").
const TOKEN = 'dce.console.token';
const SESSION = 'dce.console.session';

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  who: () => JSON.parse(sessionStorage.getItem(SESSION) ?? 'null'),
  save(token, who) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(SESSION, JSON.stringify(who));
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(SESSION);
  },
};

export class ApiError extends Error {
  constructor(status, detail, body = null) {
    super(detail);
    this.status = status;
    this.body = body;
  }
}

async function fail(response) {
  let detail = `${response.status} ${response.statusText}`;
  let body = null;
  try {
    body = await response.json();
    if (body && body.detail) detail = body.detail;
  } catch {
    // Not problem details: the status line says enough.
  }
  return new ApiError(response.status, detail, body);
}

/** GET a path of this service; JSON by default, the Response when raw. */
export async function get(path, { signal, raw = false, token = session.token() } = {}) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token ?? ''}` }, signal, cache: 'no-store' });
  if (!response.ok) throw await fail(response);
  return raw ? response : response.json();
}

/** POST JSON (a string is sent as it is: a signed envelope's exact bytes) and read the JSON answer. */
export async function post(path, body, { signal } = {}) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${session.token() ?? ''}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
    cache: 'no-store',
  });
  if (!response.ok) throw await fail(response);
  return response.json();
}

/** POST a file's bytes (application/octet-stream) with extra headers, and read the JSON answer. */
export async function upload(path, file, headers, { signal } = {}) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { ...headers, Authorization: `Bearer ${session.token() ?? ''}`, 'Content-Type': 'application/octet-stream' },
    body: file,
    signal,
    cache: 'no-store',
  });
  if (!response.ok) throw await fail(response);
  return response.json();
}

/**
 * Reads a server-sent event stream with fetch (EventSource cannot send the Authorization header)
 * and calls onEvent(name, data) per event (onOpen once the service answered); returns when the
 * stream ends or signal aborts.
 */
export async function stream(path, onEvent, signal, onOpen = () => {}) {
  const response = await get(path, { signal, raw: true });
  onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = null;
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (name) onEvent(name, data.join('\n'));
    }
  }
}
