// The JSON contract between this page and the server's /authorize endpoints (web/README.md).

export type Scope = { name: string; description?: string };

export type LoginConfig =
  | { mode: "privy"; app_id: string; sdk_url: string; sdk_integrity?: string }
  | { mode: "development" };

/** Every OAuth parameter the server wants posted back unchanged on approve or deny. */
export type AuthorizationRequest = Record<string, string>;

export type AuthorizeInfo = {
  client_id: string;
  client_name: string;
  /** False when the name imitates a well-known product the client is not known to be. */
  client_verified: boolean;
  redirect_host: string;
  scopes: Scope[];
  /** The "stay connected" line, present exactly when approving yields a refresh token. */
  stay_connected?: string;
  login: LoginConfig;
  request: AuthorizationRequest;
};

/**
 * `POST /authorize` 200: where to send the browser. An approval carries the `code`; a denial
 * carries `error: "access_denied"` and no code. `state` is there when the request had one.
 */
export type DecisionAnswer =
  | { code: string; redirect_uri: string; state?: string }
  | { error: "access_denied"; error_description: string; redirect_uri: string; state?: string };

/** `POST /authorize/identity` 200: `email` only when the server could look it up. */
export type IdentityAnswer = { privy_user_id: string; email?: string };

/** `POST /authorize/dev-login` 200 (development mode only). */
export type DevLoginAnswer = { privy_token: string; privy_user_id: string };

/** What the login step hands to the rest of the page. Nothing else from Privy leaks out. */
export type Identity = {
  privyToken: string;
  privyUserId: string;
  email?: string;
};

export type ApiError = { status: number; error: string; description: string };

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: ApiError };

const JSON_HEADERS = { Accept: "application/json" };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function failureOf(status: number, body: unknown): ApiError {
  if (isObject(body)) {
    return { status, error: str(body.error), description: str(body.error_description) };
  }
  return { status, error: "", description: "" };
}

const NETWORK_FAILURE: ApiError = { status: 0, error: "network_error", description: "" };

async function call(url: string, init: RequestInit): Promise<Outcome<unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", cache: "no-store", ...init });
  } catch {
    return { ok: false, failure: NETWORK_FAILURE };
  }
  const body = await readJson(response);
  if (!response.ok) return { ok: false, failure: failureOf(response.status, body) };
  if (!isObject(body)) {
    return { ok: false, failure: { status: response.status, error: "invalid_response", description: "" } };
  }
  return { ok: true, value: body };
}

