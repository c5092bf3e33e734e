-- How many memory units hold each lookup key (`tm::keys`), so that a lookup asks the
-- index for the query's rarest keys.
--
-- Why: a lookup used to ask for a fixed sample of the query's keys. In a memory of one
-- domain, most 8-character n-grams of a paragraph are common (a word or two of everyday
-- Thai), so the sample matched thousands of units and PostgreSQL read up to 5,000 of them
-- per lookup to rank them: 26 ms at p95 with 100,000 units. A near-copy of the query holds
-- most of its keys, rare ones included, so the query's rarest keys (those held by few
-- units, but by at least one) find it while touching a few dozen units.
--
-- Kept in step by triggers, whatever writes tm_units (the TMX import, the key fill of
-- units stored before 0011), in key order so that two imports lock the counts in the same
-- order. A count reaching zero leaves its row (with 0): the key is then simply not chosen.

CREATE TABLE tm_key_counts (
    key   int4 PRIMARY KEY,
    units int4 NOT NULL CHECK (units >= 0)
);

INSERT INTO tm_key_counts (key, units)
SELECT k, count(*) FROM tm_units, unnest(source_keys) AS k GROUP BY k;

CREATE FUNCTION tm_key_counts_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tm_key_counts AS c (key, units)
    SELECT k, count(*) FROM new_rows, unnest(new_rows.source_keys) AS k GROUP BY k ORDER BY k
    ON CONFLICT (key) DO UPDATE SET units = c.units + EXCLUDED.units;
    RETURN NULL;
END
$$;

CREATE FUNCTION tm_key_counts_remove() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tm_key_counts c SET units = c.units - o.n
      FROM (SELECT k, count(*) AS n FROM old_rows, unnest(old_rows.source_keys) AS k
             GROUP BY k ORDER BY k) AS o
     WHERE c.key = o.k;
    RETURN NULL;
END
$$;

CREATE TRIGGER tm_units_key_counts_insert AFTER INSERT ON tm_units
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tm_key_counts_add();

CREATE TRIGGER tm_units_key_counts_delete AFTER DELETE ON tm_units
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tm_key_counts_remove();

-- An update (the key fill) adds the new keys' counts and removes the old ones (AFTER
-- triggers fire in name order: `_new` first, so no count dips below zero on the way).
CREATE TRIGGER tm_units_key_counts_update_old AFTER UPDATE ON tm_units
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tm_key_counts_remove();

CREATE TRIGGER tm_units_key_counts_update_new AFTER UPDATE ON tm_units
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tm_key_counts_add();
