/* portal-synth — a deterministic synthetic school for portal's tests, demo and benchmarks.
 *
 *   portal-synth [--seed N] [--students N] [--year YYYY] [--excel] [--journal] --out DIR
 *
 * Writes students.csv, guardians.csv, staff.csv, groups.csv, periods.csv and subjects.csv
 * (SPEC section 4 columns) into DIR; with --journal also a school year of journal data:
 * schedule.csv, holidays.csv, lessons.csv, changes.csv, tests.csv, attendance.csv, marks.csv,
 * finals.csv and recommendations.csv.  Every person is synthetic: names are random combinations
 * from lists of common Russian names.  The same seed and options give byte-identical files.
 *
 * Standalone on purpose: libc and glibc's iconv only, it does not link lib/.
 *
 * Layout of this file:
 *   1. random numbers (xoshiro256** seeded by splitmix64; one independent stream per part of the
 *      model, so adding a new part later never changes the files the old parts produce)
 *   2. name tables and Russian name morphology (female surnames, patronymics, transliteration)
 *   3. the school model in memory (classes, students, families/guardians, staff, curriculum,
 *      groups) and the functions that build it
 *   4. CSV writing (plain UTF-8 or "Excel on a Russian Windows") and one writer per file
 *   5. the journal (--journal): calendar, timetable, changes, lessons, tests, then per student
 *      attendance, marks, finals and recommendations
 *   6. options and main
 *
 * To add a file: give it a stream id at the end of enum stream, a build_X() that fills the model
 * from its own stream, and a write_X() that uses csv_*(); then call both from main. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define EXIT_USAGE 64
#define EXIT_SOFTWARE 70
#define EXIT_UNAVAILABLE 69
#define EXIT_IO 74

#define MAX_STUDENTS 99999
#define SMALL_SCHOOL 220 /* below 11 grades × 20 students: the "tiny school" layout */
#define CLASSES_PER_TEACHER 5

static const char *prog = "portal-synth";

static void die(int code, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        die(EXIT_SOFTWARE, "out of memory");
    return p;
}

/* ===================================================================== 1. random numbers */

/* One stream per part of the model: the model (and so every file) only depends on the seed, and
 * a part added later draws from a new stream, leaving the old parts' output unchanged. */
enum stream {
    STREAM_CLASSES = 1,
    STREAM_PEOPLE,
    STREAM_CONTACTS,
    STREAM_STAFF,
    STREAM_GROUPS,
    STREAM_EXCEL,
    /* the journal (--journal) */
    STREAM_TIMETABLE,
    STREAM_CHANGES,
    STREAM_TESTS,
    STREAM_LESSONS,
    STREAM_ABILITY,
    STREAM_ATTENDANCE,
    STREAM_MARKS,
    STREAM_RECOMMEND,
    STREAM_EXCEL_JOURNAL,
};

typedef struct {
    uint64_t s[4];
} Rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_init(Rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t mix = splitmix64(&x) ^ (stream * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&mix);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) (n ≥ 1); the bias of the multiply-shift is far below anything that matters. */
static int rng_below(Rng *r, int n)
{
    return (int)(((rng_next(r) >> 32) * (uint64_t)(uint32_t)n) >> 32);
}

/* True with probability permille / 1000. */
static int rng_chance(Rng *r, int permille) { return rng_below(r, 1000) < permille; }

/* ===================================================================== 2. names */

/* Surnames in the male form; the female form is derived by surname_female(). */
static const char *const SURNAMES[] = {
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
    "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
    "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
    "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов",
    "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов",
    "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
    "Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв",
    "Быков", "Маслов", "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов",
    "Пономарёв", "Голубев", "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв",
    "Овчинников", "Трофимов", "Леонов", "Соболев", "Ермаков", "Колесников", "Гончаров",
    "Емельянов", "Никифоров", "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов", "Громов",
    "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков",
    "Горбунов", "Анисимов", "Ерёмин", "Тихомиров", "Галкин", "Лукьянов", "Михеев", "Скворцов",
    "Юдин", "Белоусов", "Нестеров", "Прокофьев", "Харитонов", "Князев", "Цветков", "Левин",
    "Митрофанов", "Воронцов", "Рябов", "Зуев", "Суханов", "Логинов", "Блинов", "Карасёв",
    "Покровский", "Успенский", "Вознесенский", "Троицкий", "Соколовский", "Яблонский",
    "Завадский", "Заболоцкий", "Луговой", "Полевой", "Береговой", "Шевченко", "Бондаренко",
    "Коваленко", "Кравченко", "Ткаченко", "Литвиненко", "Лысенко", "Белых", "Седых", "Черных",
    "Долгих", "Кривых", "Ковальчук", "Мельничук", "Петров-Соколов", "Орлов-Денисов",
    "Смирнов-Кравченко", "Иванов-Луговой",
};

static const char *const MALE[] = {
    "Александр", "Алексей", "Анатолий", "Андрей", "Антон", "Аркадий", "Арсений", "Артём",
    "Артур", "Богдан", "Борис", "Вадим", "Валентин", "Валерий", "Василий", "Виктор",
    "Виталий", "Владимир", "Владислав", "Всеволод", "Вячеслав", "Геннадий", "Георгий",
    "Герман", "Глеб", "Григорий", "Давид", "Даниил", "Денис", "Дмитрий", "Евгений", "Егор",
    "Захар", "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Лев", "Леонид", "Макар",
    "Максим", "Марк", "Матвей", "Михаил", "Никита", "Николай", "Олег", "Павел", "Пётр",
    "Платон", "Роман", "Руслан", "Савелий", "Семён", "Сергей", "Станислав", "Степан",
    "Тимофей", "Тимур", "Фёдор", "Филипп", "Эдуард", "Юрий", "Яков", "Ярослав", "Кузьма",
    "Савва",
};

static const char *const FEMALE[] = {
    "Александра", "Алёна", "Алина", "Алиса", "Алла", "Анастасия", "Ангелина", "Анна",
    "Антонина", "Арина", "Валентина", "Валерия", "Варвара", "Василиса", "Вера", "Вероника",
    "Виктория", "Галина", "Дарья", "Диана", "Ева", "Евгения", "Екатерина", "Елена",
    "Елизавета", "Жанна", "Зинаида", "Злата", "Зоя", "Инна", "Ирина", "Карина", "Кира",
    "Клавдия", "Ксения", "Лариса", "Лидия", "Лилия", "Любовь", "Людмила", "Майя", "Маргарита",
    "Марина", "Мария", "Милана", "Надежда", "Наталья", "Нина", "Оксана", "Олеся", "Ольга",
    "Полина", "Раиса", "Светлана", "Снежана", "София", "Таисия", "Тамара", "Татьяна",
    "Ульяна", "Эвелина", "Юлия", "Яна", "Ярослава",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
_Static_assert(sizeof(SURNAMES) / sizeof(SURNAMES[0]) >= 150, "at least 150 surnames");
_Static_assert(sizeof(MALE) / sizeof(MALE[0]) >= 60, "at least 60 male first names");
_Static_assert(sizeof(FEMALE) / sizeof(FEMALE[0]) >= 60, "at least 60 female first names");

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Appends at most n bytes of src to the string in out (size cap). */
static void append(char *out, size_t cap, const char *src, size_t n)
{
    size_t len = strlen(out);
    if (len + n >= cap)
        die(EXIT_SOFTWARE, "internal: name too long");
    memcpy(out + len, src, n);
    out[len + n] = '\0';
}

/* The female form of one part of a surname. */
static void surname_part_female(const char *p, size_t len, char *out, size_t cap)
{
    if (ends_with(p, len, "ов") || ends_with(p, len, "ев") || ends_with(p, len, "ёв") ||
        ends_with(p, len, "ин") || ends_with(p, len, "ын")) {
        append(out, cap, p, len);
        append(out, cap, "а", strlen("а"));
    } else if (ends_with(p, len, "ий") || ends_with(p, len, "ой") || ends_with(p, len, "ый")) {
        /* Покровский → Покровская, Троицкий → Троицкая, Луговой → Луговая */
        append(out, cap, p, len - strlen("ий"));
        append(out, cap, "ая", strlen("ая"));
    } else {
        append(out, cap, p, len); /* Шевченко, Белых, Ковальчук: indeclinable */
    }
}

/* Male surname → the female form; a hyphenated surname changes part by part. */
static void surname_female(const char *m, char *out, size_t cap)
{
    out[0] = '\0';
    for (;;) {
        const char *dash = strchr(m, '-');
        size_t len = dash ? (size_t)(dash - m) : strlen(m);
        surname_part_female(m, len, out, cap);
        if (!dash)
            break;
        append(out, cap, "-", 1);
        m = dash + 1;
    }
}

static void surname_for(const char *male_form, int female, char *out, size_t cap)
{
    if (female) {
        surname_female(male_form, out, cap);
    } else {
        out[0] = '\0';
        append(out, cap, male_form, strlen(male_form));
    }
}

/* Patronymics that the regular rules below would get wrong. */
static const struct {
    const char *name, *male, *female;
} PATRONYMIC_EXCEPTIONS[] = {
    {"Пётр", "Петрович", "Петровна"},         {"Павел", "Павлович", "Павловна"},
    {"Лев", "Львович", "Львовна"},             {"Михаил", "Михайлович", "Михайловна"},
    {"Яков", "Яковлевич", "Яковлевна"},        {"Дмитрий", "Дмитриевич", "Дмитриевна"},
    {"Георгий", "Георгиевич", "Георгиевна"},   {"Илья", "Ильич", "Ильинична"},
    {"Кузьма", "Кузьмич", "Кузьминична"},      {"Фома", "Фомич", "Фоминична"},
    {"Лука", "Лукич", "Лукинична"},
};

/* Father's first name → the child's patronymic.  Иван → Иванович/Ивановна; Андрей →
 * Андреевич/Андреевна; Василий → Васильевич/Васильевна; Игорь → Игоревич/Игоревна;
 * Никита → Никитич/Никитична; exceptions from the table. */
static void patronymic(const char *father, int female, char *out, size_t cap)
{
    size_t len = strlen(father);
    out[0] = '\0';
    for (int i = 0; i < COUNT(PATRONYMIC_EXCEPTIONS); i++)
        if (strcmp(father, PATRONYMIC_EXCEPTIONS[i].name) == 0) {
            const char *p = female ? PATRONYMIC_EXCEPTIONS[i].female : PATRONYMIC_EXCEPTIONS[i].male;
            append(out, cap, p, strlen(p));
            return;
        }
    const char *suffix;
    size_t cut = 0;
    if (ends_with(father, len, "ий")) {
        cut = strlen("ий");
        suffix = female ? "ьевна" : "ьевич";
    } else if (ends_with(father, len, "й")) {
        cut = strlen("й");
        suffix = female ? "евна" : "евич";
    } else if (ends_with(father, len, "ь")) {
        cut = strlen("ь");
        suffix = female ? "евна" : "евич";
    } else if (ends_with(father, len, "а") || ends_with(father, len, "я")) {
        cut = strlen("а");
        suffix = female ? "ична" : "ич";
    } else {
        suffix = female ? "овна" : "ович";
    }
    append(out, cap, father, len - cut);
    append(out, cap, suffix, strlen(suffix));
}

/* Lowercase Latin transliteration (ICAO-like) for synthetic e-mail addresses. */
static void translit(const char *s, char *out, size_t cap)
{
    static const char *const LOWER[32] = {
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia",
    };
    out[0] = '\0';
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            char c = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            append(out, cap, &c, 1);
            p++;
            continue;
        }
        unsigned cp = ((unsigned)(p[0] & 0x1F) << 6) | (unsigned)(p[1] & 0x3F);
        const char *t = "";
        if (cp == 0x401 || cp == 0x451)
            t = "e";
        else if (cp >= 0x410 && cp < 0x430)
            t = LOWER[cp - 0x410];
        else if (cp >= 0x430 && cp < 0x450)
            t = LOWER[cp - 0x430];
        append(out, cap, t, strlen(t));
        p += 2;
    }
}

/* ===================================================================== 3. the school model */

/* Class letters in the order a school opens parallel classes. */
static const char *const LETTERS[] = {
    "А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "К", "Л", "М", "Н", "О",
    "П", "Р", "С", "Т", "У", "Ф", "Х", "Ц", "Ч", "Ш", "Щ", "Э", "Ю", "Я",
};
static const char *const LETTERS_LOWER[] = {
    "а", "б", "в", "г", "д", "е", "ж", "з", "и", "к", "л", "м", "н", "о",
    "п", "р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ", "э", "ю", "я",
};
#define NLETTERS COUNT(LETTERS)

enum subject {
    SUBJ_RUS, SUBJ_LITREAD, SUBJ_LIT, SUBJ_MATH, SUBJ_ALG, SUBJ_GEOM, SUBJ_WORLD, SUBJ_ENG,
    SUBJ_HIST, SUBJ_SOC, SUBJ_GEOG, SUBJ_BIO, SUBJ_PHYS, SUBJ_CHEM, SUBJ_INF, SUBJ_OBZR,
    SUBJ_MUS, SUBJ_ART, SUBJ_TECH, SUBJ_PE, NSUBJ
};

