// The only part of the page that knows about Privy. It loads the Privy React SDK as an ES module
// at run time (login.sdk_url), renders <PrivyProvider> into a DOM node of its own, watches
// usePrivy() from a tiny bridge component, and hands back an Identity. Module contract:
// web/README.md ("Privy SDK module").
import * as OurReact from "react";
import { useCallback, useEffect, useRef, useState } from "react";
import { createRoot as ourCreateRoot } from "react-dom/client";
import type { Identity } from "./api";

type PrivyUser = { id?: unknown; email?: { address?: unknown } | null } | null | undefined;

type PrivyApi = {
  ready: boolean;
  authenticated: boolean;
  user: PrivyUser;
  login: (options?: unknown) => void;
  logout?: () => Promise<void> | void;
  getAccessToken: () => Promise<string | null>;
};

type ReactLike = {
  createElement: (type: unknown, props?: unknown, ...children: unknown[]) => unknown;
  useEffect: (effect: () => void | (() => void), deps?: unknown[]) => void;
};

type RootLike = { render: (element: unknown) => void; unmount: () => void };

type SdkModule = {
  PrivyProvider: unknown;
  usePrivy: () => PrivyApi;
  /** Only for an SDK build that bundles its own React: then it must export both. */
  React?: ReactLike;
  createRoot?: (container: Element) => RootLike;
};

const LOAD_TIMEOUT_MS = 20000;

const sdkCache = new Map<string, Promise<SdkModule>>();
/** Failed loads per sdk_url, for the retry parameter of the next attempt. */
const sdkFailures = new Map<string, number>();

/**
 * The address to import for the attempt after `failures` failed ones. The browser keeps a module
 * that threw while it was evaluated in its module map for that exact URL, so importing the same
 * URL again fails again until the page is reloaded. Each retry therefore asks for a distinct URL
 * (`retry=N` added to the query); the first attempt uses sdk_url unchanged, so the pinned default
 * stays one cacheable URL. The fragment, if any, stays last.
 */
function sdkAttemptUrl(url: string, failures: number): string {
  if (failures <= 0) return url;
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? "" : url.slice(hash);
  const query = base.indexOf("?");
  const separator = query === -1 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return `${base}${separator}retry=${failures}${fragment}`;
}

/**
 * Fetches the module through `<link rel="modulepreload" integrity>` and resolves once it has
 * arrived and matched. import() has no integrity option, but it takes the module the preload put
 * in the page's module map for that URL (HTML, "fetch a modulepreload module script graph"); a
 * body that does not match the hash fails the preload (W3C SRI §3.3.5), and then nothing is
 * imported. A browser without modulepreload cannot check the hash, so the load fails closed.
 */
function preloadChecked(url: string, integrity: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    if (!link.relList.supports("modulepreload")) {
      reject(new Error("This browser cannot check the Privy module's integrity."));
      return;
    }
    link.rel = "modulepreload";
    link.crossOrigin = "anonymous"; // the CORS mode and credentials of a module script
    link.integrity = integrity;
    link.href = url;
    link.onload = () => resolve();
    link.onerror = () => reject(new Error("The Privy module could not be loaded or does not match its integrity hash."));
    document.head.append(link);
  });
}

function loadSdk(url: string, integrity: string | undefined): Promise<SdkModule> {
  let pending = sdkCache.get(url);
  if (pending === undefined) {
    const failures = sdkFailures.get(url) ?? 0;
    const address = sdkAttemptUrl(url, failures);
    const checked = integrity === undefined ? Promise.resolve() : preloadChecked(address, integrity);
    const load = checked.then(() => import(/* @vite-ignore */ address)).then((mod: Record<string, unknown>) => {
      if (typeof mod.usePrivy !== "function" || mod.PrivyProvider === undefined) {
        throw new Error("The Privy module does not export PrivyProvider and usePrivy.");
      }
      return mod as unknown as SdkModule;
    });
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error("Timed out loading the Privy module.")), LOAD_TIMEOUT_MS);
    });
    pending = Promise.race([load, timeout]);
    pending.catch(() => {
      sdkCache.delete(url);
      sdkFailures.set(url, failures + 1);
    });
    sdkCache.set(url, pending);
  }
  return pending;
}

/** The bridge is built with whichever React renders the Privy tree (ours, via the import map). */
function makeBridge(R: ReactLike, usePrivy: () => PrivyApi, report: (api: PrivyApi) => void) {
  return function PrivyBridge() {
    const api = usePrivy();
    R.useEffect(() => {
      report(api);
    });
    return null;
  };
}

