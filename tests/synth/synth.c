/* portal-synth — a deterministic synthetic school for portal's tests, demo and benchmarks.
 *
 *   portal-synth [--seed N] [--students N] [--year YYYY] [--excel] --out DIR
 *
 * Writes students.csv, guardians.csv, staff.csv, groups.csv, periods.csv and subjects.csv
 * (SPEC section 4 columns) into DIR.  Every person is synthetic: names are random combinations
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
 *   5. options and main
 *
 * To add a file (marks, attendance …): give it a stream id in enum stream, a build_X() that fills
 * the model from its own stream, and a write_X() that uses csv_*(); then call both from main. */
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
} Csv;

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

/* Writes the file as DIR/name.tmp, then renames it into place. */
static void csv_save(Csv *c, const char *name)
{
    const char *dir = c->out->dir;
    char path[4096], tmp[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", dir, name);
    const char *data = c->buf ? c->buf : "";
    size_t len = c->len;
    char *conv = NULL;
    if (c->out->excel) {
        conv = to_cp1251(data, len, &len);
        data = conv;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f)
        die(EXIT_IO, "%s: %s", tmp, strerror(errno));
    if ((len && fwrite(data, 1, len, f) != len) || fflush(f) != 0) {
        int e = errno;
        fclose(f);
        remove(tmp);
        die(EXIT_IO, "%s: %s", tmp, strerror(e));
    }
    if (fclose(f) != 0) {
        int e = errno;
        remove(tmp);
        die(EXIT_IO, "%s: %s", tmp, strerror(e));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        die(EXIT_IO, "%s: %s", path, strerror(e));
    }
    free(conv);
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
    const int y = s->year;
    const struct {
        const char *name;
        Date start, end;
    } P[] = {
        {"1 четверть", {y, 9, 1}, {y, 10, 24}},
        {"2 четверть", {y, 11, 5}, {y, 12, 28}},
        {"3 четверть", {y + 1, 1, 12}, {y + 1, 3, 20}},
        {"4 четверть", {y + 1, 3, 30}, {y + 1, 5, 26}},
        {"год", {y, 9, 1}, {y + 1, 5, 26}},
    };
    Csv c;
    csv_begin(&c, o, "name|start|end", "название|начало|конец");
    for (int i = 0; i < COUNT(P); i++) {
        csv_field(&c, P[i].name);
        put_date(&c, P[i].start);
        put_date(&c, P[i].end);
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

/* ===================================================================== 5. options, main */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s [--seed N] [--students N] [--year YYYY] [--excel] --out DIR\n"
            "  --seed N       random seed (default 1); same seed and options, same bytes\n"
            "  --students N   students in the school, 1..%d (default 300)\n"
            "  --year YYYY    school year starting 1 September YYYY (default 2026)\n"
            "  --excel        write CSV as Excel on a Russian Windows saves it (cp1251, ';', CRLF,\n"
            "                 Russian headers and values, DD.MM.YYYY, sloppy class names)\n"
            "  --out DIR      output directory (created if missing)\n"
            "Writes students.csv guardians.csv staff.csv groups.csv periods.csv subjects.csv.\n",
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
    return 0;
}