/* The curriculum: which grades have each subject (ФГОС ranges). */
static const struct {
    const char *name;
    int from, to;
} SUBJECTS[NSUBJ] = {
    [SUBJ_RUS] = {"Русский язык", 1, 11},
    [SUBJ_LITREAD] = {"Литературное чтение", 1, 4},
    [SUBJ_LIT] = {"Литература", 5, 11},
    [SUBJ_MATH] = {"Математика", 1, 6},
    [SUBJ_ALG] = {"Алгебра", 7, 11},
    [SUBJ_GEOM] = {"Геометрия", 7, 11},
    [SUBJ_WORLD] = {"Окружающий мир", 1, 4},
    [SUBJ_ENG] = {"Английский язык", 2, 11},
    [SUBJ_HIST] = {"История", 5, 11},
    [SUBJ_SOC] = {"Обществознание", 6, 11},
    [SUBJ_GEOG] = {"География", 5, 11},
    [SUBJ_BIO] = {"Биология", 5, 11},
    [SUBJ_PHYS] = {"Физика", 7, 11},
    [SUBJ_CHEM] = {"Химия", 8, 11},
    [SUBJ_INF] = {"Информатика", 7, 11},
    [SUBJ_OBZR] = {"ОБЗР", 8, 11},
    [SUBJ_MUS] = {"Музыка", 1, 8},
    [SUBJ_ART] = {"ИЗО", 1, 7},
    [SUBJ_TECH] = {"Технология", 1, 9},
    [SUBJ_PE] = {"Физическая культура", 1, 11},
};

static int grade_has(int grade, int subj)
{
    return grade >= SUBJECTS[subj].from && grade <= SUBJECTS[subj].to;
}

/* What one subject teacher teaches: a bundle of subjects over a range of grades; each teacher
 * takes about CLASSES_PER_TEACHER classes of the bundle. */
static const struct {
    int from, to, n;
    int subj[4];
} BUNDLES[] = {
    {1, 4, 4, {SUBJ_RUS, SUBJ_LITREAD, SUBJ_MATH, SUBJ_WORLD}}, /* учитель начальных классов */
    {5, 11, 2, {SUBJ_RUS, SUBJ_LIT}},
    {5, 11, 3, {SUBJ_MATH, SUBJ_ALG, SUBJ_GEOM}},
    {2, 11, 1, {SUBJ_ENG}},
    {5, 11, 2, {SUBJ_HIST, SUBJ_SOC}},
    {5, 11, 1, {SUBJ_GEOG}},
    {5, 11, 1, {SUBJ_BIO}},
    {8, 11, 1, {SUBJ_CHEM}},
    {7, 11, 1, {SUBJ_PHYS}},
    {7, 11, 1, {SUBJ_INF}},
    {8, 11, 1, {SUBJ_OBZR}},
    {1, 8, 1, {SUBJ_MUS}},
    {1, 7, 1, {SUBJ_ART}},
    {1, 9, 1, {SUBJ_TECH}},
    {1, 11, 1, {SUBJ_PE}},
};

typedef struct {
    int grade, letter;
    int first, size; /* students first .. first+size-1 (sorted by name) */
    int leader;      /* staff index */
    char name[8];    /* "7А" */
} Class;

typedef struct {
    int y, m, d;
} Date;

/* The school year's periods (periods.csv); the four четверти are also the journal's quarters. */
enum { NQUARTERS = 4, NPERIODS = 5 };
typedef struct {
    const char *name;
    Date start, end;
} Period;

static void school_periods(int y, Period p[NPERIODS])
{
    const Period P[NPERIODS] = {
        {"1 четверть", {y, 9, 1}, {y, 10, 24}},
        {"2 четверть", {y, 11, 5}, {y, 12, 28}},
        {"3 четверть", {y + 1, 1, 12}, {y + 1, 3, 20}},
        {"4 четверть", {y + 1, 3, 30}, {y + 1, 5, 26}},
        {"год", {y, 9, 1}, {y + 1, 5, 26}},
    };
    memcpy(p, P, sizeof P);
}

typedef struct {
    char last[80], first[32], middle[48];
    int female;
    int cls;
    Date birth;
    char email[128], phone[16];
    int left_day; /* 0: active; otherwise left on that day of October */
    int family;
    int orig; /* slot index before sorting; breaks ties so sorting is total */
} Student;

enum relation { REL_MOTHER, REL_FATHER, REL_GUARDIAN };
static const char *const REL_EN[] = {"mother", "father", "guardian"};
static const char *const REL_RU[] = {"мать", "отец", "опекун"};

typedef struct {
    char last[80], first[32], middle[48];
    int relation;
    char email[128], phone[16];
    int family;
} Guardian;

typedef struct {
    int guard[2], ng; /* guardians, in id order */
    int child[2], nc; /* students, in id order */
} Family;

enum role { ROLE_ADMIN, ROLE_DEPUTY, ROLE_LEADER, ROLE_TEACHER };
static const char *const ROLE_NAME[] = {"admin", "deputy", "class_leader", "teacher"};

typedef struct {
    char last[80], first[32], middle[48];
    int role;
    int led_class;     /* class index for a class leader, else -1 */
    unsigned subjects; /* bit per enum subject */
    char phone[16];
} Staff;

typedef struct {
    int cls; /* -1: a stream across classes */
    char group[96];
    int subject;
    int student;
} Member;

typedef struct {
    uint64_t seed;
    int year; /* the school year starts on 1 September of it */
    int nstudents;

    Class *cls;
    int ncls;
    Student *st;
    int nst;
    Guardian *gd;
    int ngd;
    Family *fam;
    int nfam;
    Staff *sf;
    int nsf;
    int *teacher; /* [cls * NSUBJ + subj]: staff index, -1 when the class has no such subject */
    Member *mem;
    int nmem, capmem;
} School;

static const char *pick(Rng *r, const char *const *list, int n) { return list[rng_below(r, n)]; }
#define PICK(r, list) pick((r), (list), COUNT(list))

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static Date date_from_yday(int y, int yday)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    Date d = {y, 1, 1};
    for (int m = 0; m < 12; m++) {
        int n = mdays[m] + (m == 1 && is_leap(y));
        if (yday < n) {
            d.m = m + 1;
            d.d = yday + 1;
            return d;
        }
        yday -= n;
    }
    return d;
}

static void random_phone(Rng *r, char out[16])
{
    memcpy(out, "+79", 3);
    for (int i = 0; i < 9; i++)
        out[3 + i] = (char)('0' + rng_below(r, 10));
    out[12] = '\0';
}

static const char *const EMAIL_DOMAINS[] = {"example.ru", "example.com", "mail.example"};

/* Classes.  A school of at least 220 students (11 grades × 20) gets every grade 1–11: the number
 * of classes is the one nearest to students/25 (at least 11) that keeps the average class
 * between 20 and 30, spread evenly over the grades (the extra ones go to grades 10, 5, 1, 7, 11,
 * 2, 8, 3, 6, 9, 4 in that order), sizes jittered within 20–30.  A smaller school gets
 * ceil(students/25) classes in pairs from grade 5 up: 5А 5Б 6А 6Б … (30 students → 5А 5Б of
 * 15).  With more than 28 classes a grade (≈ 9,000 students) the classes grow past 30 rather
 * than running out of letters. */
static void build_classes(School *s)
{
    Rng r;
    rng_init(&r, s->seed, STREAM_CLASSES);
    int n = s->nstudents, c;
    if (n < SMALL_SCHOOL) {
        c = (n + 24) / 25;
        s->cls = xcalloc((size_t)c, sizeof *s->cls);
        for (int k = 0; k < c; k++) {
            s->cls[k].grade = 5 + k / 2;
            s->cls[k].letter = k % 2;
        }
    } else {
        int lo = (n + 29) / 30, hi = n / 20;
        c = (n + 12) / 25;
        if (c < 11)
            c = 11; /* every grade gets a class; 11 ≤ n / 20 here */
        if (c < lo)
            c = lo;
        if (c > hi)
            c = hi;
        if (c > 11 * NLETTERS)
            c = 11 * NLETTERS;
        s->cls = xcalloc((size_t)c, sizeof *s->cls);
        /* the classes beyond c / 11 a grade go to grades in this order, so that even the
         * default school of 300 has parallel classes and a stream in grade 10 */
        static const int EXTRA_ORDER[11] = {10, 5, 1, 7, 11, 2, 8, 3, 6, 9, 4};
        int k = 0;
        for (int g = 1; g <= 11; g++) {
            int in_grade = c / 11;
            for (int e = 0; e < c % 11; e++)
                in_grade += EXTRA_ORDER[e] == g;
            for (int l = 0; l < in_grade; l++, k++) {
                s->cls[k].grade = g;
                s->cls[k].letter = l;
            }
        }
    }
    s->ncls = c;
    int base = n / c;
    for (int k = 0; k < c; k++)
        s->cls[k].size = base + (k < n % c);
    if (n >= SMALL_SCHOOL) {
        int lo = base < 20 ? base : 20, hi = base + 1 > 30 ? base + 1 : 30;
        for (int k = 0; k < c; k++) {
            int j = rng_below(&r, c), d = rng_below(&r, 5);
            if (j != k && s->cls[k].size + d <= hi && s->cls[j].size - d >= lo) {
                s->cls[k].size += d;
                s->cls[j].size -= d;
            }
        }
    }
    int first = 0;
    for (int k = 0; k < c; k++) {
        Class *cl = &s->cls[k];
        cl->first = first;
        first += cl->size;
        cl->leader = -1;
        snprintf(cl->name, sizeof cl->name, "%d%s", cl->grade, LETTERS[cl->letter]);
    }
}

static int add_guardian(School *s, int f, int relation)
{
    Guardian *g = &s->gd[s->ngd];
    g->relation = relation;
    g->family = f;
    Family *fm = &s->fam[f];
    fm->guard[fm->ng++] = s->ngd;
    return s->ngd++;
}

/* The people of one family: its guardians and its (one or two) children already in fam->child. */
static void make_family(School *s, Rng *r, int f)
{
    Family *fm = &s->fam[f];
    const char *surname = PICK(r, SURNAMES);
    const char *dad = PICK(r, MALE); /* the children's father, listed or not */
    if (rng_chance(r, 30)) {
        /* опекун: one guardian with a different surname */
        int female = rng_chance(r, 700);
        const char *other;
        do
            other = PICK(r, SURNAMES);
        while (other == surname);
        Guardian *g = &s->gd[add_guardian(s, f, REL_GUARDIAN)];
        surname_for(other, female, g->last, sizeof g->last);
        snprintf(g->first, sizeof g->first, "%s", female ? PICK(r, FEMALE) : PICK(r, MALE));
        patronymic(PICK(r, MALE), female, g->middle, sizeof g->middle);
    } else {
        int mother = rng_chance(r, 950), father = rng_chance(r, 600);
        if (!mother && !father)
            mother = 1;
        if (mother) {
            Guardian *g = &s->gd[add_guardian(s, f, REL_MOTHER)];
            /* some mothers kept their own surname */
            const char *sur = father && rng_chance(r, 120) ? PICK(r, SURNAMES) : surname;
            surname_female(sur, g->last, sizeof g->last);
            snprintf(g->first, sizeof g->first, "%s", PICK(r, FEMALE));
            patronymic(PICK(r, MALE), 1, g->middle, sizeof g->middle);
        }
        if (father) {
            Guardian *g = &s->gd[add_guardian(s, f, REL_FATHER)];
            snprintf(g->last, sizeof g->last, "%s", surname);
            snprintf(g->first, sizeof g->first, "%s", dad);
            patronymic(PICK(r, MALE), 0, g->middle, sizeof g->middle);
        }
    }
    for (int i = 0; i < fm->nc; i++) {
        Student *st = &s->st[fm->child[i]];
        st->female = rng_below(r, 2);
        surname_for(surname, st->female, st->last, sizeof st->last);
        const char *first;
        do
            first = st->female ? PICK(r, FEMALE) : PICK(r, MALE);
        while (i > 0 && strcmp(first, s->st[fm->child[0]].first) == 0);
        snprintf(st->first, sizeof st->first, "%s", first);
        patronymic(dad, st->female, st->middle, sizeof st->middle);
        int by = s->year - 6 - s->cls[st->cls].grade;
        st->birth = date_from_yday(by, rng_below(r, is_leap(by) ? 366 : 365));
    }
}

static int cmp_student(const void *a, const void *b)
{
    const Student *x = a, *y = b;
    int c;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if ((c = strcmp(x->last, y->last)) != 0 || (c = strcmp(x->first, y->first)) != 0 ||
        (c = strcmp(x->middle, y->middle)) != 0)
        return c;
    return (x->orig > y->orig) - (x->orig < y->orig);
}

static void email_for(Rng *r, const char *a, const char *b, const char *sep, int n, char *out,
                      size_t cap)
{
    char ta[96], tb[96];
    translit(a, ta, sizeof ta);
    translit(b, tb, sizeof tb);
    const char *domain = PICK(r, EMAIL_DOMAINS);
    if (snprintf(out, cap, "%s.%s%s%d@%s", ta, tb, sep, n, domain) >= (int)cap)
        die(EXIT_SOFTWARE, "internal: e-mail address too long");
}