type Phase = "loading" | "failed" | "ready" | "finishing";

export type PrivyGateProps = {
  sdkUrl: string;
  /** Subresource Integrity metadata the module must match (PRIVY_SDK_INTEGRITY), if configured. */
  sdkIntegrity?: string;
  appId: string;
  /** Sign out of a session the SDK restored before offering a fresh login (after a 401). */
  startSignedOut: boolean;
  onIdentity: (identity: Identity) => void;
};

export function PrivyGate({ sdkUrl, sdkIntegrity, appId, startSignedOut, onIdentity }: PrivyGateProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const apiRef = useRef<PrivyApi | null>(null);
  const signingOutRef = useRef(startSignedOut);
  const deliveredRef = useRef(false);
  const onIdentityRef = useRef(onIdentity);
  onIdentityRef.current = onIdentity;
  const [phase, setPhase] = useState<Phase>("loading");
  const [problem, setProblem] = useState("");
  const [attempt, setAttempt] = useState(0);

  const finish = useCallback(async (api: PrivyApi) => {
    if (deliveredRef.current) return;
    deliveredRef.current = true;
    setPhase("finishing");
    let token: string | null = null;
    try {
      token = await api.getAccessToken();
    } catch {
      token = null;
    }
    const user = api.user;
    const privyUserId = user && typeof user.id === "string" ? user.id : "";
    if (!token || privyUserId === "") {
      deliveredRef.current = false;
      setProblem("Privy did not return a session. Please sign in again.");
      setPhase("ready");
      return;
    }
    const address = user?.email?.address;
    onIdentityRef.current({
      privyToken: token,
      privyUserId,
      email: typeof address === "string" && address !== "" ? address : undefined,
    });
  }, []);

  const report = useCallback(
    (api: PrivyApi) => {
      apiRef.current = api;
      if (!api.ready) return;
      if (api.authenticated && signingOutRef.current) {
        signingOutRef.current = false;
        Promise.resolve(api.logout?.()).catch(() => undefined);
        setPhase("ready");
        return;
      }
      signingOutRef.current = false;
      if (api.authenticated) {
        void finish(api);
      } else {
        setPhase((current) => (current === "loading" ? "ready" : current));
      }
    },
    [finish],
  );

  useEffect(() => {
    let cancelled = false;
    let root: RootLike | null = null;
    setPhase("loading");
    setProblem("");
    loadSdk(sdkUrl, sdkIntegrity).then(
      (sdk) => {
        const host = hostRef.current;
        if (cancelled || host === null) return;
        const R: ReactLike = sdk.React && typeof sdk.createRoot === "function" ? sdk.React : (OurReact as unknown as ReactLike);
        const create = sdk.React && typeof sdk.createRoot === "function" ? sdk.createRoot : (ourCreateRoot as unknown as (c: Element) => RootLike);
        const Bridge = makeBridge(R, sdk.usePrivy, report);
        root = create(host);
        root.render(R.createElement(sdk.PrivyProvider, { appId }, R.createElement(Bridge)));
      },
      () => {
        if (cancelled) return;
        setPhase("failed");
      },
    );
    return () => {
      cancelled = true;
      const mounted = root;
      // Unmounting a root while our own React is committing is not allowed; defer it.
      if (mounted) setTimeout(() => mounted.unmount(), 0);
    };
  }, [sdkUrl, sdkIntegrity, appId, attempt, report]);

  const signIn = () => {
    const api = apiRef.current;
    if (!api || !api.ready) return;
    setProblem("");
    if (api.authenticated) {
      void finish(api);
      return;
    }
    try {
      api.login();
    } catch {
      setProblem("The sign-in window could not be opened. Please try again.");
    }
  };

  return (
    <div className="privy-gate">
      {phase === "failed" ? (
        <div className="notice notice-error" role="alert">
          <p>The sign-in service could not be loaded. Check your connection and try again.</p>
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <p className="status-line" role="status" aria-live="polite">
            {phase === "loading" ? "Loading sign-in…" : phase === "finishing" ? "Finishing sign-in…" : ""}
          </p>
          {problem !== "" && (
            <p className="notice notice-error" role="alert">
              {problem}
            </p>
          )}
          <button
            type="button"
            className="button button-primary"
            onClick={signIn}
            disabled={phase !== "ready"}
          >
            Sign in
          </button>
        </>
      )}
      <div ref={hostRef} className="privy-host" />
    </div>
  );
}
