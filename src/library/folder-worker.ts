// The scan's thread: lists folders for `FolderReader`, so a network mount that hangs in
// the middle of a scan blocks this thread, never the event loop of Homebridge.
import { parentPort } from 'node:worker_threads';
import { listFolder } from './folder-listing.ts';

interface ListRequest {
  readonly id: number;
  readonly absolute: string;
  readonly realRoot: string;
}

parentPort?.on('message', (request: ListRequest) => {
  try {
    parentPort!.postMessage({ id: request.id, listing: listFolder(request.absolute, request.realRoot) });
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    parentPort!.postMessage({ id: request.id, error: { message: String(message ?? error), code: typeof code === 'string' ? code : undefined } });
  }
});
