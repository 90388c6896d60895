-- Lets the local FerretDB answer equality filters from the indexes the services declare.
--
-- FerretDB 1.24 stores a collection as a table of one jsonb column, `_jsonb`, and makes each
-- declared index a btree on an expression such as `(_jsonb -> 'organisation_id')`. It pushes an
-- equality filter down to PostgreSQL as containment, `_jsonb -> 'organisation_id' @> '"…"'`,
-- which a btree cannot serve: every filter scans the table. For each such btree this trigger
-- makes a GIN index (jsonb_path_ops) on the same first expression, which serves `@>`; the
-- database plans each query with its parameters (force_custom_plan), so the field name FerretDB
-- binds as a parameter is known when the query is planned and the index matches. A field holding an array
-- is served too (`{"ancestor_ids": id}` is containment in the array).
--
-- A table gets one companion per first key, however many declared indexes start with it.
--
-- The companions keep no pending list (fastupdate = off). With PostgreSQL's default, a GIN index
-- puts new entries in a list of up to 4 MB that every lookup reads through until a vacuum
-- merges it: after an import, a lookup by _id took 3 ms instead of 0.08 (bench/store).
--
-- FerretDB's own btrees are kept empty, unless unique. No query of FerretDB 1.24 reads them (a
-- district's and a city's stores showed no scan of any of the 393 in all their life), yet every
-- insert and every update wrote each: a member is in 15, and an update of a document's `_jsonb`
-- is never HOT, so even the relay's taking an event off a member wrote a new entry in all of
-- them (1.5 GB of btrees beside 160 MB of companions over a city and a district). Each keeps
-- its name and keys with `WHERE false`, so FerretDB still lists and drops it; the unique ones
-- (`_id`, a card number) still refuse duplicates.
--
-- Only what FerretDB pushes down gains: top-level equality on strings, numbers, booleans and
-- dates. `$in`, ranges, regular expressions and dotted paths still scan, and sorts are done by
-- FerretDB after the filter. MongoDB 7 in production serves the declared indexes itself.
-- Applied by infra.sh at every start of the local PostgreSQL; it is idempotent.

SET client_min_messages = warning;

-- FerretDB binds the field name as a parameter: plan with its value, or no index matches
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
  -- FerretDB deadlocks when a dropDatabase waits on a table a half-read cursor still holds (it
  -- keeps its catalogue locked meanwhile, and the cursor's next batch waits for it): the drop
  -- gives up after 10 s instead, and FerretDB answers the rest again
  EXECUTE format('ALTER DATABASE %I SET lock_timeout = %L', current_database(), '10s');
  -- a member kept by FerretDB (its type schema beside each value) is over 2 kB, which
  -- PostgreSQL compresses on every write and decompresses on every read: lz4 costs less CPU
  -- than the default pglz either way (bench/store/settings.py); values written before stay
  -- as they were, and a server built without lz4 keeps pglz
  BEGIN
    SET LOCAL default_toast_compression = lz4;
    EXECUTE format('ALTER DATABASE %I SET default_toast_compression = lz4', current_database());
  EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'PostgreSQL without lz4: large values stay compressed with pglz';
  END;
END
$$;

-- The GIN companions of a table on this first key (a table's declared indexes often share one:
-- members have four on search_words), oldest first.
CREATE OR REPLACE FUNCTION partyorg_gin_companions_of(table_oid oid, first_key text)
RETURNS TABLE (companion oid) LANGUAGE sql STABLE AS $$
  SELECT i.indexrelid
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
   WHERE i.indrelid = table_oid AND am.amname = 'gin'
     AND pg_get_indexdef(i.indexrelid, 1, true) = first_key
   ORDER BY i.indexrelid
$$;

-- A btree of FerretDB's that nothing reads, made again with its name and keys and no entries
-- (a unique one stays: it refuses duplicates; one made so already is left).
CREATE OR REPLACE FUNCTION partyorg_kept_empty(btree oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  definition text;
BEGIN
  SELECT pg_get_indexdef(i.indexrelid) INTO definition
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
   WHERE i.indexrelid = btree AND am.amname = 'btree' AND NOT i.indisunique
     AND i.indpred IS NULL;
  IF definition IS NOT NULL THEN
    EXECUTE format('DROP INDEX %s', btree::regclass);
    EXECUTE definition || ' WHERE false';
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION partyorg_gin_companion(btree oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  first_key text;
  table_oid oid;
  index_name name;
  made oid;
BEGIN
  SELECT pg_get_indexdef(i.indexrelid, 1, true), i.indrelid, c.relname
    INTO first_key, table_oid, index_name
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
   WHERE i.indexrelid = btree AND am.amname = 'btree';
  IF first_key IS NULL OR index_name LIKE '\_ferretdb%' THEN
    RETURN;  -- not a btree, or FerretDB's own catalogue
  END IF;
  PERFORM partyorg_kept_empty(btree);
  IF first_key NOT LIKE '(_jsonb -> %' THEN
    RETURN;  -- a field inside another: FerretDB does not push it down
  END IF;
  -- one companion per first key: every index written costs each insert and update
  SELECT companion INTO made FROM partyorg_gin_companions_of(table_oid, first_key) LIMIT 1;
  IF made IS NULL THEN
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
      left(index_name, 59) || '_gin', table_oid::regclass, first_key
    );
  ELSIF NOT EXISTS (SELECT 1 FROM pg_class
                     WHERE oid = made AND 'fastupdate=off' = ANY (reloptions)) THEN
    -- a companion made before fastupdate was off keeps a pending list: off from now on
    EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', made::regclass);
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION partyorg_gin_companions() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  made record;
BEGIN
  FOR made IN
    SELECT objid FROM pg_event_trigger_ddl_commands()
     WHERE command_tag = 'CREATE INDEX' AND object_type = 'index'
  LOOP
    PERFORM partyorg_gin_companion(made.objid);
  END LOOP;
END
$$;

DROP EVENT TRIGGER IF EXISTS partyorg_gin_companions;
CREATE EVENT TRIGGER partyorg_gin_companions ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION partyorg_gin_companions();

-- companions an earlier version made twice on one first key: the oldest kept
DO $$
DECLARE
  extra record;
BEGIN
  FOR extra IN
    SELECT i.indexrelid::regclass AS companion
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am am ON am.oid = c.relam
     WHERE am.amname = 'gin' AND c.relname LIKE '%\_gin'
       AND i.indexrelid <> (SELECT min(companion)
                              FROM partyorg_gin_companions_of(i.indrelid, pg_get_indexdef(i.indexrelid, 1, true)))
  LOOP
    EXECUTE format('DROP INDEX IF EXISTS %s', extra.companion);
  END LOOP;
END
$$;

-- indexes FerretDB made before this trigger existed
DO $$
BEGIN
  PERFORM partyorg_gin_companion(i.indexrelid)
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indexrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
END
$$;
