import { InMemoryStorage } from '../../src/storage/memory.js';
import { storageConformance } from '../../src/testing/index.js';

storageConformance('memory:', { open: async () => new InMemoryStorage(), syncTwins: true });
