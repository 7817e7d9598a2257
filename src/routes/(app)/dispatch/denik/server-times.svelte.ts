/**
 * The server's receipt times of deník records this device wrote itself. The device keeps its
 * own copy of what it sent, which does not carry the time the server stamped on it; the
 * printed deník needs that time (it decides the order, and it is the evidence), so it is read
 * from the server, through the gateway, for the records that lack it. Offline they stay
 * without it and are ordered by device time.
 */
interface Row {
  id: string;
  receivedAt?: string;
}

export function serverTimes(missing: () => { db: string; ids: string[] }[]) {
  const times = $state<Record<string, string>>({});
  // Bookkeeping of requests made, not state any view reads.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const asked = new Set<string>();

  $effect(() => {
    for (const { db, ids } of missing()) {
      const ask = ids.filter((id) => !asked.has(`${db}/${id}`) && !(id in times));
      if (ask.length === 0) continue;
      for (const id of ask) asked.add(`${db}/${id}`);
      const keys = encodeURIComponent(JSON.stringify(ask));
      void fetch(`/couch/${db}/_all_docs?include_docs=true&keys=${keys}`, { credentials: 'same-origin' })
        .then((res) => (res.ok ? (res.json() as Promise<{ rows: { id?: string; doc?: Row | null }[] }>) : { rows: [] }))
        .then(({ rows }) => {
          for (const r of rows) if (r.doc?.receivedAt && r.id) times[r.id] = r.doc.receivedAt;
        })
        .catch(() => {
          // Offline: asked again when the page is opened next time.
          for (const id of ask) asked.delete(`${db}/${id}`);
        });
    }
  });

  return {
    fill<T extends Row>(rows: readonly T[]): T[] {
      return rows.map((r) => (r.receivedAt || !times[r.id] ? r : { ...r, receivedAt: times[r.id] }));
    }
  };
}
