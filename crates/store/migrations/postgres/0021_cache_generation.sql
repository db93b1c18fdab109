-- The generation of the rarely-changing records the intake keeps in memory
-- (issue #16, item 3): the parties' standing and roles (organisations,
-- organisation_roles), the tariff (tariff_lines), the filed commodities
-- (filings) and the bonded books with their lines' units (ems_books,
-- ems_lines). Every change to those tables gives the one row a new value
-- never used before, in the same transaction as the change, so a cache
-- entry read under one generation is used only while the database still
-- shows that generation: never stale after a commit, on any server, and a
-- rolled-back change leaves no generation anyone will see again.
-- PostgreSQL: a statement trigger per table, the new value from a sequence
-- (a sequence never hands out a value twice, even to a transaction rolled
-- back). Only a line's unit is cached of ems_lines, whose stock changes
-- with every bonded list.
CREATE SEQUENCE cache_generation_values;
CREATE TABLE cache_generation (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO cache_generation (id, generation) VALUES (1, nextval('cache_generation_values'));
CREATE FUNCTION cache_generation_next() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_generation SET generation = nextval('cache_generation_values') WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER organisations_cached AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION cache_generation_next();
CREATE TRIGGER organisation_roles_cached AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation_roles
    FOR EACH STATEMENT EXECUTE FUNCTION cache_generation_next();
CREATE TRIGGER tariff_lines_cached AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tariff_lines
    FOR EACH STATEMENT EXECUTE FUNCTION cache_generation_next();
CREATE TRIGGER filings_cached AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON filings
    FOR EACH STATEMENT EXECUTE FUNCTION cache_generation_next();
CREATE TRIGGER ems_books_cached AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ems_books
    FOR EACH STATEMENT EXECUTE FUNCTION cache_generation_next();
CREATE TRIGGER ems_lines_cached AFTER INSERT OR UPDATE OF unit OR DELETE OR TRUNCATE ON ems_lines
    FOR EACH STATEMENT EXECUTE FUNCTION cache_generation_next();