/* Students and their families.  Every student belongs to a family; about 8 % of families have a
 * second child in another grade.  A family has a mother (~95 %) and/or a father (~60 %), at least
 * one of them, or (~3 %) a single опекун with another surname.  Children carry the family surname
 * and the patronymic from the father's first name.  Students are then sorted by name inside each
 * class and numbered S00001… in class order; guardians are numbered P00001… in the order their
 * first child appears.  1 student per 100 (at least one in a school of 20 or more) has left in
 * October. */
static void build_people(School *s)
{
    Rng r, rc;
    rng_init(&r, s->seed, STREAM_PEOPLE);
    rng_init(&rc, s->seed, STREAM_CONTACTS);
    int n = s->nstudents;
    s->st = xcalloc((size_t)n, sizeof *s->st);
    s->fam = xcalloc((size_t)n, sizeof *s->fam);
    s->gd = xcalloc((size_t)n * 2, sizeof *s->gd);
    s->nst = n;
    for (int k = 0; k < s->ncls; k++)
        for (int i = s->cls[k].first; i < s->cls[k].first + s->cls[k].size; i++) {
            s->st[i].cls = k;
            s->st[i].family = -1;
            s->st[i].orig = i;
        }

    for (int i = 0; i < n; i++) {
        if (s->st[i].family >= 0)
            continue;
        int f = s->nfam++;
        Family *fm = &s->fam[f];
        fm->child[fm->nc++] = i;
        s->st[i].family = f;
        if (rng_chance(&r, 80))
            for (int tries = 0; tries < 32; tries++) {
                int j = rng_below(&r, n);
                if (s->st[j].family < 0 && s->cls[s->st[j].cls].grade != s->cls[s->st[i].cls].grade) {
                    fm->child[fm->nc++] = j;
                    s->st[j].family = f;
                    break;
                }
            }
        make_family(s, &r, f);
    }

    /* sort each class by name; renumber the families' children */
    qsort(s->st, (size_t)n, sizeof *s->st, cmp_student);
    int *new_of = xcalloc((size_t)n, sizeof *new_of);
    for (int i = 0; i < n; i++)
        new_of[s->st[i].orig] = i;
    for (int f = 0; f < s->nfam; f++) {
        Family *fm = &s->fam[f];
        for (int i = 0; i < fm->nc; i++)
            fm->child[i] = new_of[fm->child[i]];
        if (fm->nc == 2 && fm->child[0] > fm->child[1]) {
            int t = fm->child[0];
            fm->child[0] = fm->child[1];
            fm->child[1] = t;
        }
    }
    free(new_of);

    /* guardians in the order their first child appears */
    int *gid = xcalloc((size_t)s->ngd, sizeof *gid);
    for (int g = 0; g < s->ngd; g++)
        gid[g] = -1;
    int next = 0;
    for (int i = 0; i < n; i++) {
        Family *fm = &s->fam[s->st[i].family];
        for (int k = 0; k < fm->ng; k++)
            if (gid[fm->guard[k]] < 0)
                gid[fm->guard[k]] = next++;
    }
    Guardian *sorted = xcalloc((size_t)s->ngd, sizeof *sorted);
    for (int g = 0; g < s->ngd; g++)
        sorted[gid[g]] = s->gd[g];
    for (int f = 0; f < s->nfam; f++)
        for (int k = 0; k < s->fam[f].ng; k++)
            s->fam[f].guard[k] = gid[s->fam[f].guard[k]];
    free(s->gd);
    free(gid);
    s->gd = sorted;

    /* left in October: 1 per 100 students */
    int nleft = n / 100;
    if (nleft == 0 && n >= 20)
        nleft = 1;
    for (int done = 0; done < nleft;) {
        Student *st = &s->st[rng_below(&r, n)];
        if (!st->left_day) {
            st->left_day = 1 + rng_below(&r, 31);
            done++;
        }
    }

    /* contacts: ~40 % of students of grades 8–11 an e-mail, ~60 % of them a phone;
     * ~75 % of guardians an e-mail, ~95 % a phone */
    for (int i = 0; i < n; i++) {
        Student *st = &s->st[i];
        if (s->cls[st->cls].grade < 8)
            continue;
        if (rng_chance(&rc, 400))
            email_for(&rc, st->first, st->last, "", i + 1, st->email, sizeof st->email);
        if (rng_chance(&rc, 600))
            random_phone(&rc, st->phone);
    }
    for (int g = 0; g < s->ngd; g++) {
        Guardian *gd = &s->gd[g];
        if (rng_chance(&rc, 750))
            email_for(&rc, gd->last, gd->first, ".", g + 1, gd->email, sizeof gd->email);
        if (rng_chance(&rc, 950))
            random_phone(&rc, gd->phone);
    }
}

static int add_staff(School *s, Rng *r, int role)
{
    Staff *p = &s->sf[s->nsf];
    int female = rng_chance(r, 750);
    surname_for(PICK(r, SURNAMES), female, p->last, sizeof p->last);
    snprintf(p->first, sizeof p->first, "%s", female ? PICK(r, FEMALE) : PICK(r, MALE));
    patronymic(PICK(r, MALE), female, p->middle, sizeof p->middle);
    p->role = role;
    p->led_class = -1;
    random_phone(r, p->phone);
    return s->nsf++;
}

/* Staff and curriculum: T001 admin, T002 deputy, then one class leader per class (in class
 * order), then subject teachers bundle by bundle (BUNDLES), each bundle's classes cut in runs of
 * about CLASSES_PER_TEACHER classes; a teacher teaches every subject of the bundle that a class of
 * theirs has. */
static void build_staff(School *s)
{
    Rng r;
    rng_init(&r, s->seed, STREAM_STAFF);
    size_t cap = 2 + (size_t)s->ncls + (size_t)COUNT(BUNDLES) * ((size_t)s->ncls / CLASSES_PER_TEACHER + 2);
    s->sf = xcalloc(cap, sizeof *s->sf);
    s->teacher = xcalloc((size_t)s->ncls * NSUBJ, sizeof *s->teacher);
    for (int i = 0; i < s->ncls * NSUBJ; i++)
        s->teacher[i] = -1;

    add_staff(s, &r, ROLE_ADMIN);
    add_staff(s, &r, ROLE_DEPUTY);
    for (int k = 0; k < s->ncls; k++) {
        int t = add_staff(s, &r, ROLE_LEADER);
        s->sf[t].led_class = k;
        s->cls[k].leader = t;
    }
    int *in = xcalloc((size_t)s->ncls, sizeof *in);
    for (int b = 0; b < COUNT(BUNDLES); b++) {
        int m = 0;
        for (int k = 0; k < s->ncls; k++)
            if (s->cls[k].grade >= BUNDLES[b].from && s->cls[k].grade <= BUNDLES[b].to)
                in[m++] = k;
        if (m == 0)
            continue;
        int nt = (m + CLASSES_PER_TEACHER - 1) / CLASSES_PER_TEACHER;
        for (int t = 0; t < nt; t++) {
            int id = add_staff(s, &r, ROLE_TEACHER);
            for (int i = t * m / nt; i < (t + 1) * m / nt; i++)
                for (int j = 0; j < BUNDLES[b].n; j++) {
                    int subj = BUNDLES[b].subj[j];
                    if (grade_has(s->cls[in[i]].grade, subj)) {
                        s->teacher[in[i] * NSUBJ + subj] = id;
                        s->sf[id].subjects |= 1u << subj;
                    }
                }
        }
    }
    free(in);
}

static void add_member(School *s, int cls, const char *group, int subject, int student)
{
    if (s->nmem == s->capmem) {
        s->capmem = s->capmem ? s->capmem * 2 : 1024;
        s->mem = realloc(s->mem, (size_t)s->capmem * sizeof *s->mem);
        if (!s->mem)
            die(EXIT_SOFTWARE, "out of memory");
    }
    Member *m = &s->mem[s->nmem++];
    m->cls = cls;
    snprintf(m->group, sizeof m->group, "%s", group);
    m->subject = subject;
    m->student = student;
}

