import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

// sessionStorage, not localStorage: a token lasts as long as the tab, and other tabs never see it.
const storageKey = "meterusage-token";

export const signInMessage = "The service needs a token: sign in to see the readings.";

/**
 * The token this tab signed in with, and its name as the service knows it. A service
 * without tokens never asks, and the page never shows the sign-in.
 */
class SessionToken {
  secret = $state<string | undefined>(sessionStorage.getItem(storageKey) ?? undefined);
  name = $state<string | undefined>();
  /** The service answered 401: the page must ask for a token. */
  needed = $state(false);

  headers(): Record<string, string> {
    return this.secret === undefined ? {} : { authorization: `Bearer ${this.secret}` };
  }

  /** Asks the service who `secret` is; keeps it when known, else answers why not. */
  async signIn(secret: string): Promise<string | undefined> {
    const response = await fetch("/api/whoami", { headers: { authorization: `Bearer ${secret}` } });
    if (response.status === 401) return "The service does not know that token.";
    const body = (await response.json()) as { name?: string | null; error?: string };
    if (!response.ok) return body.error ?? `The service answered HTTP ${response.status}.`;
    sessionStorage.setItem(storageKey, secret);
    this.secret = secret;
    this.name = body.name ?? undefined;
    this.needed = false;
    return undefined;
  }

  /** Shows the name of a token kept from earlier in this tab, or forgets it if the service no longer knows it. */
  async recall(): Promise<void> {
    if (this.secret === undefined) return;
    let response: Response;
    try {
      response = await fetch("/api/whoami", { headers: this.headers() });
    } catch {
      return; // The page's own loads say that the service is unreachable.
    }
    if (response.ok) this.name = ((await response.json()) as { name?: string | null }).name ?? undefined;
    else if (response.status === 401) this.refused();
  }

  signOut(): void {
    this.refused();
  }

  refused(): void {
    sessionStorage.removeItem(storageKey);
    this.secret = undefined;
    this.name = undefined;
    this.needed = true;
  }
}

export const sessionToken = new SessionToken();

/** Sends the tab's token with every RPC, and asks for one when the service refuses the call for want of it. */
export const sendSessionToken: Interceptor = (next) => async (request) => {
  for (const [name, value] of Object.entries(sessionToken.headers())) request.header.set(name, value);
  try {
    return await next(request);
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.Unauthenticated) sessionToken.refused();
    throw error;
  }
};
