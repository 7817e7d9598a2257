/**
 * The backup file: gzip-compressed JSON lines, one record a line, written and read as a stream
 * so a store of any size fits in memory.
 *
 *   {"type":"header","format":"regional-ict-services-backup","version":1,"createdAt","scope","source"}
 *   {"type":"db","name","security"}                       before the documents of that database
 *   {"type":"doc","db","doc"}                             one leaf revision: `_revisions` (its
 *                                                         history) and `_attachments` with data
 *   {"type":"end","dbs","docs","sha256"}                  SHA-256 of every line before this one
 *
 * Every leaf revision is kept (conflicts and deletions included) with its history, so a
 * restore written with `new_edits: false` holds the very same revision trees, and devices that
 * synced before see nothing new and nothing in conflict. The trailer's checksum lets a restore
 * refuse a damaged or truncated file before it writes anything.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';

export const FORMAT = 'regional-ict-services-backup';
export const VERSION = 1;

export interface Header {
  type: 'header';
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  /** `{org}` for one organization's databases, `{}` for the whole store. */
  scope: { org?: string };
  source: 'embedded' | 'external';
}
export interface DbRecord {
  type: 'db';
  name: string;
  security: Record<string, unknown>;
}
export interface DocRecord {
  type: 'doc';
  db: string;
  doc: Record<string, unknown> & { _id: string; _rev: string };
}
export interface EndRecord {
  type: 'end';
  dbs: number;
  docs: number;
  sha256: string;
}
export type BackupRecord = Header | DbRecord | DocRecord;

/** A clear, stable reason why a file cannot be restored. */
export class BackupFileError extends Error {
  constructor(
    readonly code: 'not_gzip' | 'damaged' | 'foreign' | 'unsupported_version' | 'checksum' | 'truncated',
    message: string
  ) {
    super(message);
  }
}

export class BackupWriter {
  private readonly gzip = createGzip();
  private readonly hash: Hash = createHash('sha256');
  private readonly done: Promise<void>;
  dbs = 0;
  docs = 0;

  constructor(file: string) {
    const out = createWriteStream(file, { mode: 0o600 });
    this.gzip.pipe(out);
    this.done = once(out, 'close').then(() => undefined);
  }

  async write(record: BackupRecord): Promise<void> {
    if (record.type === 'db') this.dbs += 1;
    if (record.type === 'doc') this.docs += 1;
    const line = JSON.stringify(record) + '\n';
    this.hash.update(line);
    if (!this.gzip.write(line)) await once(this.gzip, 'drain');
  }

  async finish(): Promise<EndRecord> {
    const end: EndRecord = { type: 'end', dbs: this.dbs, docs: this.docs, sha256: this.hash.digest('hex') };
    this.gzip.end(JSON.stringify(end) + '\n');
    await this.done;
    return end;
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function startsLikeGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/**
 * Reads the records of a backup file in order. Throws BackupFileError for a file that is not
 * ours, is damaged, or whose checksum does not match (the last only once the end is reached:
 * call it once to verify before acting on the records).
 */
export async function* readBackup(file: string): AsyncGenerator<Header | BackupRecord, EndRecord> {
  if (!(await startsLikeGzip(file))) {
    throw new BackupFileError(
      'not_gzip',
      `${file} is not a backup of Regional ICT Services (it is not a gzip file made by npm run backup).`
    );
  }
  const gunzip = createGunzip();
  const lines = createInterface({ input: createReadStream(file).pipe(gunzip), crlfDelay: Infinity });
  let failure: Error | null = null;
  gunzip.on('error', (err) => {
    failure = err;
    lines.close();
  });
  const hash = createHash('sha256');
  let n = 0;
  let end: EndRecord | null = null;
  try {
    for await (const line of lines) {
      n += 1;
      if (end) throw new BackupFileError('damaged', `${file} is damaged: it goes on after its end record (line ${n}).`);
      let record: { type?: string } & Record<string, unknown>;
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        throw n === 1
          ? new BackupFileError(
              'foreign',
              `${file} is not a backup of Regional ICT Services (its first line is not a backup header).`
            )
          : new BackupFileError('damaged', `${file} is damaged: line ${n} is not valid JSON.`);
      }
      if (n === 1) {
        if (record.type !== 'header' || record.format !== FORMAT) {
          throw new BackupFileError(
            'foreign',
            `${file} is not a backup of Regional ICT Services (its first line is not a backup header).`
          );
        }
        if (record.version !== VERSION) {
          throw new BackupFileError(
            'unsupported_version',
            `${file} is a backup of format version ${String(record.version)}; this version restores version ${VERSION}.`
          );
        }
      }
      if (record.type === 'end') {
        end = record as unknown as EndRecord;
        const actual = hash.digest('hex');
        if (end.sha256 !== actual) {
          throw new BackupFileError(
            'checksum',
            `${file} is damaged: its checksum does not match its contents (expected ${end.sha256.slice(0, 12)}…, got ${actual.slice(0, 12)}…). Nothing was restored.`
          );
        }
        continue;
      }
      hash.update(line + '\n');
      yield record as unknown as BackupRecord;
    }
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    throw new BackupFileError('damaged', `${file} is damaged: ${(err as Error).message}. Nothing was restored.`);
  }
  if (failure)
    throw new BackupFileError(
      'damaged',
      `${file} is damaged: it does not decompress (${(failure as Error).message}). Nothing was restored.`
    );
  if (!end)
    throw new BackupFileError(
      'truncated',
      `${file} is incomplete: it has no end record (the backup was cut short or the file truncated). Nothing was restored.`
    );
  return end;
}
