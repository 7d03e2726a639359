// The authorization page: load the request, sign in, ask for consent, post the decision and
// follow the redirect the server returns. Every screen is one state of `Screen`.
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import {
  loadAuthorizeInfo,
  lookUpEmail,
  submitDecision,
  type ApiError,
  type AuthorizeInfo,
  type Identity,
} from "./api";
import { DevLogin } from "./DevLogin";
import { describeFailure, scopeText } from "./messages";
import { PrivyGate } from "./PrivyGate";

/** How long the page may stay open before approval; the server's code request expires too. */
export const REQUEST_LIFETIME_MS = 10 * 60 * 1000;

type Screen =
  | { kind: "loading" }
  | { kind: "invalid"; description: string }
  | { kind: "load-failed"; failure: ApiError }
  | { kind: "login"; signedOut: boolean }
  | { kind: "consent"; identity: Identity; busy: "" | "approve" | "deny"; problem: string }
  | { kind: "verify-failed" }
  | { kind: "unavailable"; identity: Identity }
  | { kind: "request-error"; description: string }
  | { kind: "expired" }
  | { kind: "redirecting" };

function Heading({ children, focusKey }: { children: ReactNode; focusKey: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Move focus to the new screen's heading so keyboard and screen reader users follow along.
    if (focusKey !== "loading") ref.current?.focus();
  }, [focusKey]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

function ErrorScreen({ title, children, focusKey }: { title: string; children?: ReactNode; focusKey: string }) {
  return (
    <section className="screen screen-error" aria-labelledby="screen-title">
      <div className="screen-icon" aria-hidden="true">!</div>
      <Heading focusKey={focusKey}>
        <span id="screen-title">{title}</span>
      </Heading>
      {children}
    </section>
  );
}

export function App({ openedAt }: { openedAt: number }) {
  const [info, setInfo] = useState<AuthorizeInfo | null>(null);
  const [screen, setScreen] = useState<Screen>({ kind: "loading" });
  const [status, setStatus] = useState("");
  const [loadAttempt, setLoadAttempt] = useState(0);
  // The email the server looked up for a login whose SDK identity had none, keyed by its token so
  // an answer for an earlier account is never shown for the next one.
  const [lookedUp, setLookedUp] = useState<{ privyToken: string; email: string } | null>(null);

  const deadline = openedAt + REQUEST_LIFETIME_MS;
  const isExpired = useCallback(() => Date.now() >= deadline, [deadline]);

  // Load the request this page was opened for.
  useEffect(() => {
    let cancelled = false;
    setScreen({ kind: "loading" });
    loadAuthorizeInfo().then((outcome) => {
      if (cancelled) return;
      if (outcome.ok) {
        setInfo(outcome.value);
        setScreen({ kind: "login", signedOut: false });
        document.title = `Sign in – ${outcome.value.client_name || "Authorize"}`;
      } else if (outcome.failure.status >= 400 && outcome.failure.status < 500) {
        setScreen({ kind: "invalid", description: outcome.failure.description });
      } else {
        setScreen({ kind: "load-failed", failure: outcome.failure });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [loadAttempt]);

  // Expire the request after its lifetime, also when a background tab's timers were delayed.
  useEffect(() => {
    if (info === null) return;
    const expire = () => {
      if (!isExpired()) return;
      setScreen((current) =>
        current.kind === "redirecting" || current.kind === "invalid" || current.kind === "request-error"
          ? current
          : { kind: "expired" },
      );
    };
    const timer = setTimeout(expire, Math.max(0, deadline - Date.now()) + 50);
    document.addEventListener("visibilitychange", expire);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", expire);
    };
  }, [info, deadline, isExpired]);

  const onIdentity = useCallback(
    (identity: Identity) => {
      if (isExpired()) {
        setScreen({ kind: "expired" });
        return;
      }
      setScreen({ kind: "consent", identity, busy: "", problem: "" });
      // Asked in the background: Approve and Deny work while it is pending, and a failure only
      // means the screen keeps showing the Privy id.
      if (identity.email === undefined) {
        void lookUpEmail(identity).then((email) => {
          if (email !== undefined) setLookedUp({ privyToken: identity.privyToken, email });
        });
      }
    },
    [isExpired],
  );

  const decide = async (identity: Identity, consent: boolean) => {
    if (info === null) return;
    if (isExpired()) {
      setScreen({ kind: "expired" });
      return;
    }
    setScreen({ kind: "consent", identity, busy: consent ? "approve" : "deny", problem: "" });
    setStatus(consent ? "Approving…" : "Denying…");
    const outcome = await submitDecision(info.request, identity, consent);
    setStatus("");
    if (outcome.ok) {
      setScreen({ kind: "redirecting" });
      setStatus(`Returning to ${info.redirect_host}…`);
      location.assign(outcome.value);
      return;
    }
    const failure = outcome.failure;
    if (failure.status === 401) {
      setScreen({ kind: "verify-failed" });
    } else if (failure.status === 503) {
      setScreen({ kind: "unavailable", identity });
    } else if (failure.status >= 400 && failure.status < 500) {
      setScreen({
        kind: "request-error",
        description: describeFailure(failure, "The server refused this sign-in request."),
      });
    } else {
      setScreen({
        kind: "consent",
        identity,
        busy: "",
        problem: describeFailure(failure, "Something went wrong. Please try again."),
      });
    }
  };

  const clientName = info?.client_name || info?.client_id || "This application";
  // A name that imitates a well-known product: say the app is unverified and where it sends you.
  const unverifiedNotice =
    info !== null && !info.client_verified ? (
      <div className="notice notice-warning unverified" role="note">
        <p>
          <strong>Unverified app.</strong> “{clientName}” is a name this app chose for itself; it is not known to be
          that product.
        </p>
        <p>
          It sends you back to <strong className="host">{info.redirect_host || "an unknown address"}</strong>. Continue
          only if you trust that address.
        </p>
      </div>
    ) : null;
  let body: ReactNode;
  switch (screen.kind) {
    case "loading":
      body = (
        <section className="screen" aria-busy="true">
          <Heading focusKey="loading">Sign in</Heading>
          <p className="muted">Loading the sign-in request…</p>
        </section>
      );
      break;
    case "invalid":
      body = (
        <ErrorScreen title="This sign-in link is not valid" focusKey="invalid">
          {screen.description !== "" && <p className="error-description">{screen.description}</p>}
          <p className="muted">Start again from the app that sent you here.</p>
        </ErrorScreen>
      );
      break;
    case "load-failed":
      body = (
        <ErrorScreen
          title={screen.failure.status === 503 ? "Login service unavailable, try again shortly" : "This sign-in page could not be loaded"}
          focusKey="load-failed"
        >
          <p className="error-description">{describeFailure(screen.failure, "The server did not answer as expected.")}</p>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={() => setLoadAttempt((n) => n + 1)}>
              Try again
            </button>
          </div>
        </ErrorScreen>
      );
      break;
    case "login":
      if (info === null) break;
      body = (
        <section className="screen" aria-labelledby="screen-title">
          <Heading focusKey={`login-${screen.signedOut}`}>
            <span id="screen-title">Sign in to continue to {clientName}</span>
          </Heading>
          <p>
            <strong>{clientName}</strong> wants to connect to your account. Sign in first; then you choose whether to
            allow it.
          </p>
          {unverifiedNotice}
          {info.login.mode === "privy" ? (
            <PrivyGate
              sdkUrl={info.login.sdk_url}
              sdkIntegrity={info.login.sdk_integrity}
              appId={info.login.app_id}
              startSignedOut={screen.signedOut}
              onIdentity={onIdentity}
            />
          ) : (
            <DevLogin onIdentity={onIdentity} />
          )}
          {info.redirect_host !== "" && (
            <p className="muted">
              Afterwards you will return to <strong className="host">{info.redirect_host}</strong>.
            </p>
          )}
        </section>
      );
      break;
    case "consent": {
      if (info === null) break;
      const { identity, busy, problem } = screen;
      const serverEmail = lookedUp?.privyToken === identity.privyToken ? lookedUp.email : undefined;
      const who = identity.email ?? serverEmail ?? identity.privyUserId;
      body = (
        <section className="screen" aria-labelledby="screen-title" aria-busy={busy !== ""}>
          <Heading focusKey="consent">
            <span id="screen-title">Allow {clientName} to access your account?</span>
          </Heading>
          {unverifiedNotice}
          <p className="signed-in">
            Signed in as <strong className="identity">{who}</strong>.{" "}
            <button
              type="button"
              className="link-button"
              disabled={busy !== ""}
              onClick={() => setScreen({ kind: "login", signedOut: true })}
            >
              Use a different account
            </button>
          </p>
          <h2 className="section-title">{clientName} will be able to:</h2>
          {info.scopes.length > 0 || info.stay_connected !== undefined ? (
            <ul className="scopes">
              {info.scopes.map((scope) => (
                <li key={scope.name}>{scopeText(scope)}</li>
              ))}
              {info.stay_connected !== undefined && <li className="stay-connected">{info.stay_connected}</li>}
            </ul>
          ) : (
            <p className="muted">Use your account with its basic access.</p>
          )}
          {info.redirect_host !== "" && (
            <p>
              Either way, you will return to <strong className="host">{info.redirect_host}</strong>.
            </p>
          )}
          {problem !== "" && (
            <p className="notice notice-error" role="alert">
              {problem}
            </p>
          )}
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={busy !== ""}
              onClick={() => void decide(identity, true)}
            >
              {busy === "approve" ? "Approving…" : "Approve"}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={busy !== ""}
              onClick={() => void decide(identity, false)}
            >
              {busy === "deny" ? "Denying…" : "Deny"}
            </button>
          </div>
          <details className="details">
            <summary>Request details</summary>
            <dl>
              <dt>Client ID</dt>
              <dd className="break">{info.client_id}</dd>
              <dt>Returns to</dt>
              <dd className="break">{info.redirect_host}</dd>
              <dt>Permissions</dt>
              <dd className="break">{info.scopes.map((scope) => scope.name).join(" ") || "none"}</dd>
            </dl>
          </details>
        </section>
      );
      break;
    }
    case "verify-failed":
      body = (
        <ErrorScreen title="Your login could not be verified" focusKey="verify-failed">
          <p>Your session may have ended. Sign in again to continue.</p>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => setScreen({ kind: "login", signedOut: true })}
            >
              Try again
            </button>
          </div>
        </ErrorScreen>
      );
      break;
    case "unavailable": {
      const { identity } = screen;
      body = (
        <ErrorScreen title="Login service unavailable, try again shortly" focusKey="unavailable">
          <p>The service that confirms your login did not answer. Nothing was shared.</p>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => setScreen({ kind: "consent", identity, busy: "", problem: "" })}
            >
              Try again
            </button>
          </div>
        </ErrorScreen>
      );
      break;
    }
    case "request-error":
      body = (
        <ErrorScreen title="This sign-in request could not be completed" focusKey="request-error">
          <p className="error-description">{screen.description}</p>
          <p className="muted">Start again from the app that sent you here.</p>
        </ErrorScreen>
      );
      break;
    case "expired":
      body = (
        <ErrorScreen title="This sign-in request has expired. Start again from ChatGPT." focusKey="expired">
          <p className="muted">For your security, a sign-in request is valid for a few minutes only. Nothing was shared.</p>
        </ErrorScreen>
      );
      break;
    case "redirecting":
      body = (
        <section className="screen" aria-busy="true" aria-labelledby="screen-title">
          <Heading focusKey="redirecting">
            <span id="screen-title">Returning to {info?.redirect_host || "the app"}…</span>
          </Heading>
          <p className="muted">You can close this page if nothing happens.</p>
        </section>
      );
      break;
  }

  return (
    <main className="page">
      <div className="card">
        {body}
        <p className="status-line" role="status" aria-live="polite">
          {status}
        </p>
      </div>
    </main>
  );
}
