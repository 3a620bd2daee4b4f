// Imported first by main.ts, so that it runs before the rest of the command is
// loaded: loading it is enough to grow V8's young generation (see ../heap.ts). It
// imports heap.ts itself, not the API, which would load everything first: the one
// face import that the lint rule allows besides the API (eslint.config.js says so).
import { limitHeapGrowth } from '../heap.ts';

limitHeapGrowth();
