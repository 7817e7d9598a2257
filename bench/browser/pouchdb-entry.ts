// PouchDB as a user would load it in a page: the browser edition (idb adapter, HTTP, replication).
import PouchDB from 'pouchdb-browser';

(globalThis as unknown as { PouchDB: unknown }).PouchDB = PouchDB;