static void shuffle(Rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_below(r, i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Splits the listed students into "1 группа" (the first half, one more when odd) and
 * "2 группа", each written in student order. */
static void split_halves(School *s, int cls, int subject, int *ids, int n)
{
    int half = (n + 1) / 2;
    qsort(ids, (size_t)half, sizeof *ids, cmp_int);
    qsort(ids + half, (size_t)(n - half), sizeof *ids, cmp_int);
    for (int i = 0; i < half; i++)
        add_member(s, cls, "1 группа", subject, ids[i]);
    for (int i = half; i < n; i++)
        add_member(s, cls, "2 группа", subject, ids[i]);
}

/* Groups.  Per class of grades 5–11 Английский язык in two halves by the roster order; per class
 * of grades 7–11 Информатика in two random halves; per grade 10 and 11 with at least two classes
 * a stream (class empty) "Профиль физмат 10" / "… 11", subject Физика, with a third of each
 * class's active students; 2 or 3 ИУП (a group of one active student, "ИУП <surname>",
 * subject Математика — Алгебра when no class of grades 1–6 exists) in distinct classes,
 * preferring grades 5–6.  Rows: class by class (English, Informatics, ИУП), then the streams. */
static void build_groups(School *s)
{
    Rng r;
    rng_init(&r, s->seed, STREAM_GROUPS);
    int *ids = xcalloc((size_t)s->nst + 1, sizeof *ids);

    /* choose the ИУП classes and students first, so they can be written with their class */
    int *iup = xcalloc((size_t)s->ncls, sizeof *iup); /* student index + 1, 0 none */
    int *order = xcalloc((size_t)s->ncls, sizeof *order);
    int no = 0;
    for (int pass = 0; pass < 2; pass++) {
        int start = no;
        for (int k = 0; k < s->ncls; k++) {
            int g = s->cls[k].grade;
            if ((pass == 0) == (g == 5 || g == 6))
                order[no++] = k;
        }
        shuffle(&r, order + start, no - start);
    }
    int want = 2 + rng_below(&r, 2);
    for (int i = 0; i < no && want > 0; i++) {
        const Class *c = &s->cls[order[i]];
        int na = 0;
        for (int j = c->first; j < c->first + c->size; j++)
            if (!s->st[j].left_day)
                ids[na++] = j;
        if (na == 0)
            continue;
        iup[order[i]] = ids[rng_below(&r, na)] + 1;
        want--;
    }

    for (int k = 0; k < s->ncls; k++) {
        const Class *c = &s->cls[k];
        if (c->grade >= 5) {
            for (int i = 0; i < c->size; i++)
                ids[i] = c->first + i;
            split_halves(s, k, SUBJ_ENG, ids, c->size);
        }
        if (c->grade >= 7) {
            for (int i = 0; i < c->size; i++)
                ids[i] = c->first + i;
            shuffle(&r, ids, c->size);
            split_halves(s, k, SUBJ_INF, ids, c->size);
        }
        if (iup[k]) {
            const Student *st = &s->st[iup[k] - 1];
            char name[96];
            snprintf(name, sizeof name, "ИУП %s", st->last);
            add_member(s, k, name, grade_has(c->grade, SUBJ_MATH) ? SUBJ_MATH : SUBJ_ALG, iup[k] - 1);
        }
    }

    for (int g = 10; g <= 11; g++) {
        int nclasses = 0;
        for (int k = 0; k < s->ncls; k++)
            nclasses += s->cls[k].grade == g;
        if (nclasses < 2)
            continue;
        char name[64];
        snprintf(name, sizeof name, "Профиль физмат %d", g);
        int total = 0;
        for (int k = 0; k < s->ncls; k++) {
            const Class *c = &s->cls[k];
            if (c->grade != g)
                continue;
            int na = 0;
            for (int j = c->first; j < c->first + c->size; j++)
                if (!s->st[j].left_day)
                    ids[total + na++] = j;
            shuffle(&r, ids + total, na);
            int take = (na + 1) / 3;
            qsort(ids + total, (size_t)take, sizeof *ids, cmp_int);
            total += take;
        }
        for (int i = 0; i < total; i++)
            add_member(s, -1, name, SUBJ_PHYS, ids[i]);
    }
    free(order);
    free(iup);
    free(ids);
}

/* ===================================================================== 4. CSV */

typedef struct {
    int excel; /* cp1251, ';', CRLF, Russian headers and values */
    Rng rng;   /* for the sloppy typing of class names in excel mode */
    const char *dir;
} Out;

typedef struct {
    Out *out;
    char *buf;
    size_t len, cap;
    int nfield;
    FILE *f;        /* a streamed file (csv_stream), else NULL until csv_save */
    char tmp[4096]; /* its DIR/name.tmp */
} Csv;

/* A streamed file goes out whenever this much of whole rows is buffered. */
#define CSV_CHUNK ((size_t)4 << 20)

static void csv_flush(Csv *c);

static void buf_add(Csv *c, const char *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        while (c->len + n + 1 > c->cap)
            c->cap = c->cap ? c->cap * 2 : 65536;
        c->buf = realloc(c->buf, c->cap);
        if (!c->buf)
            die(EXIT_SOFTWARE, "out of memory");
    }
    memcpy(c->buf + c->len, s, n);
    c->len += n;
}

static void csv_field(Csv *c, const char *s)
{
    char sep = c->out->excel ? ';' : ',';
    if (c->nfield++)
        buf_add(c, &sep, 1);
    if (!s)
        s = "";
    if (!strchr(s, sep) && !strchr(s, '"') && !strchr(s, '\n') && !strchr(s, '\r')) {
        buf_add(c, s, strlen(s));
        return;
    }
    buf_add(c, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_add(c, "\"", 1);
        buf_add(c, p, 1);
    }
    buf_add(c, "\"", 1);
}

static void csv_fieldf(Csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void csv_fieldf(Csv *c, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    csv_field(c, tmp);
}

static void csv_end_row(Csv *c)
{
    if (c->out->excel)
        buf_add(c, "\r\n", 2);
    else
        buf_add(c, "\n", 1);
    c->nfield = 0;
    if (c->f && c->len >= CSV_CHUNK)
        csv_flush(c);
}

/* Starts a file with its header: canonical names, or the Russian ones in excel mode. */
static void csv_begin(Csv *c, Out *o, const char *en, const char *ru)
{
    memset(c, 0, sizeof *c);
    c->out = o;
    const char *h = o->excel ? ru : en;
    char sep = o->excel ? ';' : ',';
    /* headers are given '|'-separated so the excel ones need no quoting rules of their own */
    for (const char *p = h;;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (c->nfield++)
            buf_add(c, &sep, 1);
        buf_add(c, p, n);
        if (!e)
            break;
        p = e + 1;
    }
    csv_end_row(c);
}

static char *to_cp1251(const char *in, size_t len, size_t *outlen)
{
    iconv_t cd = iconv_open("CP1251", "UTF-8");
    if (cd == (iconv_t)-1)
        die(EXIT_UNAVAILABLE, "iconv cannot convert UTF-8 to CP1251: %s", strerror(errno));
    char *out = xcalloc(len + 1, 1);
    char *ip = (char *)in, *op = out;
    size_t il = len, ol = len;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        die(EXIT_SOFTWARE, "internal: text not representable in CP1251 at byte %zu", len - il);
    iconv_close(cd);
    *outlen = len - ol;
    return out;
}

static void csv_fail(Csv *c, const char *what, int e)
{
    if (c->f)
        fclose(c->f);
    remove(c->tmp);
    die(EXIT_IO, "%s: %s", what, strerror(e));
}

/* Opens DIR/name.tmp for the file. */
static void csv_open(Csv *c, const char *name)
{
    snprintf(c->tmp, sizeof c->tmp, "%s/%s.tmp", c->out->dir, name);
    c->f = fopen(c->tmp, "wb");
    if (!c->f)
        die(EXIT_IO, "%s: %s", c->tmp, strerror(errno));
}

/* Writes out the buffered rows (in excel mode converted to cp1251; the buffer always ends at a
 * row end, so no character is cut in two). */
static void csv_flush(Csv *c)
{
    const char *data = c->buf ? c->buf : "";
    size_t len = c->len;
    char *conv = NULL;
    if (c->out->excel) {
        conv = to_cp1251(data, len, &len);
        data = conv;
    }
    if (len && fwrite(data, 1, len, c->f) != len)
        csv_fail(c, c->tmp, errno);
    free(conv);
    c->len = 0;
}

/* A big file (marks …): its DIR/name.tmp is opened now and written in chunks of CSV_CHUNK, so
 * memory stays small whatever the school's size. */
static void csv_stream(Csv *c, const char *name) { csv_open(c, name); }

/* Writes the rest of the file to DIR/name.tmp, then renames it into place. */
static void csv_save(Csv *c, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", c->out->dir, name);
    if (!c->f)
        csv_open(c, name);
    csv_flush(c);
    if (fflush(c->f) != 0)
        csv_fail(c, c->tmp, errno);
    FILE *f = c->f;
    c->f = NULL;
    if (fclose(f) != 0)
        csv_fail(c, c->tmp, errno);
    if (rename(c->tmp, path) != 0)
        csv_fail(c, path, errno);
    free(c->buf);
    c->buf = NULL;
}

/* ---- values in either dialect ---- */

static void put_date(Csv *c, Date d)
{
    if (c->out->excel)
        csv_fieldf(c, "%02d.%02d.%04d", d.d, d.m, d.y);
    else
        csv_fieldf(c, "%04d-%02d-%02d", d.y, d.m, d.d);
}

static void put_phone(Csv *c, const char *p)
{
    if (!p[0] || !c->out->excel) {
        csv_field(c, p);
        return;
    }
    /* "+79123456789" → "8 (912) 345-67-89" */
    csv_fieldf(c, "8 (%.3s) %.3s-%.2s-%.2s", p + 2, p + 5, p + 8, p + 10);
}

/* A class name; in excel mode typed sloppily: a third "7a" (Latin a for А, a lowercase letter
 * otherwise), a third "7 А", the rest "7А". */
static void class_text(Out *o, const Class *cl, char *out, size_t cap)
{
    int how = o->excel ? rng_below(&o->rng, 3) : 2;
    if (how == 0)
        snprintf(out, cap, "%d%s", cl->grade, cl->letter == 0 ? "a" : LETTERS_LOWER[cl->letter]);
    else if (how == 1)
        snprintf(out, cap, "%d %s", cl->grade, LETTERS[cl->letter]);
    else
        snprintf(out, cap, "%s", cl->name);
}

static void put_class(Csv *c, const Class *cl)
{
    char t[16];
    class_text(c->out, cl, t, sizeof t);
    csv_field(c, t);
}

static void student_id(int i, char *out, size_t cap) { snprintf(out, cap, "S%05d", i + 1); }
static void guardian_id(int i, char *out, size_t cap) { snprintf(out, cap, "P%05d", i + 1); }
static void staff_id(int i, char *out, size_t cap) { snprintf(out, cap, "T%03d", i + 1); }

/* ---- one writer per file ---- */

static void write_students(const School *s, Out *o)
{
    Csv c;
    csv_begin(&c, o, "student_id|last_name|first_name|middle_name|birth_date|class|email|phone|status|left_on",
              "ид|фамилия|имя|отчество|дата рождения|класс|эл. почта|телефон|статус|дата выбытия");
    char id[16];
    for (int i = 0; i < s->nst; i++) {
        const Student *st = &s->st[i];
        student_id(i, id, sizeof id);
        csv_field(&c, id);
        csv_field(&c, st->last);
        csv_field(&c, st->first);
        csv_field(&c, st->middle);
        put_date(&c, st->birth);
        put_class(&c, &s->cls[st->cls]);
        csv_field(&c, st->email);
        put_phone(&c, st->phone);
        if (st->left_day) {
            csv_field(&c, o->excel ? "выбыл" : "left");
            put_date(&c, (Date){s->year, 10, st->left_day});
        } else {
            csv_field(&c, o->excel ? "обучается" : "active");
            csv_field(&c, "");
        }
        csv_end_row(&c);
    }
    csv_save(&c, "students.csv");
}

static void write_guardians(const School *s, Out *o)
{
    Csv c;
    csv_begin(&c, o, "guardian_id|student_id|last_name|first_name|middle_name|relation|email|phone",
              "ид родителя|ид ученика|фамилия|имя|отчество|кем приходится|эл. почта|телефон");
    char gid[16], sid[16];
    for (int g = 0; g < s->ngd; g++) {
        const Guardian *gd = &s->gd[g];
        const Family *fm = &s->fam[gd->family];
        guardian_id(g, gid, sizeof gid);
        for (int k = 0; k < fm->nc; k++) {
            student_id(fm->child[k], sid, sizeof sid);
            csv_field(&c, gid);
            csv_field(&c, sid);
            csv_field(&c, gd->last);
            csv_field(&c, gd->first);
            csv_field(&c, gd->middle);
            csv_field(&c, o->excel ? REL_RU[gd->relation] : REL_EN[gd->relation]);
            csv_field(&c, gd->email);
            put_phone(&c, gd->phone);
            csv_end_row(&c);
        }
    }
    csv_save(&c, "guardians.csv");
}

static void write_staff(const School *s, Out *o)
{
    Csv c;
    csv_begin(&c, o, "staff_id|last_name|first_name|middle_name|role|login|os_user|email|phone|classes|subjects",
              "ид|фамилия|имя|отчество|роль|логин|пользователь ОС|эл. почта|телефон|классы|предметы");
    char id[16], login[16], subjects[512], cls[16];
    for (int i = 0; i < s->nsf; i++) {
        const Staff *p = &s->sf[i];
        staff_id(i, id, sizeof id);
        if (p->role == ROLE_ADMIN)
            snprintf(login, sizeof login, "director");
        else if (p->role == ROLE_DEPUTY)
            snprintf(login, sizeof login, "deputy");
        else
            snprintf(login, sizeof login, "t%03d", i + 1);
        csv_field(&c, id);
        csv_field(&c, p->last);
        csv_field(&c, p->first);
        csv_field(&c, p->middle);
        csv_field(&c, ROLE_NAME[p->role]);
        csv_field(&c, login);
        csv_field(&c, "");
        csv_fieldf(&c, "t%03d@school.example", i + 1);
        put_phone(&c, p->phone);
        cls[0] = '\0';
        if (p->led_class >= 0)
            class_text(o, &s->cls[p->led_class], cls, sizeof cls);
        csv_field(&c, cls);
        subjects[0] = '\0';
        for (int j = 0; j < NSUBJ; j++)
            if (p->subjects & (1u << j)) {
                if (subjects[0])
                    append(subjects, sizeof subjects, ";", 1);
                append(subjects, sizeof subjects, SUBJECTS[j].name, strlen(SUBJECTS[j].name));
            }
        csv_field(&c, subjects);
        csv_end_row(&c);
    }
    csv_save(&c, "staff.csv");
}

static void write_groups(const School *s, Out *o)
{
    Csv c;
    csv_begin(&c, o, "class|group|subject|student_id", "класс|группа|предмет|ид ученика");
    char sid[16];
    for (int i = 0; i < s->nmem; i++) {
        const Member *m = &s->mem[i];
        if (m->cls >= 0)
            put_class(&c, &s->cls[m->cls]);
        else
            csv_field(&c, "");
        csv_field(&c, m->group);
        csv_field(&c, SUBJECTS[m->subject].name);
        student_id(m->student, sid, sizeof sid);
        csv_field(&c, sid);
        csv_end_row(&c);
    }
    csv_save(&c, "groups.csv");
}

static void write_periods(const School *s, Out *o)
{
    Period p[NPERIODS];
    school_periods(s->year, p);
    Csv c;
    csv_begin(&c, o, "name|start|end", "название|начало|конец");
    for (int i = 0; i < NPERIODS; i++) {
        csv_field(&c, p[i].name);
        put_date(&c, p[i].start);
        put_date(&c, p[i].end);
        csv_end_row(&c);
    }
    csv_save(&c, "periods.csv");
}

static void write_subjects(const School *s, Out *o)
{
    Csv c;
    csv_begin(&c, o, "class|subject|teacher_id", "класс|предмет|ид учителя");
    char tid[16];
    for (int k = 0; k < s->ncls; k++)
        for (int j = 0; j < NSUBJ; j++) {
            int t = s->teacher[k * NSUBJ + j];
            if (t < 0)
                continue;
            put_class(&c, &s->cls[k]);
            csv_field(&c, SUBJECTS[j].name);
            staff_id(t, tid, sizeof tid);
            csv_field(&c, tid);
            csv_end_row(&c);
        }
    csv_save(&c, "subjects.csv");
}

/* ===================================================================== 5. the journal (--journal) */

/* A year of journal data: the calendar and holidays, each class's weekly timetable, the changes
 * to it, every lesson held, the test schedule, and per student attendance, marks, the marks for
 * 1 четверть and teachers' recommendations.  build_journal() makes the calendar, the timetable,
 * the changes, the lessons and the tests; write_journal() writes those and then walks the
 * students, drawing attendance, marks, finals and recommendations straight into their files.
 * Each part has its own random stream. */

enum { WEEKDAYS = 5, MAX_LESSON_NO = 8 }; /* Monday–Friday; up to 7 lessons + one moved in */

/* The kinds of marks, their weights (the journal's usual ones) and how often each is given
 * outside a контрольная (per cent). */
enum { KIND_ANSWER, KIND_HOMEWORK, KIND_SELF, KIND_CHECK, KIND_TEST, NKINDS };
static const struct {
    const char *name;
    int weight, share;
} KINDS[NKINDS] = {
    [KIND_ANSWER] = {"ответ", 3, 35},
    [KIND_HOMEWORK] = {"дз", 1, 30},
    [KIND_SELF] = {"самостоятельная", 3, 20},
    [KIND_CHECK] = {"проверочная", 4, 15},
    [KIND_TEST] = {"контрольная", 5, 0},
};

/* Hours a week per subject: [0] grades 1–4, [1] grades 5–11.  A class's week is 5 days of 4–5
 * lessons (grades 1–4) or 6–7 (5–11); the drawn hours are nudged within these ranges to fit. */
static const struct {
    signed char lo, hi;
} HOURS[2][NSUBJ] = {
    {
        [SUBJ_RUS] = {4, 5}, [SUBJ_LITREAD] = {3, 4}, [SUBJ_MATH] = {4, 4}, [SUBJ_WORLD] = {2, 2},
        [SUBJ_ENG] = {2, 2}, [SUBJ_MUS] = {1, 1}, [SUBJ_ART] = {1, 1}, [SUBJ_TECH] = {1, 1},
        [SUBJ_PE] = {2, 3},
    },
    {
        [SUBJ_RUS] = {4, 5}, [SUBJ_LIT] = {2, 3}, [SUBJ_MATH] = {4, 5}, [SUBJ_ALG] = {3, 4},
        [SUBJ_GEOM] = {2, 3}, [SUBJ_ENG] = {2, 3}, [SUBJ_HIST] = {2, 3}, [SUBJ_SOC] = {1, 2},
        [SUBJ_GEOG] = {1, 2}, [SUBJ_BIO] = {1, 2}, [SUBJ_PHYS] = {2, 3}, [SUBJ_CHEM] = {2, 3},
        [SUBJ_INF] = {1, 2}, [SUBJ_OBZR] = {1, 1}, [SUBJ_MUS] = {1, 1}, [SUBJ_ART] = {1, 1},
        [SUBJ_TECH] = {1, 2}, [SUBJ_PE] = {2, 3},
    },
};

/* Subjects without a контрольная работа in the test schedule. */
static int has_tests(int subj)
{
    return subj != SUBJ_MUS && subj != SUBJ_ART && subj != SUBJ_TECH && subj != SUBJ_PE;
}

static const char *const CHANGE_KIND[] = {"substitution", "moved", "cancelled"};
enum { CH_SUBST, CH_MOVED, CH_CANCELLED };
static const char *const CHANGE_NOTES[3][3] = {
    {"болезнь учителя", "курсы повышения квалификации", "учитель на олимпиаде с учениками"},
    {"перенос по заявлению учителя", "экскурсия", "перенос: медосмотр класса"},
    {"карантин", "актированный день", "отмена по приказу директора"},
};

/* Teachers' recommendations, a few per subject. */
static const char *const RECOMMEND[NSUBJ][3] = {
    [SUBJ_RUS] = {"Повторить правописание безударных гласных", "Выучить словарные слова",
                  "Повторить правила постановки запятых"},
    [SUBJ_LITREAD] = {"Больше читать вслух дома", "Выучить стихотворение наизусть",
                      "Пересказать прочитанный рассказ"},
    [SUBJ_LIT] = {"Прочитать произведение полностью", "Подготовить план сочинения",
                  "Выучить стихотворение наизусть"},
    [SUBJ_MATH] = {"Повторить правила деления дробей", "Отработать таблицу умножения",
                   "Решить задачи на движение"},
    [SUBJ_ALG] = {"Повторить формулы сокращённого умножения", "Решить дополнительные уравнения",
                  "Повторить свойства степени"},
    [SUBJ_GEOM] = {"Выучить доказательства теорем", "Повторить признаки равенства треугольников",
                   "Решить задачи на построение"},
    [SUBJ_WORLD] = {"Повторить тему «Природные зоны»", "Подготовить рассказ о своём городе",
                    "Понаблюдать за погодой и заполнить дневник"},
    [SUBJ_ENG] = {"Выучить новые слова урока", "Повторить неправильные глаголы",
                  "Читать вслух по 10 минут в день"},
    [SUBJ_HIST] = {"Выучить даты по теме", "Повторить параграф и ответить на вопросы",
                   "Поработать с исторической картой"},
    [SUBJ_SOC] = {"Повторить основные понятия темы", "Подготовить сообщение по теме",
                  "Ответить письменно на вопросы после параграфа"},
    [SUBJ_GEOG] = {"Поработать с контурной картой", "Выучить номенклатуру по теме",
                   "Повторить параграф"},
    [SUBJ_BIO] = {"Повторить строение клетки", "Выучить термины темы", "Оформить лабораторную работу"},
    [SUBJ_PHYS] = {"Повторить формулы темы", "Решить задачи из сборника", "Оформить лабораторную работу"},
    [SUBJ_CHEM] = {"Выучить валентности элементов", "Отработать составление уравнений реакций",
                   "Повторить таблицу растворимости"},
    [SUBJ_INF] = {"Повторить системы счисления", "Доделать практическую работу",
                  "Потренироваться в составлении алгоритмов"},
    [SUBJ_OBZR] = {"Повторить правила оказания первой помощи", "Выучить сигналы оповещения",
                   "Повторить параграф"},
    [SUBJ_MUS] = {"Выучить слова песни", "Подготовить сообщение о композиторе", "Повторить тему урока"},
    [SUBJ_ART] = {"Закончить рисунок", "Принести материалы к уроку", "Доделать творческую работу"},
    [SUBJ_TECH] = {"Доделать практическую работу", "Принести материалы к уроку", "Повторить технику безопасности"},
    [SUBJ_PE] = {"Принести спортивную форму", "Отработать нормативы", "Заниматься утренней зарядкой"},
};

/* Days since 1970-01-01 (proleptic Gregorian), and back. */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static Date civil_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (Date){(int)(yoe + era * 400 + (m <= 2)), m, d};
}

static long days_of(Date d) { return days_from_civil(d.y, d.m, d.d); }

/* Каникулы: the school's holidays; `grade` 0 is every grade, else that grade only. */
enum { NHOLIDAYS = 5 };
typedef struct {
    const char *name;
    Date start, end;
    int grade;
} Holiday;

static void school_holidays(int y, Holiday h[NHOLIDAYS])
{
    const Holiday H[NHOLIDAYS] = {
        {"Осенние каникулы", {y, 10, 25}, {y, 11, 4}, 0},
        {"Зимние каникулы", {y, 12, 29}, {y + 1, 1, 11}, 0},
        {"Дополнительные каникулы для 1 классов", {y + 1, 2, 14}, {y + 1, 2, 22}, 1},
        {"Весенние каникулы", {y + 1, 3, 21}, {y + 1, 3, 29}, 0},
        {"Летние каникулы", {y + 1, 5, 27}, {y + 1, 8, 31}, 0},
    };
    memcpy(h, H, sizeof H);
}

/* The fixed federal days off that fall in a school year (no transfers are modelled). */
static int federal_day_off(Date d)
{
    return (d.m == 11 && d.d == 4) || (d.m == 1 && d.d <= 8) || (d.m == 2 && d.d == 23) ||
           (d.m == 3 && d.d == 8) || (d.m == 5 && (d.d == 1 || d.d == 9));
}

enum { OFF_ALL = 1, OFF_GRADE1 = 2 };

typedef struct {
    int cls, teacher;
    int topic;          /* the lesson's number in its course (class or group, subject), from 1 */
    short day;          /* calendar day index */
    signed char subj;
    signed char group;  /* 0: the whole class; 1, 2: "1 группа", "2 группа" */
    signed char no;     /* lesson_no */
    unsigned char test; /* the course's контрольная number, 0 none */
    unsigned char hw;   /* homework: exercise number, 0 none */
} Lesson;

typedef struct {
    int cls, day, no, kind, subj, teacher, new_day, new_no;
    const char *note;
} Change;

typedef struct {
    int cls, subj, day, num;
} Test;

typedef struct {
    const School *s;
    /* calendar: day 0 is 1 September Y, the last day the end of 4 четверть */
    int ndays;
    Date *date;
    unsigned char *wday; /* 1 Monday … 7 Sunday */
    unsigned char *off;  /* OFF_* bits */
    signed char *quarter; /* 0–3, -1 in holidays */
    char (*dtext)[2][11]; /* the date as YYYY-MM-DD and as DD.MM.YYYY */
    int qfirst[NQUARTERS], qend[NQUARTERS]; /* days [qfirst, qend) */
    /* timetable: [cls][weekday 0–4][slot] subject or -1, and lessons a day */
    signed char *tt;
    int *nlessons;        /* [cls * WEEKDAYS + weekday] */
    unsigned char *split; /* [cls * NSUBJ + subj]: bit 1 "1 группа" has members, bit 2 "2 группа" */
    unsigned char *sgroup; /* [student * NSUBJ + subj]: 0, 1 or 2 */
    Change *chg;
    int nchg, *chg_first; /* changes of class k: [chg_first[k], chg_first[k + 1]) */
    Lesson *les;
    int nles, capless;
    int *course;       /* lesson indices grouped by course, each in date order */
    int *course_first; /* course key → [course_first[key], course_first[key + 1]) */
    int *day_first;    /* [cls * (ndays + 1) + day]: the class's first lesson on that day */
    Test *test;
    int ntest;
    /* students */
    short *ability;      /* the mean mark × 100, 280–490 */
    signed char *offset; /* [student * NSUBJ + subj]: ± per subject, in hundredths */
    unsigned char *pe_exempt;
    char (*sid)[16];
    char (*tid)[16];
} Journal;

static int course_key(int cls, int subj, int group) { return (cls * NSUBJ + subj) * 3 + group; }

static int school_day(const Journal *j, int day, int grade)
{
    return !(j->off[day] & OFF_ALL) && !(grade == 1 && (j->off[day] & OFF_GRADE1));
}

static int day_index(const Journal *j, Date d) { return (int)(days_of(d) - days_of(j->date[0])); }

static void build_calendar(Journal *j)
{
    const School *s = j->s;
    Period p[NPERIODS];
    Holiday h[NHOLIDAYS];
    school_periods(s->year, p);
    school_holidays(s->year, h);
    long first = days_of(p[0].start), last = days_of(p[NQUARTERS - 1].end);
    j->ndays = (int)(last - first + 1);
    j->date = xcalloc((size_t)j->ndays, sizeof *j->date);
    j->wday = xcalloc((size_t)j->ndays, 1);
    j->off = xcalloc((size_t)j->ndays, 1);
    j->quarter = xcalloc((size_t)j->ndays, 1);
    j->dtext = xcalloc((size_t)j->ndays + 1, sizeof *j->dtext);
    for (int q = 0; q < NQUARTERS; q++) {
        j->qfirst[q] = (int)(days_of(p[q].start) - first);
        j->qend[q] = (int)(days_of(p[q].end) - first + 1);
    }
    for (int i = 0; i < j->ndays; i++) {
        long z = first + i;
        Date d = civil_from_days(z);
        j->date[i] = d;
        j->wday[i] = (unsigned char)((z % 7 + 7 + 3) % 7 + 1); /* 1970-01-01 was a Thursday */
        if (j->wday[i] > WEEKDAYS || federal_day_off(d))
            j->off[i] |= OFF_ALL;
        for (int k = 0; k < NHOLIDAYS; k++)
            if (z >= days_of(h[k].start) && z <= days_of(h[k].end))
                j->off[i] |= h[k].grade == 1 ? OFF_GRADE1 : OFF_ALL;
        j->quarter[i] = -1;
        for (int q = 0; q < NQUARTERS; q++)
            if (i >= j->qfirst[q] && i < j->qend[q])
                j->quarter[i] = (signed char)q;
        snprintf(j->dtext[i][0], sizeof j->dtext[i][0], "%04d-%02d-%02d", d.y, d.m, d.d);
        snprintf(j->dtext[i][1], sizeof j->dtext[i][1], "%02d.%02d.%04d", d.d, d.m, d.y);
    }
}

/* Who is in which half-class group: the "1 группа"/"2 группа" rows of groups.csv. */
static void build_split(Journal *j)
{
    const School *s = j->s;
    j->split = xcalloc((size_t)s->ncls * NSUBJ, 1);
    j->sgroup = xcalloc((size_t)s->nst * NSUBJ, 1);
    for (int i = 0; i < s->nmem; i++) {
        const Member *m = &s->mem[i];
        int g = !strcmp(m->group, "1 группа") ? 1 : !strcmp(m->group, "2 группа") ? 2 : 0;
        if (m->cls < 0 || !g)
            continue;
        j->split[m->cls * NSUBJ + m->subject] |= (unsigned char)(1 << g);
        j->sgroup[m->student * NSUBJ + m->subject] = (unsigned char)g;
    }
}

/* The weekly timetable of each class.  Hours per subject are drawn from HOURS, then nudged one
 * at a time (a random subject still inside its range) until the week has 5 × 4–5 lessons
 * (grades 1–4) or 5 × 6–7 (5–11).  Each lesson of a subject goes to the day with the fewest of
 * it so far and, among those, the most free room; then each day is shuffled. */
static void build_timetable(Journal *j, Rng *r)
{
    const School *s = j->s;
    j->tt = xcalloc((size_t)s->ncls * WEEKDAYS * MAX_LESSON_NO, 1);
    j->nlessons = xcalloc((size_t)s->ncls * WEEKDAYS, sizeof *j->nlessons);
    memset(j->tt, -1, (size_t)s->ncls * WEEKDAYS * MAX_LESSON_NO);
    for (int k = 0; k < s->ncls; k++) {
        int grade = s->cls[k].grade, band = grade >= 5;
        int lo_day = band ? 6 : 4;
        int hours[NSUBJ] = {0}, total = 0;
        for (int subj = 0; subj < NSUBJ; subj++)
            if (grade_has(grade, subj)) {
                hours[subj] = HOURS[band][subj].lo + rng_below(r, HOURS[band][subj].hi - HOURS[band][subj].lo + 1);
                total += hours[subj];
            }
        int want = total < 5 * lo_day ? 5 * lo_day : total > 5 * (lo_day + 1) ? 5 * (lo_day + 1) : total;
        while (total != want) {
            int cand[NSUBJ], n = 0, up = total < want;
            for (int subj = 0; subj < NSUBJ; subj++)
                if (hours[subj] && (up ? hours[subj] < HOURS[band][subj].hi : hours[subj] > HOURS[band][subj].lo))
                    cand[n++] = subj;
            if (n == 0)
                die(EXIT_SOFTWARE, "internal: cannot fit the week of %s", s->cls[k].name);
            hours[cand[rng_below(r, n)]] += up ? 1 : -1;
            total += up ? 1 : -1;
        }
        /* which days are the long ones */
        int order[WEEKDAYS] = {0, 1, 2, 3, 4}, cap[WEEKDAYS], count[WEEKDAYS][NSUBJ];
        shuffle(r, order, WEEKDAYS);
        for (int d = 0; d < WEEKDAYS; d++)
            cap[order[d]] = lo_day + (d < want - 5 * lo_day);
        for (int d = 0; d < WEEKDAYS; d++)
            j->nlessons[k * WEEKDAYS + d] = cap[d];
        memset(count, 0, sizeof count);
        int day_subj[WEEKDAYS][MAX_LESSON_NO], nd[WEEKDAYS] = {0};
        for (int h = 7; h >= 1; h--) /* subjects with the most hours first */
            for (int subj = 0; subj < NSUBJ; subj++) {
                if (hours[subj] != h)
                    continue;
                for (int l = 0; l < h; l++) {
                    int best = -1, tie = 0;
                    for (int d = 0; d < WEEKDAYS; d++) {
                        if (nd[d] == cap[d])
                            continue;
                        int better = best < 0 || count[d][subj] < count[best][subj] ||
                                     (count[d][subj] == count[best][subj] &&
                                      cap[d] - nd[d] > cap[best] - nd[best]);
                        int same = best >= 0 && count[d][subj] == count[best][subj] &&
                                   cap[d] - nd[d] == cap[best] - nd[best];
                        if (better) {
                            best = d;
                            tie = 1;
                        } else if (same && rng_below(r, ++tie) == 0) {
                            best = d;
                        }
                    }
                    day_subj[best][nd[best]++] = subj;
                    count[best][subj]++;
                }
            }
        for (int d = 0; d < WEEKDAYS; d++) {
            shuffle(r, day_subj[d], nd[d]);
            for (int l = 0; l < nd[d]; l++)
                j->tt[(k * WEEKDAYS + d) * MAX_LESSON_NO + l] = (signed char)day_subj[d][l];
        }
    }
}

static int tt_subject(const Journal *j, int cls, int weekday, int no)
{
    return j->tt[(cls * WEEKDAYS + weekday - 1) * MAX_LESSON_NO + no - 1];
}

static const Change *find_change(const Journal *j, int cls, int day, int no)
{
    for (int i = j->chg_first[cls]; i < j->chg_first[cls + 1]; i++)
        if (j->chg[i].day == day && j->chg[i].no == no)
            return &j->chg[i];
    return NULL;
}

static int cmp_change(const void *a, const void *b)
{
    const Change *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->no > y->no) - (x->no < y->no);
}

