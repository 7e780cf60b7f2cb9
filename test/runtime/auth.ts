/**
 * What the Zepp app does for the Settings App's `Auth` component when the patient taps it, as far as
 * the reference says (reference/app-settings-api/ui/auth.mdx: authorizeUrl, requestTokenUrl, clientId,
 * clientSecret, scope, pkce; onReturn receives the code, onAccessToken the token and "anything
 * provided by OAuth"), and RFC 6749 / RFC 7636 for the rest: an authorization code request with a
 * PKCE S256 challenge when `pkce` is set, the patient's user agent taking it to the redirect URI, then
 * the code exchanged at requestTokenUrl with the verifier. The redirect URI the Zepp app uses is not
 * documented (platform fact K5): this one stands in for it.
 */
import { createHash, randomBytes } from 'node:crypto';

export const ZEPP_REDIRECT_URI = 'https://zepp-app.invalid/settings/oauth/return';

export interface AuthProps {
  readonly authorizeUrl: string;
  readonly requestTokenUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly scope?: string;
  readonly pkce?: boolean;
}

/** The patient's browser: given the authorize URL, the URL it ends at (the redirect URI, with the code). */
export type UserAgent = (authorizeUrl: string) => Promise<string>;

export interface AuthResult {
  readonly code: string;
  /** The token endpoint's HTTP status and its answer, parsed as JSON. */
  readonly status: number;
  readonly token: unknown;
}

export async function authorizationCodeFlow(props: AuthProps, userAgent: UserAgent): Promise<AuthResult> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: props.clientId,
    redirect_uri: ZEPP_REDIRECT_URI,
    state,
    ...(props.scope ? { scope: props.scope } : {}),
    ...(props.pkce
      ? {
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
        }
      : {}),
  });
  const url = `${props.authorizeUrl}${props.authorizeUrl.includes('?') ? '&' : '?'}${query}`;
  const back = new URL(await userAgent(url));
  if (back.searchParams.get('state') !== state) throw new Error('sign-in: the state came back changed');
  const error = back.searchParams.get('error');
  if (error) throw new Error(`sign-in refused: ${error} ${back.searchParams.get('error_description') ?? ''}`);
  const code = back.searchParams.get('code');
  if (!code) throw new Error('sign-in: no code at the redirect URI');
  const res = await fetch(props.requestTokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: ZEPP_REDIRECT_URI,
      client_id: props.clientId,
      ...(props.pkce ? { code_verifier: verifier } : {}),
      ...(props.clientSecret ? { client_secret: props.clientSecret } : {}),
    }),
  });
  return { code, status: res.status, token: (await res.json()) as unknown };
}
