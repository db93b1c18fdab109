-- The generation of the rarely-changing records the intake keeps in memory
-- (issue #16, item 3): the parties' standing and roles (organisations,
-- organisation_roles), the tariff (tariff_lines), the filed commodities
-- (filings) and the bonded books with their lines' units (ems_books,
-- ems_lines). Every change to those tables gives the one row a new value
-- never used before, in the same transaction as the change, so a cache
-- entry read under one generation is used only while the database still
-- shows that generation: never stale after a commit, on any server, and a
-- rolled-back change leaves no generation anyone will see again.
-- SQLite: a row trigger per table and event, the new value random() (64
-- bits; a repeat is not to be expected).
CREATE TABLE cache_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO cache_generation (id, generation) VALUES (1, random());
CREATE TRIGGER organisations_insert_cached AFTER INSERT ON organisations
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER organisations_update_cached AFTER UPDATE ON organisations
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER organisations_delete_cached AFTER DELETE ON organisations
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER organisation_roles_insert_cached AFTER INSERT ON organisation_roles
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER organisation_roles_update_cached AFTER UPDATE ON organisation_roles
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER organisation_roles_delete_cached AFTER DELETE ON organisation_roles
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER tariff_lines_insert_cached AFTER INSERT ON tariff_lines
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER tariff_lines_update_cached AFTER UPDATE ON tariff_lines
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER tariff_lines_delete_cached AFTER DELETE ON tariff_lines
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER filings_insert_cached AFTER INSERT ON filings
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER filings_update_cached AFTER UPDATE ON filings
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER filings_delete_cached AFTER DELETE ON filings
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER ems_books_insert_cached AFTER INSERT ON ems_books
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER ems_books_update_cached AFTER UPDATE ON ems_books
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER ems_books_delete_cached AFTER DELETE ON ems_books
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER ems_lines_insert_cached AFTER INSERT ON ems_lines
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER ems_lines_update_cached AFTER UPDATE OF unit ON ems_lines
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
CREATE TRIGGER ems_lines_delete_cached AFTER DELETE ON ems_lines
BEGIN UPDATE cache_generation SET generation = random() WHERE id = 1; END;
