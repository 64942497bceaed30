import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasizeString } from '../../../../schemas/go/index.js';

// c2h5oh/datasize ByteSize.String: the largest 1024-based unit dividing the value, else bytes.
const cases = [
  { name: 'zero', n: 0, want: '0B' },
  { name: 'bytes', n: 1000, want: '1000B' },
  { name: 'exact KB', n: 1_572_864, want: '1536KB' },
  { name: 'exact MB', n: 3 * 1024 ** 2, want: '3MB' },
  { name: 'exact GB', n: 4 * 1024 ** 3, want: '4GB' },
  { name: 'exact TB', n: 1024 ** 4, want: '1TB' },
  { name: 'not a KB multiple', n: 1025, want: '1025B' },
];
for (const c of cases) test(`datasizeString: ${c.name}`, () => assert.equal(datasizeString(c.n), c.want));