/* Замены и переносы: 2–4 per class per quarter, on a random lesson of the timetable: half
 * `substitution` (another teacher of the subject; `moved` when there is none), a quarter
 * `moved` (to an extra lesson after the last one, 1–5 school days later in the same quarter;
 * `cancelled` when that leaves the quarter) and a quarter `cancelled`. */
static void build_changes(Journal *j, Rng *r)
{
    const School *s = j->s;
    int cap = s->ncls * NQUARTERS * 4 + 1;
    j->chg = xcalloc((size_t)cap, sizeof *j->chg);
    j->chg_first = xcalloc((size_t)s->ncls + 1, sizeof *j->chg_first);
    int *days = xcalloc((size_t)j->ndays, sizeof *days);
    int *others = xcalloc((size_t)s->nsf, sizeof *others);
    for (int k = 0; k < s->ncls; k++) {
        int grade = s->cls[k].grade;
        j->chg_first[k] = j->nchg;
        for (int q = 0; q < NQUARTERS; q++) {
            int nd = 0;
            for (int d = j->qfirst[q]; d < j->qend[q]; d++)
                if (school_day(j, d, grade))
                    days[nd++] = d;
            int want = 2 + rng_below(r, 3);
            for (int tries = 0; want > 0 && nd > 0 && tries < 50; tries++) {
                int di = rng_below(r, nd), day = days[di], wd = j->wday[day];
                int no = 1 + rng_below(r, j->nlessons[k * WEEKDAYS + wd - 1]);
                int dup = 0;
                for (int i = j->chg_first[k]; i < j->nchg; i++)
                    dup |= (j->chg[i].day == day && j->chg[i].no == no);
                if (dup)
                    continue;
                Change *c = &j->chg[j->nchg];
                c->cls = k;
                c->day = day;
                c->no = no;
                c->subj = tt_subject(j, k, wd, no);
                c->teacher = s->teacher[k * NSUBJ + c->subj];
                c->new_day = c->new_no = -1;
                int roll = rng_below(r, 4);
                c->kind = roll < 2 ? CH_SUBST : roll == 2 ? CH_MOVED : CH_CANCELLED;
                if (c->kind == CH_SUBST) {
                    int n = 0;
                    for (int t = 0; t < s->nsf; t++)
                        if (t != c->teacher && (s->sf[t].subjects & (1u << c->subj)))
                            others[n++] = t;
                    if (n)
                        c->teacher = others[rng_below(r, n)];
                    else
                        c->kind = CH_MOVED;
                }
                if (c->kind == CH_MOVED) {
                    int later = di + 1 + rng_below(r, 5);
                    int moved_in = 0;
                    if (later < nd) {
                        c->new_day = days[later];
                        for (int i = j->chg_first[k]; i < j->nchg; i++)
                            moved_in += j->chg[i].kind == CH_MOVED && j->chg[i].new_day == c->new_day;
                        c->new_no = j->nlessons[k * WEEKDAYS + j->wday[c->new_day] - 1] + 1 + moved_in;
                    }
                    if (later >= nd || c->new_no > MAX_LESSON_NO) {
                        c->kind = CH_CANCELLED;
                        c->new_day = c->new_no = -1;
                    }
                }
                c->note = CHANGE_NOTES[c->kind][rng_below(r, 3)];
                j->nchg++;
                want--;
            }
        }
        qsort(j->chg + j->chg_first[k], (size_t)(j->nchg - j->chg_first[k]), sizeof *j->chg, cmp_change);
    }
    j->chg_first[s->ncls] = j->nchg;
    free(others);
    free(days);
}

