-- 012: classes sort as people count them, 1А, 1Б, 2А … 10А, 11А, and not 10А, 11А, 1А as
-- their names do. The key is the grade and the letter's place in the alphabet (Ё after Е), two
-- digits each ("0701" for 7А): plain digits order the same in every engine and collation.
-- lib/values.c (class_sort_key) writes it for each class the roster brings; this fills it for
-- the classes there are.
ALTER TABLE classes ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
UPDATE classes SET sort_key = CASE WHEN grade < 10 THEN '0' ELSE '' END || CAST(grade AS TEXT) ||
	CASE substr(name, length(CAST(grade AS TEXT)) + 1)
	WHEN 'А' THEN '01'
	WHEN 'Б' THEN '02'
	WHEN 'В' THEN '03'
	WHEN 'Г' THEN '04'
	WHEN 'Д' THEN '05'
	WHEN 'Е' THEN '06'
	WHEN 'Ё' THEN '07'
	WHEN 'Ж' THEN '08'
	WHEN 'З' THEN '09'
	WHEN 'И' THEN '10'
	WHEN 'Й' THEN '11'
	WHEN 'К' THEN '12'
	WHEN 'Л' THEN '13'
	WHEN 'М' THEN '14'
	WHEN 'Н' THEN '15'
	WHEN 'О' THEN '16'
	WHEN 'П' THEN '17'
	WHEN 'Р' THEN '18'
	WHEN 'С' THEN '19'
	WHEN 'Т' THEN '20'
	WHEN 'У' THEN '21'
	WHEN 'Ф' THEN '22'
	WHEN 'Х' THEN '23'
	WHEN 'Ц' THEN '24'
	WHEN 'Ч' THEN '25'
	WHEN 'Ш' THEN '26'
	WHEN 'Щ' THEN '27'
	WHEN 'Ъ' THEN '28'
	WHEN 'Ы' THEN '29'
	WHEN 'Ь' THEN '30'
	WHEN 'Э' THEN '31'
	WHEN 'Ю' THEN '32'
	WHEN 'Я' THEN '33'
	ELSE '00' END;
