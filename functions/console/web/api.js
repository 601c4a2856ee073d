// The REST API as the console calls it: same origin, the key from sessionStorage as a bearer token,
// the contract's error body turned into an ApiError. The key is never put in a URL, a cookie or a log.

const KEY = 'poolhub.console.apiKey';

/** The API root: the console is served at <root>/console/. */
const root = new URL('../', window.location.href);

/** An answer of the API that was not a success, with the contract's error code and message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export const credentials = {
  key: () => window.sessionStorage.getItem(KEY),
  keep: (key) => window.sessionStorage.setItem(KEY, key),
  forget: () => window.sessionStorage.removeItem(KEY),
};

/** A path with query parameters, leaving out empty ones: path('/usage/a', {from: x}). */
export function path(route, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${route}?${text}` : route;
}

/** Calls the API; resolves to the JSON answer, rejects with an ApiError. */
export async function call(route, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const key = credentials.key();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(new URL(route.replace(/^\//, ''), root), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', 'the API could not be reached');
  }
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const error = json && json.error ? json.error : {};
    throw new ApiError(response.status, error.code ?? `HTTP_${response.status}`,
      error.message ?? (json && json.message) ?? response.statusText, response.headers.get('Retry-After'));
  }
  return json;
}

/** Every page of a list route (following nextToken, at most `pages` pages), with the list field joined. */
export async function all(route, query, listField, pages = 20) {
  let answer = await call(path(route, query));
  const items = [...(answer[listField] ?? [])];
  for (let page = 1; answer.nextToken && page < pages; page++) {
    answer = await call(path(route, { ...query, nextToken: answer.nextToken }));
    items.push(...(answer[listField] ?? []));
  }
  return { ...answer, [listField]: items, nextToken: answer.nextToken ?? null };
}
