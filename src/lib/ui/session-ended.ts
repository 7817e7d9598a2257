/**
 * Ends the app's session when the server has ended it (a deactivation, a reset, a password
 * changed elsewhere): a sync request answered 401 is confirmed with `/api/me`, and only a
 * definite "no session" signs the person out. The local data stays on the device (it may
 * hold unsent work); nothing opens it again without signing in.
 */
import { ApiError, fetchMe } from '$lib/api';

let checking: Promise<boolean> | null = null;

/** True when the server confirms there is no session any more. */
export function sessionEnded(): Promise<boolean> {
  checking ??= fetchMe()
    .then(
      () => false,
      (e: unknown) => e instanceof ApiError && e.code === 'unauthorized'
    )
    .finally(() => (checking = null));
  return checking;
}