function postJson(url: string, body: unknown): Promise<Outcome<unknown>> {
  return call(url, {
    method: "POST",
    headers: { ...JSON_HEADERS, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The endpoint path without a trailing slash: "/authorize" as served. */
export function authorizePath(): string {
  return location.pathname.replace(/\/+$/, "") || "/authorize";
}

function parseLogin(value: unknown): LoginConfig | null {
  if (!isObject(value)) return null;
  if (value.mode === "development") return { mode: "development" };
  if (value.mode === "privy" && str(value.app_id) !== "" && str(value.sdk_url) !== "") {
    const integrity = str(value.sdk_integrity);
    return {
      mode: "privy",
      app_id: str(value.app_id),
      sdk_url: str(value.sdk_url),
      ...(integrity !== "" ? { sdk_integrity: integrity } : {}),
    };
  }
  return null;
}

function parseInfo(body: Record<string, unknown>): AuthorizeInfo | null {
  const login = parseLogin(body.login);
  if (login === null || !isObject(body.request)) return null;
  const request: AuthorizationRequest = {};
  for (const [key, value] of Object.entries(body.request)) {
    if (typeof value === "string") request[key] = value;
  }
  const scopes: Scope[] = [];
  if (Array.isArray(body.scopes)) {
    for (const scope of body.scopes) {
      if (isObject(scope) && str(scope.name) !== "") {
        scopes.push({ name: str(scope.name), description: str(scope.description) || undefined });
      }
    }
  }
  return {
    client_id: str(body.client_id),
    client_name: str(body.client_name),
    // Anything but an explicit true warns: an older or broken answer must not hide the warning.
    client_verified: body.client_verified === true,
    redirect_host: str(body.redirect_host),
    scopes,
    stay_connected: str(body.stay_connected) || undefined,
    login,
    request,
  };
}

/** A dev-login answer with both members non-empty, else null. */
function parseDevLoginAnswer(body: Record<string, unknown>): DevLoginAnswer | null {
  const answer: DevLoginAnswer = { privy_token: str(body.privy_token), privy_user_id: str(body.privy_user_id) };
  return answer.privy_token !== "" && answer.privy_user_id !== "" ? answer : null;
}

/** An identity answer with a non-empty user id, else null; an empty or non-string email is left out. */
function parseIdentityAnswer(body: Record<string, unknown>): IdentityAnswer | null {
  const privyUserId = str(body.privy_user_id);
  if (privyUserId === "") return null;
  const answer: IdentityAnswer = { privy_user_id: privyUserId };
  if (str(body.email) !== "") answer.email = str(body.email);
  return answer;
}

/**
 * A denial (`error: "access_denied"`) or an approval (a non-empty `code`), either with a non-empty
 * `redirect_uri`, else null; an empty or non-string `state` is left out.
 */
function parseDecisionAnswer(body: Record<string, unknown>): DecisionAnswer | null {
  const redirectUri = str(body.redirect_uri);
  if (redirectUri === "") return null;
  const state = str(body.state) !== "" ? { state: str(body.state) } : {};
  if (body.error === "access_denied") {
    return { error: "access_denied", error_description: str(body.error_description), redirect_uri: redirectUri, ...state };
  }
  if (str(body.code) === "") return null;
  return { code: str(body.code), redirect_uri: redirectUri, ...state };
}

/** GET the same URL the user was sent to, asking for JSON instead of this page. */
export async function loadAuthorizeInfo(): Promise<Outcome<AuthorizeInfo>> {
  const outcome = await call(location.pathname + location.search, { headers: JSON_HEADERS });
  if (!outcome.ok) return outcome;
  const info = parseInfo(outcome.value as Record<string, unknown>);
  if (info === null) {
    return { ok: false, failure: { status: 200, error: "invalid_response", description: "" } };
  }
  return { ok: true, value: info };
}

/** Development mode only: the server signs a local stand-in for a Privy token. */
export async function devLogin(email: string): Promise<Outcome<Identity>> {
  const outcome = await postJson(authorizePath() + "/dev-login", { email });
  if (!outcome.ok) return outcome;
  const answer = parseDevLoginAnswer(outcome.value as Record<string, unknown>);
  if (answer === null) {
    return { ok: false, failure: { status: 200, error: "invalid_response", description: "" } };
  }
  return { ok: true, value: { privyToken: answer.privy_token, privyUserId: answer.privy_user_id, email } };
}

/**
 * The signed-in user's email as the server knows it (Privy's user record), for the consent screen
 * when the SDK's identity has none (Google or wallet logins). Display only: any failure, or an
 * answer about another user, is `undefined`, never an error.
 */
export async function lookUpEmail(identity: Identity): Promise<string | undefined> {
  const outcome = await postJson(authorizePath() + "/identity", { privy_token: identity.privyToken });
  if (!outcome.ok) return undefined;
  const answer = parseIdentityAnswer(outcome.value as Record<string, unknown>);
  if (answer === null || answer.privy_user_id !== identity.privyUserId) return undefined;
  return answer.email;
}

/** Only web redirects are followed; anything else is treated as a broken server answer. */
function safeRedirect(value: string): string | null {
  try {
    const url = new URL(value, location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** POST the decision; the answer (`DecisionAnswer`) names where to send the browser, also for a denial. */
export async function submitDecision(
  request: AuthorizationRequest,
  identity: Identity,
  consent: boolean,
): Promise<Outcome<string>> {
  const outcome = await postJson(authorizePath(), {
    ...request,
    privy_token: identity.privyToken,
    privy_user_id: identity.privyUserId,
    user_consent: consent,
  });
  if (!outcome.ok) return outcome;
  const answer = parseDecisionAnswer(outcome.value as Record<string, unknown>);
  const redirect = answer === null ? null : safeRedirect(answer.redirect_uri);
  if (redirect === null) {
    return { ok: false, failure: { status: 200, error: "invalid_response", description: "" } };
  }
  return { ok: true, value: redirect };
}
