// Development login: only offered when the server says it has no Privy app (login.mode
// "development"). The server signs a local stand-in token for the email given here.
import { useState, type FormEvent } from "react";
import { devLogin, type Identity } from "./api";
import { describeFailure } from "./messages";

export function DevLogin({ onIdentity }: { onIdentity: (identity: Identity) => void }) {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (address === "") {
      setProblem("Enter an email address.");
      return;
    }
    setBusy(true);
    setProblem("");
    const outcome = await devLogin(address);
    setBusy(false);
    if (outcome.ok) {
      onIdentity(outcome.value);
    } else {
      setProblem(describeFailure(outcome.failure, "The development login was refused."));
    }
  };

  return (
    <form className="dev-login" onSubmit={submit} noValidate aria-busy={busy}>
      <p className="notice notice-warning">Development login (this server has no Privy app; local use only)</p>
      <div className="field">
        <label htmlFor="dev-email">Email</label>
        <input
          id="dev-email"
          name="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={problem !== ""}
          aria-describedby={problem !== "" ? "dev-email-problem" : undefined}
          disabled={busy}
        />
      </div>
      <p id="dev-email-problem" className="field-problem" role="alert">
        {problem}
      </p>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Signing in…" : "Continue"}
      </button>
    </form>
  );
}
