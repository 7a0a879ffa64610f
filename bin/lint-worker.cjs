'use strict';
// A sweep's worker thread (copied into dist/bundle/ by bin/build.mjs): the bundle, with its code caches.
require('./load.cjs')
  .load()
  .exports.startLintWorker()
  .catch((error) => {
    throw error;
  });
