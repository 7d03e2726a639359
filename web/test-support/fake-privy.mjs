// A stand-in for the Privy React SDK module, for tests only (never bundled into public/). Serve it
// at the URL the server sends as login.sdk_url. Same surface as @privy-io/react-auth's
// PrivyProvider and usePrivy(): { ready, authenticated, user, login, logout, getAccessToken }.
//
// login() opens a small in-page "Fake Privy" dialog (data-testid="fake-privy-dialog") with an
// email input ("fake-privy-email") and a "Continue" button ("fake-privy-continue"). Continue posts
// {"email"} to window.FAKE_PRIVY_TOKEN_URL or "/fake-privy/token"; the test harness answers
// {"token": "<ES256 Privy-format JWT>", "user_id": "did:privy:..."} ("access_token"/"privy_token"
// and "privy_user_id" are accepted too; without a user id the JWT's sub is used). An answer with
// "email": null stands for a login without an email account (Google, wallet): `user.email` is
// then absent, as the real SDK leaves it.
// React comes from "react", which the page's import map resolves to the page's own React.
import React from "react";

const h = React.createElement;
const PrivyContext = React.createContext(null);

function str(value) {
  return typeof value === "string" ? value : "";
}

function subjectOf(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return str(JSON.parse(atob(payload + "===".slice((payload.length + 3) % 4))).sub);
  } catch {
    return "";
  }
}

async function requestToken(email) {
  const url = (typeof window !== "undefined" && window.FAKE_PRIVY_TOKEN_URL) || "/fake-privy/token";
  const response = await fetch(url, { method: "POST", body: JSON.stringify({ email }) });
  if (!response.ok) throw new Error(`Fake Privy token endpoint answered ${response.status}`);
  const body = await response.json();
  const token = str(body.token) || str(body.access_token) || str(body.privy_token);
  if (token === "") throw new Error("Fake Privy token endpoint returned no token");
  const id = str(body.user_id) || str(body.privy_user_id) || subjectOf(token);
  if (id === "") throw new Error("Fake Privy token endpoint returned no user id");
  const user = body.email === null ? { id } : { id, email: { address: email } };
  return { token, user };
}

function FakeDialog({ onDone, onCancel }) {
  const [email, setEmail] = React.useState("");
  const [busy, setBusy] = React.useState(false);
  const [problem, setProblem] = React.useState("");
  const inputRef = React.useRef(null);
  React.useEffect(() => {
    if (inputRef.current) inputRef.current.focus();
  }, []);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setProblem("");
    try {
      onDone(await requestToken(email.trim()));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  };
  return h(
    "div",
    {
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "fake-privy-title",
      "data-testid": "fake-privy-dialog",
      className: "fake-privy-dialog",
    },
    h("h2", { id: "fake-privy-title" }, "Fake Privy"),
    h(
      "form",
      { onSubmit: submit },
      h(
        "label",
        { htmlFor: "fake-privy-email" },
        "Email",
        " ",
        h("input", {
          id: "fake-privy-email",
          ref: inputRef,
          type: "email",
          autoComplete: "email",
          value: email,
          disabled: busy,
          onChange: (event) => setEmail(event.target.value),
          "data-testid": "fake-privy-email",
        }),
      ),
      " ",
      h("button", { type: "submit", disabled: busy, "data-testid": "fake-privy-continue" }, "Continue"),
      " ",
      h("button", { type: "button", onClick: onCancel, "data-testid": "fake-privy-cancel" }, "Cancel"),
      problem !== "" ? h("p", { role: "alert", "data-testid": "fake-privy-error" }, problem) : null,
    ),
  );
}

export function PrivyProvider({ appId, children }) {
  if (!appId) throw new Error("PrivyProvider needs an appId");
  const [session, setSession] = React.useState({ ready: false, token: null, user: null });
  const [dialogOpen, setDialogOpen] = React.useState(false);
  const tokenRef = React.useRef(null);

  React.useEffect(() => {
    // The real SDK becomes ready asynchronously; so does the fake.
    const timer = setTimeout(() => setSession((current) => ({ ...current, ready: true })), 0);
    return () => clearTimeout(timer);
  }, []);

  const login = React.useCallback(() => setDialogOpen(true), []);
  const logout = React.useCallback(async () => {
    tokenRef.current = null;
    setSession({ ready: true, token: null, user: null });
  }, []);
  const getAccessToken = React.useCallback(async () => tokenRef.current, []);
  const finish = React.useCallback(({ token, user }) => {
    tokenRef.current = token;
    setSession({ ready: true, token, user });
    setDialogOpen(false);
  }, []);

  const value = React.useMemo(
    () => ({
      ready: session.ready,
      authenticated: session.token !== null,
      user: session.user,
      login,
      logout,
      getAccessToken,
    }),
    [session, login, logout, getAccessToken],
  );

  return h(
    PrivyContext.Provider,
    { value },
    children,
    dialogOpen ? h(FakeDialog, { onDone: finish, onCancel: () => setDialogOpen(false) }) : null,
  );
}

export function usePrivy() {
  const value = React.useContext(PrivyContext);
  if (value === null) throw new Error("usePrivy must be used inside PrivyProvider");
  return value;
}
