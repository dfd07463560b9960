-- 011: the lessons of a class between two dates, found by range: the journal grid
-- reads them for every page of the web cabinet and every journal shown.
CREATE INDEX lessons_class_date ON lessons (class, date);
