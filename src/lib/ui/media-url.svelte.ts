/**
 * The object URL of a file in an organization's media database, asked for again until the
 * file has synced to the device (it travels apart from the record that names it). The data
 * layer caches the URL for the session; it is not the caller's to revoke.
 */
import type { MediaSpace } from '$lib/db/media';
import { session } from './session.svelte';

export function mediaUrl(ref: () => { orgId: string; mediaId: string; space?: MediaSpace }): {
  readonly url: string | null;
  readonly missing: boolean;
} {
  let url = $state<string | null>(null);
  let missing = $state(false);
  $effect(() => {
    const media = session.db?.media;
    const { orgId, mediaId, space } = ref();
    if (!media) return;
    let stop = false;
    const attempt = async (n: number) => {
      const got = await media.url(orgId, mediaId, space).catch(() => null);
      if (stop) return;
      if (got) url = got;
      else if (n < 30) setTimeout(() => void attempt(n + 1), 2000);
      else missing = true;
    };
    void attempt(0);
    return () => {
      stop = true;
    };
  });
  return {
    get url() {
      return url;
    },
    get missing() {
      return missing;
    }
  };
}
