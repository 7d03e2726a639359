import type { ApiError, Scope } from "./api";

/**
 * Plain words for the server's own scopes when it sent no description. The app's scopes come
 * with the consent sentence of its manifest; any other scope gets the generic line below.
 */
const SCOPE_WORDS: Record<string, string> = {
  openid: "Confirm who you are",
  email: "See your email address",
  profile: "See your basic profile",
  offline_access: "Stay connected when you are not using it",
};

export function scopeText(scope: Scope): string {
  return scope.description || SCOPE_WORDS[scope.name] || `Use the “${scope.name}” permission`;
}

/** One sentence for a failed call: the server's description when it gave one. */
export function describeFailure(failure: ApiError, fallback: string): string {
  if (failure.description !== "") return failure.description;
  if (failure.status === 0) return "The server could not be reached. Check your connection and try again.";
  if (failure.error !== "" && failure.error !== "invalid_response") return `${fallback} (${failure.error})`;
  return fallback;
}