static void add_lesson(Journal *j, int cls, int subj, int group, int day, int no, int teacher)
{
    if (j->nles == j->capless) {
        j->capless = j->capless ? j->capless * 2 : 65536;
        j->les = realloc(j->les, (size_t)j->capless * sizeof *j->les);
        if (!j->les)
            die(EXIT_SOFTWARE, "out of memory");
    }
    Lesson *l = &j->les[j->nles++];
    memset(l, 0, sizeof *l);
    l->cls = cls;
    l->subj = (signed char)subj;
    l->group = (signed char)group;
    l->day = (short)day;
    l->no = (signed char)no;
    l->teacher = teacher;
}

static int cmp_lesson(const void *a, const void *b)
{
    const Lesson *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->no != y->no)
        return x->no < y->no ? -1 : 1;
    return (x->group > y->group) - (x->group < y->group);
}

/* Every lesson held: the timetable on the class's school days, with the changes applied (a
 * cancelled lesson is not held, a moved one is held at its new date and number, a substituted
 * one by the substitute).  A subject split into groups has one lesson per group with members. */
static void build_lessons(Journal *j)
{
    const School *s = j->s;
    for (int k = 0; k < s->ncls; k++) {
        int grade = s->cls[k].grade;
        for (int day = 0; day < j->ndays; day++) {
            if (!school_day(j, day, grade))
                continue;
            int wd = j->wday[day];
            for (int no = 1; no <= j->nlessons[k * WEEKDAYS + wd - 1]; no++) {
                int subj = tt_subject(j, k, wd, no), teacher = s->teacher[k * NSUBJ + subj];
                int at_day = day, at_no = no;
                const Change *c = find_change(j, k, day, no);
                if (c && c->kind == CH_CANCELLED)
                    continue;
                if (c && c->kind == CH_MOVED) {
                    at_day = c->new_day;
                    at_no = c->new_no;
                }
                if (c && c->kind == CH_SUBST)
                    teacher = c->teacher;
                unsigned split = j->split[k * NSUBJ + subj];
                if (!split)
                    add_lesson(j, k, subj, 0, at_day, at_no, teacher);
                for (int g = 1; g <= 2; g++)
                    if (split & (1u << g))
                        add_lesson(j, k, subj, g, at_day, at_no, teacher);
            }
        }
    }
    qsort(j->les, (size_t)j->nles, sizeof *j->les, cmp_lesson);

    /* the lessons of each course in date order (a stable counting sort of the sorted lessons) */
    int nkeys = s->ncls * NSUBJ * 3;
    j->course_first = xcalloc((size_t)nkeys + 1, sizeof *j->course_first);
    j->course = xcalloc((size_t)j->nles + 1, sizeof *j->course);
    for (int i = 0; i < j->nles; i++)
        j->course_first[course_key(j->les[i].cls, j->les[i].subj, j->les[i].group) + 1]++;
    for (int key = 0; key < nkeys; key++)
        j->course_first[key + 1] += j->course_first[key];
    int *fill = xcalloc((size_t)nkeys, sizeof *fill);
    for (int i = 0; i < j->nles; i++) {
        int key = course_key(j->les[i].cls, j->les[i].subj, j->les[i].group);
        j->course[j->course_first[key] + fill[key]++] = i;
    }
    free(fill);

    /* each class's lessons of a day */
    int stride = j->ndays + 1;
    j->day_first = xcalloc((size_t)s->ncls * (size_t)stride + 1, sizeof *j->day_first);
    int i = 0;
    for (int k = 0; k < s->ncls; k++)
        for (int day = 0; day <= j->ndays; day++) {
            while (i < j->nles && (j->les[i].cls < k || (j->les[i].cls == k && j->les[i].day < day)))
                i++;
            j->day_first[k * stride + day] = i;
        }
    j->day_first[s->ncls * stride] = j->nles;
}

static int cmp_test(const void *a, const void *b)
{
    const Test *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->subj != y->subj)
        return x->subj < y->subj ? -1 : 1;
    return (x->day > y->day) - (x->day < y->day);
}

/* График контрольных: for each class of grades 2–11 and each subject but Музыка, ИЗО, Технология
 * and Физическая культура, 1–2 контрольные a quarter on one of the subject's lessons after the
 * quarter's first two weeks, at most one a day per class.  They are numbered per class and
 * subject in date order; their lessons get the topic "Контрольная работа № N". */
static void build_tests(Journal *j, Rng *r)
{
    const School *s = j->s;
    int stride = j->ndays + 1;
    j->test = xcalloc((size_t)s->ncls * NSUBJ * NQUARTERS * 2 + 1, sizeof *j->test);
    unsigned char *busy = xcalloc((size_t)j->ndays, 1);
    int *cand = xcalloc((size_t)j->nles + 1, sizeof *cand);
    for (int k = 0; k < s->ncls; k++) {
        if (s->cls[k].grade < 2)
            continue;
        memset(busy, 0, (size_t)j->ndays);
        for (int subj = 0; subj < NSUBJ; subj++) {
            if (!grade_has(s->cls[k].grade, subj) || !has_tests(subj))
                continue;
            unsigned split = j->split[k * NSUBJ + subj];
            int key = course_key(k, subj, split & 2 ? 1 : split & 4 ? 2 : 0);
            for (int q = 0; q < NQUARTERS; q++) {
                int n = 0;
                for (int i = j->course_first[key]; i < j->course_first[key + 1]; i++) {
                    const Lesson *l = &j->les[j->course[i]];
                    if (l->day >= j->qfirst[q] + 14 && l->day < j->qend[q])
                        cand[n++] = j->course[i];
                }
                int want = 1 + rng_below(r, 2);
                for (int tries = 0; want > 0 && n > 0 && tries < 20; tries++) {
                    const Lesson *l = &j->les[cand[rng_below(r, n)]];
                    if (busy[l->day])
                        continue;
                    busy[l->day] = 1;
                    j->test[j->ntest++] = (Test){k, subj, l->day, 0};
                    /* every group's lesson at that time is the контрольная */
                    for (int i = j->day_first[k * stride + l->day]; i < j->day_first[k * stride + l->day + 1]; i++)
                        if (j->les[i].subj == subj && j->les[i].no == l->no)
                            j->les[i].test = 1;
                    want--;
                }
            }
        }
    }
    qsort(j->test, (size_t)j->ntest, sizeof *j->test, cmp_test);
    for (int i = 0; i < j->ntest; i++)
        j->test[i].num = i > 0 && j->test[i - 1].cls == j->test[i].cls && j->test[i - 1].subj == j->test[i].subj
                             ? j->test[i - 1].num + 1
                             : 1;
    free(cand);
    free(busy);
}

/* Topics: each course's lessons are "Тема 1", "Тема 2" … in date order, a контрольная is
 * "Контрольная работа № N"; about 70 % of the other lessons set homework "§P, упр. E" where P
 * is half the topic number (two lessons a paragraph). */
