-- Code lists' names in English and Russian (issue #17): the portal shows a
-- country, currency, unit or customs office by name in the reader's
-- language, with the code beside. Optional: a table imported with Chinese
-- names only keeps showing them.
ALTER TABLE reference_codes ADD COLUMN name_en TEXT;
ALTER TABLE reference_codes ADD COLUMN name_ru TEXT;
