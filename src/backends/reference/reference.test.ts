import { conformanceSuite } from '../conformance.js';
import { referenceBackend } from './index.js';

conformanceSuite(referenceBackend);
