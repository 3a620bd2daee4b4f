// Imported first by main.ts, so that it runs before the rest of the command is
// loaded: loading it is enough to grow V8's young generation (see ../heap.ts).
import { limitHeapGrowth } from '../heap.ts';

limitHeapGrowth();
