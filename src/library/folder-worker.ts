// The scan's process: lists folders for `FolderReader`, so a network mount that hangs in
// the middle of a scan blocks this process, never the event loop of Homebridge.
import { listFolder } from './folder-listing.ts';

interface ListRequest {
  readonly id: number;
  readonly absolute: string;
  readonly realRoot: string;
}

process.on('message', (request: ListRequest) => {
  try {
    process.send?.({ id: request.id, listing: listFolder(request.absolute, request.realRoot) });
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    process.send?.({ id: request.id, error: { message: String(message ?? error), code: typeof code === 'string' ? code : undefined } });
  }
});
// The reader closing the channel (idle, or closed) is this process's end.
process.on('disconnect', () => process.exit(0));