static void build_topics(Journal *j, Rng *r)
{
    const School *s = j->s;
    for (int key = 0; key < s->ncls * NSUBJ * 3; key++) {
        int topic = 0, test = 0;
        for (int i = j->course_first[key]; i < j->course_first[key + 1]; i++) {
            Lesson *l = &j->les[j->course[i]];
            l->topic = ++topic;
            if (l->test) {
                l->test = (unsigned char)++test;
                continue;
            }
            if (rng_chance(r, 700))
                l->hw = (unsigned char)(1 + rng_below(r, 12));
        }
    }
}

/* Abilities: each student's mean mark (280–490 hundredths, triangular around 3.85), a ± 0.30
 * per subject, and about 1 student in 200 exempt from Физическая культура (final `осв`). */
static void build_abilities(Journal *j, Rng *r)
{
    const School *s = j->s;
    j->ability = xcalloc((size_t)s->nst, sizeof *j->ability);
    j->offset = xcalloc((size_t)s->nst * NSUBJ, 1);
    j->pe_exempt = xcalloc((size_t)s->nst, 1);
    for (int i = 0; i < s->nst; i++) {
        j->ability[i] = (short)(280 + (rng_below(r, 211) + rng_below(r, 211)) / 2);
        for (int subj = 0; subj < NSUBJ; subj++)
            j->offset[i * NSUBJ + subj] = (signed char)(rng_below(r, 61) - 30);
        j->pe_exempt[i] = (unsigned char)rng_chance(r, 5);
    }
}

static void build_journal(Journal *j, const School *s)
{
    memset(j, 0, sizeof *j);
    j->s = s;
    Rng r;
    build_calendar(j);
    build_split(j);
    rng_init(&r, s->seed, STREAM_TIMETABLE);
    build_timetable(j, &r);
    rng_init(&r, s->seed, STREAM_CHANGES);
    build_changes(j, &r);
    build_lessons(j);
    rng_init(&r, s->seed, STREAM_TESTS);
    build_tests(j, &r);
    rng_init(&r, s->seed, STREAM_LESSONS);
    build_topics(j, &r);
    rng_init(&r, s->seed, STREAM_ABILITY);
    build_abilities(j, &r);
    j->sid = xcalloc((size_t)s->nst, sizeof *j->sid);
    for (int i = 0; i < s->nst; i++)
        student_id(i, j->sid[i], sizeof j->sid[i]);
    j->tid = xcalloc((size_t)s->nsf, sizeof *j->tid);
    for (int i = 0; i < s->nsf; i++)
        staff_id(i, j->tid[i], sizeof j->tid[i]);
}

/* ---- writing the journal ---- */

/* A field that never needs quoting (ids, numbers, dates, fixed words). */
static void csv_plain(Csv *c, const char *s)
{
    char sep = c->out->excel ? ';' : ',';
    if (c->nfield++)
        buf_add(c, &sep, 1);
    buf_add(c, s, strlen(s));
}

static void csv_int(Csv *c, int v)
{
    char t[16];
    snprintf(t, sizeof t, "%d", v);
    csv_plain(c, t);
}

static void put_day(Csv *c, const Journal *j, int day) { csv_plain(c, j->dtext[day][c->out->excel]); }

static const char *group_name(int g) { return g == 1 ? "1 группа" : g == 2 ? "2 группа" : ""; }

static void write_schedule(const Journal *j, Out *o)
{
    const School *s = j->s;
    Period p[NPERIODS];
    school_periods(s->year, p);
    int nprimary = 0;
    for (int k = 0; k < s->ncls; k++)
        nprimary += s->cls[k].grade <= 4;
    Csv c;
    csv_begin(&c, o, "class|weekday|lesson_no|subject|teacher_id|room|valid_from|valid_to",
              "класс|день недели|номер урока|предмет|ид учителя|кабинет|действует с|действует по");
    for (int k = 0; k < s->ncls; k++)
        for (int wd = 1; wd <= WEEKDAYS; wd++)
            for (int no = 1; no <= j->nlessons[k * WEEKDAYS + wd - 1]; no++) {
                int subj = tt_subject(j, k, wd, no), t = s->teacher[k * NSUBJ + subj];
                put_class(&c, &s->cls[k]);
                csv_int(&c, wd);
                csv_int(&c, no);
                csv_field(&c, SUBJECTS[subj].name);
                csv_plain(&c, j->tid[t]);
                /* a primary class keeps its own room; subject teachers have theirs */
                if (subj == SUBJ_PE)
                    csv_field(&c, "спортзал");
                else if (s->cls[k].grade <= 4 && (s->sf[t].subjects & (1u << SUBJ_LITREAD)))
                    csv_fieldf(&c, "каб. %d", 1 + k);
                else
                    csv_fieldf(&c, "каб. %d", nprimary + 1 + t - (2 + s->ncls));
                put_date(&c, p[NPERIODS - 1].start);
                put_date(&c, p[NPERIODS - 1].end);
                csv_end_row(&c);
            }
    csv_save(&c, "schedule.csv");
}

static void write_holidays(const Journal *j, Out *o)
{
    Holiday h[NHOLIDAYS];
    school_holidays(j->s->year, h);
    Csv c;
    csv_begin(&c, o, "name|start|end|grades", "название|начало|конец|параллели");
    for (int i = 0; i < NHOLIDAYS; i++) {
        csv_field(&c, h[i].name);
        put_date(&c, h[i].start);
        put_date(&c, h[i].end);
        if (h[i].grade)
            csv_int(&c, h[i].grade);
        else
            csv_plain(&c, "");
        csv_end_row(&c);
    }
    csv_save(&c, "holidays.csv");
}

static void write_lessons(const Journal *j, Out *o)
{
    const School *s = j->s;
    Csv c;
    csv_begin(&c, o, "class|group|subject|date|lesson_no|teacher_id|topic|homework",
              "класс|группа|предмет|дата|номер урока|ид учителя|тема|домашнее задание");
    csv_stream(&c, "lessons.csv");
    char t[64];
    for (int i = 0; i < j->nles; i++) {
        const Lesson *l = &j->les[i];
        put_class(&c, &s->cls[l->cls]);
        csv_plain(&c, group_name(l->group));
        csv_plain(&c, SUBJECTS[l->subj].name);
        put_day(&c, j, l->day);
        csv_int(&c, l->no);
        csv_plain(&c, j->tid[l->teacher]);
        if (l->test)
            snprintf(t, sizeof t, "Контрольная работа № %d", l->test);
        else
            snprintf(t, sizeof t, "Тема %d", l->topic);
        csv_field(&c, t);
        if (l->hw) {
            snprintf(t, sizeof t, "§%d, упр. %d", (l->topic + 1) / 2, l->hw);
            csv_field(&c, t);
        } else {
            csv_plain(&c, "");
        }
        csv_end_row(&c);
    }
    csv_save(&c, "lessons.csv");
}

static void write_changes(const Journal *j, Out *o)
{
    const School *s = j->s;
    Csv c;
    csv_begin(&c, o, "date|class|lesson_no|kind|subject|teacher_id|new_date|new_lesson_no|note",
              "дата|класс|номер урока|вид|предмет|ид учителя|новая дата|новый номер урока|примечание");
    for (int i = 0; i < j->nchg; i++) {
        const Change *ch = &j->chg[i];
        put_day(&c, j, ch->day);
        put_class(&c, &s->cls[ch->cls]);
        csv_int(&c, ch->no);
        csv_plain(&c, CHANGE_KIND[ch->kind]);
        csv_field(&c, SUBJECTS[ch->subj].name);
        csv_plain(&c, j->tid[ch->teacher]);
        if (ch->kind == CH_MOVED) {
            put_day(&c, j, ch->new_day);
            csv_int(&c, ch->new_no);
        } else {
            csv_plain(&c, "");
            csv_plain(&c, "");
        }
        csv_field(&c, ch->note);
        csv_end_row(&c);
    }
    csv_save(&c, "changes.csv");
}

static int cmp_test_by_date(const void *a, const void *b)
{
    const Test *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->subj > y->subj) - (x->subj < y->subj);
}

static void write_tests(const Journal *j, Out *o)
{
    const School *s = j->s;
    Test *t = xcalloc((size_t)j->ntest + 1, sizeof *t);
    memcpy(t, j->test, (size_t)j->ntest * sizeof *t);
    qsort(t, (size_t)j->ntest, sizeof *t, cmp_test_by_date);
    Csv c;
    csv_begin(&c, o, "class|subject|date|topic", "класс|предмет|дата|тема");
    for (int i = 0; i < j->ntest; i++) {
        put_class(&c, &s->cls[t[i].cls]);
        csv_field(&c, SUBJECTS[t[i].subj].name);
        put_day(&c, j, t[i].day);
        csv_fieldf(&c, "Контрольная работа № %d", t[i].num);
        csv_end_row(&c);
    }
    csv_save(&c, "tests.csv");
    free(t);
}

/* A mark around the student's ability in the subject: the mean plus a noise of about ± 0.6
 * (three uniform draws), a ДЗ 0.2 better and a контрольная 0.2 worse, rounded and kept in
 * 2–5; a «2» is a «1» one time in 50. */
static int draw_mark(Rng *r, int mean, int kind)
{
    int v = mean + rng_below(r, 121) + rng_below(r, 121) + rng_below(r, 121) - 180;
    if (kind == KIND_HOMEWORK)
        v += 20;
    if (kind == KIND_TEST)
        v -= 20;
    v = (v + 50) / 100;
    if (v < 2)
        v = 2;
    if (v > 5)
        v = 5;
    if (v == 2 && rng_chance(r, 20))
        v = 1;
    return v;
}

static int draw_kind(Rng *r, unsigned used)
{
    for (;;) {
        int x = rng_below(r, 100), k = 0;
        while (x >= KINDS[k].share)
            x -= KINDS[k++].share;
        if (!(used & (1u << k)))
            return k;
    }
}

/* The period mark from a weighted average Σvw / Σw, by the thresholds 2.5 / 3.5 / 4.5. */
static int period_mark(long sum_vw, long sum_w)
{
    if (2 * sum_vw >= 9 * sum_w)
        return 5;
    if (2 * sum_vw >= 7 * sum_w)
        return 4;
    if (2 * sum_vw >= 5 * sum_w)
        return 3;
    return 2;
}

enum { ABS_NONE, ABS_ILL, ABS_EXCUSED, ABS_EXCUSED_P, ABS_LESSON, LATE_LESSON };
static const char *const ABS_CODE[] = {"", "б", "у", "п", "н", "о"};

typedef struct {
    Csv att, marks, finals, recs;
    Rng ra, rm, rr;
    unsigned char *day_abs; /* [day]: ABS_* for a whole day */
    unsigned char *les_abs; /* [lesson]: ABS_LESSON or LATE_LESSON for this student */
    int *sdays;             /* the student's school days with lessons */
    int *mine;              /* scratch: lesson indices */
} Walk;

/* Is lesson l one the student attends (their class's, and their group's when split)? */
static int student_has(const Journal *j, int st, const Lesson *l)
{
    return l->group == 0 || j->sgroup[st * NSUBJ + l->subj] == l->group;
}

/* Attendance of one student, days before `end`: 0–3 illnesses (`б`, runs of 3–7 school days,
 * one row a day), 0–3 excused days (`у`, one in five written `п`), and per lesson attended
 * 0.6 % `н` and 1 % `о` (late), rows with lesson_no and subject. */
static void walk_attendance(const Journal *j, Walk *w, int st, int end)
{
    const School *s = j->s;
    int k = s->st[st].cls, stride = j->ndays + 1, nsd = 0;
    for (int day = 0; day < end; day++)
        if (j->day_first[k * stride + day] < j->day_first[k * stride + day + 1])
            w->sdays[nsd++] = day;
    if (nsd == 0)
        return;
    static const int ILL_PERMILLE[] = {300, 400, 220, 80}; /* 0, 1, 2, 3 illnesses */
    int x = rng_below(&w->ra, 1000), ill = 0;
    while (ill < 3 && x >= ILL_PERMILLE[ill])
        x -= ILL_PERMILLE[ill++];
    for (int e = 0; e < ill; e++) {
        int from = rng_below(&w->ra, nsd), len = 3 + rng_below(&w->ra, 5);
        for (int d = from; d < nsd && d < from + len && !w->day_abs[w->sdays[d]]; d++)
            w->day_abs[w->sdays[d]] = ABS_ILL;
    }
    int excused = rng_below(&w->ra, 4);
    for (int e = 0; e < excused; e++) {
        int day = w->sdays[rng_below(&w->ra, nsd)];
        if (!w->day_abs[day])
            w->day_abs[day] = rng_chance(&w->ra, 200) ? ABS_EXCUSED_P : ABS_EXCUSED;
    }
    for (int d = 0; d < nsd; d++) {
        int day = w->sdays[d];
        if (w->day_abs[day]) {
            csv_plain(&w->att, j->sid[st]);
            put_day(&w->att, j, day);
            csv_plain(&w->att, ABS_CODE[w->day_abs[day]]);
            csv_plain(&w->att, "");
            csv_plain(&w->att, "");
            csv_end_row(&w->att);
            continue;
        }
        for (int i = j->day_first[k * stride + day]; i < j->day_first[k * stride + day + 1]; i++) {
            const Lesson *l = &j->les[i];
            if (!student_has(j, st, l))
                continue;
            int roll = rng_below(&w->ra, 1000);
            if (roll >= 16)
                continue;
            w->les_abs[i] = roll < 6 ? ABS_LESSON : LATE_LESSON;
            csv_plain(&w->att, j->sid[st]);
            put_day(&w->att, j, day);
            csv_plain(&w->att, ABS_CODE[w->les_abs[i]]);
            csv_int(&w->att, l->no);
            csv_plain(&w->att, SUBJECTS[l->subj].name);
            csv_end_row(&w->att);
        }
    }
}

