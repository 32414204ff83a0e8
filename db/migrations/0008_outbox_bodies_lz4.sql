-- Email bodies (a digest is about 18 KB of HTML and 7 KB of text) are stored compressed with lz4
-- where the server has it: about a fifth of pglz's CPU to write, and no larger (docs/performance.md,
-- finding 26). Only new values are compressed this way. PGlite (the embedded database) is built
-- without lz4 and keeps pglz.
DO $$
BEGIN
  ALTER TABLE "outbox" ALTER COLUMN "html" SET COMPRESSION lz4, ALTER COLUMN "text" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available: outbox bodies keep the default compression';
END
$$;