/* Marks of one student in one subject, lessons before `end` the student attended: on a
 * контрольная lesson a `контрольная` mark; on other lessons about (42 ± 4 − tests) / (the
 * course's other lessons) marks each, of distinct kinds; one pair in 100 gets at most 2 marks
 * in 1 четверть (and so `н/а`).  Returns the 1 четверть sums for the final mark. */
static void walk_marks(const Journal *j, Walk *w, int st, int subj, int end, long *q1_vw, long *q1_w,
                       int *q1_n)
{
    const School *s = j->s;
    int k = s->st[st].cls, g = j->sgroup[st * NSUBJ + subj];
    int key = course_key(k, subj, j->split[k * NSUBJ + subj] ? g : 0);
    int first = j->course_first[key], last = j->course_first[key + 1];
    int nyear = last - first, ntests = 0;
    for (int i = first; i < last; i++)
        ntests += j->les[j->course[i]].test != 0;
    int want = 38 + rng_below(&w->rm, 9);
    int per1000 = nyear > ntests ? (want - ntests) * 1000 / (nyear - ntests) : 0;
    int q1_cap = rng_chance(&w->rm, 10) ? rng_below(&w->rm, 3) : 1000;
    int mean = j->ability[st] + j->offset[st * NSUBJ + subj];
    for (int i = first; i < last; i++) {
        const Lesson *l = &j->les[j->course[i]];
        if (l->day >= end)
            break;
        int n = l->test ? 1 : per1000 / 1000 + rng_chance(&w->rm, per1000 % 1000);
        if (n > 3)
            n = 3;
        if (w->day_abs[l->day] || w->les_abs[j->course[i]] == ABS_LESSON)
            continue;
        unsigned used = 0;
        for (int m = 0; m < n; m++) {
            if (j->quarter[l->day] == 0 && *q1_n >= q1_cap)
                break;
            int kind = l->test ? KIND_TEST : draw_kind(&w->rm, used);
            used |= 1u << kind;
            int v = draw_mark(&w->rm, mean, kind);
            csv_plain(&w->marks, j->sid[st]);
            csv_plain(&w->marks, SUBJECTS[subj].name);
            put_day(&w->marks, j, l->day);
            csv_int(&w->marks, v);
            csv_int(&w->marks, KINDS[kind].weight);
            csv_plain(&w->marks, KINDS[kind].name);
            csv_int(&w->marks, l->no);
            csv_plain(&w->marks, j->tid[l->teacher]);
            csv_end_row(&w->marks);
            if (j->quarter[l->day] == 0) {
                *q1_vw += (long)v * KINDS[kind].weight;
                *q1_w += KINDS[kind].weight;
                (*q1_n)++;
            }
        }
    }
}

static void put_final(const Journal *j, Walk *w, int st, int subj, const char *value)
{
    csv_plain(&w->finals, j->sid[st]);
    csv_plain(&w->finals, SUBJECTS[subj].name);
    csv_plain(&w->finals, "1 четверть");
    csv_plain(&w->finals, value);
    csv_end_row(&w->finals);
}

/* Recommendations of one student (grades 2–11): a weaker one (ability under 3.5) gets one a
 * quarter (one in four a second, in another subject), the others one in 25 a quarter; the
 * subject is the weakest of three drawn, the date one of its lessons in the quarter, before
 * `end`, and the teacher that lesson's. */
static void walk_recommendations(const Journal *j, Walk *w, int st, int end)
{
    const School *s = j->s;
    int k = s->st[st].cls, grade = s->cls[k].grade;
    int subjects[NSUBJ], ns = 0;
    for (int subj = 0; subj < NSUBJ; subj++)
        if (grade_has(grade, subj))
            subjects[ns++] = subj;
    for (int q = 0; q < NQUARTERS; q++) {
        int n = j->ability[st] < 350 ? 1 + rng_chance(&w->rr, 250) : rng_chance(&w->rr, 40);
        int done_subj = -1, done_day = -1;
        for (int e = 0; e < n; e++) {
            int subj = -1;
            for (int t = 0; t < 3; t++) {
                int c = subjects[rng_below(&w->rr, ns)];
                if (c != done_subj && (subj < 0 || j->offset[st * NSUBJ + c] < j->offset[st * NSUBJ + subj]))
                    subj = c;
            }
            if (subj < 0)
                continue;
            int g = j->split[k * NSUBJ + subj] ? j->sgroup[st * NSUBJ + subj] : 0;
            int key = course_key(k, subj, g), nl = 0;
            for (int i = j->course_first[key]; i < j->course_first[key + 1]; i++) {
                const Lesson *l = &j->les[j->course[i]];
                if (l->day >= j->qfirst[q] && l->day < j->qend[q] && l->day < end)
                    w->mine[nl++] = j->course[i];
            }
            if (nl == 0)
                continue;
            const Lesson *l = &j->les[w->mine[rng_below(&w->rr, nl)]];
            if (l->day == done_day)
                continue;
            csv_plain(&w->recs, j->sid[st]);
            put_day(&w->recs, j, l->day);
            csv_field(&w->recs, RECOMMEND[subj][rng_below(&w->rr, 3)]);
            csv_plain(&w->recs, j->tid[l->teacher]);
            csv_plain(&w->recs, SUBJECTS[subj].name);
            csv_end_row(&w->recs);
            done_subj = subj;
            done_day = l->day;
        }
    }
}

/* Attendance, marks, finals and recommendations, student by student.  A student who left has
 * none of them from left_on on, and no final mark if they left before 1 четверть ended. */
static void write_students_journal(const Journal *j, Out *o)
{
    const School *s = j->s;
    Walk w;
    memset(&w, 0, sizeof w);
    csv_begin(&w.att, o, "student_id|date|code|lesson_no|subject", "ид ученика|дата|код|номер урока|предмет");
    csv_begin(&w.marks, o, "student_id|subject|date|value|weight|kind|lesson_no|teacher_id",
              "ид ученика|предмет|дата|отметка|вес|вид работы|номер урока|ид учителя");
    csv_begin(&w.finals, o, "student_id|subject|period|value", "ид ученика|предмет|период|отметка");
    csv_begin(&w.recs, o, "student_id|date|text|teacher_id|subject", "ид ученика|дата|текст|ид учителя|предмет");
    csv_stream(&w.att, "attendance.csv");
    csv_stream(&w.marks, "marks.csv");
    csv_stream(&w.finals, "finals.csv");
    csv_stream(&w.recs, "recommendations.csv");
    rng_init(&w.ra, s->seed, STREAM_ATTENDANCE);
    rng_init(&w.rm, s->seed, STREAM_MARKS);
    rng_init(&w.rr, s->seed, STREAM_RECOMMEND);
    w.day_abs = xcalloc((size_t)j->ndays, 1);
    w.les_abs = xcalloc((size_t)j->nles + 1, 1);
    w.sdays = xcalloc((size_t)j->ndays, sizeof *w.sdays);
    w.mine = xcalloc((size_t)j->nles + 1, sizeof *w.mine);
    int stride = j->ndays + 1;
    for (int st = 0; st < s->nst; st++) {
        const Student *p = &s->st[st];
        int k = p->cls, grade = s->cls[k].grade;
        int end = p->left_day ? day_index(j, (Date){s->year, 10, p->left_day}) : j->ndays;
        walk_attendance(j, &w, st, end);
        if (grade >= 2) {
            int final = !p->left_day || end >= j->qend[0];
            for (int subj = 0; subj < NSUBJ; subj++) {
                if (!grade_has(grade, subj))
                    continue;
                if (subj == SUBJ_PE && j->pe_exempt[st]) {
                    if (final)
                        put_final(j, &w, st, subj, "осв");
                    continue;
                }
                long vw = 0, wsum = 0;
                int n = 0;
                walk_marks(j, &w, st, subj, end, &vw, &wsum, &n);
                if (!final)
                    continue;
                char v[8];
                if (n < 3)
                    snprintf(v, sizeof v, "н/а");
                else
                    snprintf(v, sizeof v, "%d", period_mark(vw, wsum));
                put_final(j, &w, st, subj, v);
            }
            walk_recommendations(j, &w, st, end);
        }
        /* clear this student's marks in the scratch arrays */
        memset(w.day_abs, 0, (size_t)j->ndays);
        for (int i = j->day_first[k * stride]; i < j->day_first[k * stride + j->ndays]; i++)
            w.les_abs[i] = 0;
    }
    csv_save(&w.att, "attendance.csv");
    csv_save(&w.marks, "marks.csv");
    csv_save(&w.finals, "finals.csv");
    csv_save(&w.recs, "recommendations.csv");
    free(w.day_abs);
    free(w.les_abs);
    free(w.sdays);
    free(w.mine);
}

static void write_journal(const Journal *j, Out *o)
{
    rng_init(&o->rng, j->s->seed, STREAM_EXCEL_JOURNAL);
    write_schedule(j, o);
    write_holidays(j, o);
    write_lessons(j, o);
    write_changes(j, o);
    write_tests(j, o);
    write_students_journal(j, o);
}

/* ===================================================================== 6. options, main */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s [--seed N] [--students N] [--year YYYY] [--excel] [--journal] --out DIR\n"
            "  --seed N       random seed (default 1); same seed and options, same bytes\n"
            "  --students N   students in the school, 1..%d (default 300)\n"
            "  --year YYYY    school year starting 1 September YYYY (default 2026)\n"
            "  --excel        write CSV as Excel on a Russian Windows saves it (cp1251, ';', CRLF,\n"
            "                 Russian headers and values, DD.MM.YYYY, sloppy class names)\n"
            "  --journal      also write a school year of journal data (the files below)\n"
            "  --out DIR      output directory (created if missing)\n"
            "Writes students.csv guardians.csv staff.csv groups.csv periods.csv subjects.csv;\n"
            "with --journal also schedule.csv holidays.csv lessons.csv changes.csv tests.csv\n"
            "attendance.csv marks.csv finals.csv recommendations.csv.\n",
            prog, MAX_STUDENTS);
}

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    exit(EXIT_USAGE);
}

static unsigned long long parse_number(const char *opt, const char *v, unsigned long long lo,
                                       unsigned long long hi)
{
    if (!v)
        usage_error("%s needs a value", opt);
    if (*v < '0' || *v > '9')
        usage_error("not a number: %s", v);
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end || n < lo || n > hi)
        usage_error("value out of range or not a number: %s", v);
    return n;
}

/* mkdir -p */
static void make_dirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        die(EXIT_IO, "%s: path too long", dir);
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                die(EXIT_IO, "%s: %s", path, strerror(errno));
            *p = saved;
            if (!saved)
                break;
        }
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        die(EXIT_IO, "%s: not a directory", dir);
}

int main(int argc, char **argv)
{
    School s = {.seed = 1, .year = 2026, .nstudents = 300};
    Out o = {0};
    const char *dir = NULL;
    int journal = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        char opt[32];
        const char *eq = strchr(a, '=');
        if (strncmp(a, "--", 2) == 0 && eq && (size_t)(eq - a) < sizeof opt) {
            memcpy(opt, a, (size_t)(eq - a));
            opt[eq - a] = '\0';
            v = eq + 1;
            a = opt;
        }
        int takes = !strcmp(a, "--seed") || !strcmp(a, "--students") || !strcmp(a, "--year") ||
                    !strcmp(a, "--out");
        if (takes && !v)
            v = i + 1 < argc ? argv[++i] : NULL;
        if (!takes && v)
            usage_error("option takes no value: %s", argv[i]);

        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--seed")) {
            s.seed = parse_number(a, v, 0, UINT64_MAX);
        } else if (!strcmp(a, "--students")) {
            s.nstudents = (int)parse_number(a, v, 1, MAX_STUDENTS);
        } else if (!strcmp(a, "--year")) {
            s.year = (int)parse_number(a, v, 1900, 9000);
        } else if (!strcmp(a, "--excel")) {
            o.excel = 1;
        } else if (!strcmp(a, "--journal")) {
            journal = 1;
        } else if (!strcmp(a, "--out")) {
            if (!v || !*v)
                usage_error("%s needs a directory", "--out");
            dir = v;
        } else {
            usage_error("unknown argument: %s", argv[i]);
        }
    }
    if (!dir)
        usage_error("%s DIR is required", "--out");

    build_classes(&s);
    build_people(&s);
    build_staff(&s);
    build_groups(&s);

    make_dirs(dir);
    o.dir = dir;
    rng_init(&o.rng, s.seed, STREAM_EXCEL);
    write_students(&s, &o);
    write_guardians(&s, &o);
    write_staff(&s, &o);
    write_groups(&s, &o);
    write_periods(&s, &o);
    write_subjects(&s, &o);
    if (journal) {
        Journal j;
        build_journal(&j, &s);
        write_journal(&j, &o);
    }
    return 0;
}
