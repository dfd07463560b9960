/*
 * witness.c: the audit chain's heads written to a file outside the store (and,
 * when asked, to syslog), and checked against the chain: a cut tail or a chain
 * recomputed after an edit no longer holds the heads the witness saw.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "util.h"
#include "values.h"
#include "witness.h"

#define LINE_MAX_LEN 128	/* "SEQ HASH TIME\n": at most 20 + 1 + 64 + 1 + 20 + 1 */

int witness_path(struct store *s, char *out, size_t outlen, struct perr *e)
{
	return config_get(s, "audit.witness", out, outlen, e);
}

/* Makes the new file's directory entry durable too. */
static void sync_dir(const char *path)
{
	char dir[4096];
	str_copy(dir, sizeof dir, path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);	/* a file system that cannot sync a directory still has the line */
		close(fd);
	}
}

/* Opens path for appending, creating it 0600 when missing. -1 with errno on failure. */
static int open_append(const char *path, int *created)
{
	*created = 0;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		*created = 1;
		if (fchmod(fd, 0600) != 0) {	/* whatever the umask */
			int err = errno;
			close(fd);
			unlink(path);
			errno = err;
			return -1;
		}
		sync_dir(path);
		return fd;
	}
	if (errno != EEXIST)
		return -1;
	return open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
}

int witness_probe(const char *path, int *nonempty, struct perr *e)
{
	int created;
	struct stat sb;
	int fd = open_append(path, &created);
	if (fd < 0)
		return perr_set(e, EX_CANTCREAT, "witness %s: cannot create or append: %s", path, strerror(errno));
	*nonempty = fstat(fd, &sb) == 0 && sb.st_size > 0;
	close(fd);
	return 0;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static int syslog_head(struct store *s, int64_t seq, const char *hash, struct perr *e)
{
	char on[8];
	int rc = config_get(s, "audit.syslog", on, sizeof on, e);
	if (!rc && strcmp(on, "1") == 0)
		syslog(LOG_USER | LOG_NOTICE, "audit head %lld %s", (long long)seq, hash);
	return rc;
}

int witness_append(struct store *s, const char *path, const char *now, struct perr *e)
{
	int64_t seq;
	char hash[65], line[LINE_MAX_LEN];
	int rc = audit_head(s, &seq, hash, e), created;
	if (rc)
		return rc;
	int n = snprintf(line, sizeof line, "%lld %s %s\n", (long long)seq, hash, now);
	int fd = open_append(path, &created);
	if (fd < 0)
		return perr_set(e, EX_IOERR, "witness %s: cannot append the audit head: %s", path, strerror(errno));
	if (write_all(fd, line, (size_t)n) != 0 || fsync(fd) != 0) {
		int err = errno;
		close(fd);
		return perr_set(e, EX_IOERR, "witness %s: cannot append the audit head: %s", path, strerror(err));
	}
	if (close(fd) != 0)
		return perr_set(e, EX_IOERR, "witness %s: cannot append the audit head: %s", path, strerror(errno));
	return syslog_head(s, seq, hash, e);
}

/* 1 when the witness's last line already names this head (a write that moved nothing). */
static int last_line_is(const char *path, int64_t seq, const char *hash)
{
	char buf[2 * LINE_MAX_LEN + 1], want[LINE_MAX_LEN];
	int fd = open(path, O_RDONLY | O_CLOEXEC), same = 0;
	struct stat sb;
	if (fd < 0)
		return 0;
	if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
		off_t from = sb.st_size > (off_t)(sizeof buf - 1) ? sb.st_size - (off_t)(sizeof buf - 1) : 0;
		ssize_t n = pread(fd, buf, sizeof buf - 1, from);
		if (n > 0 && buf[n - 1] == '\n') {
			buf[n - 1] = '\0';
			char *last = strrchr(buf, '\n');
			last = last ? last + 1 : (from == 0 ? buf : NULL);
			snprintf(want, sizeof want, "%lld %s ", (long long)seq, hash);
			same = last && strncmp(last, want, strlen(want)) == 0;
		}
	}
	close(fd);
	return same;
}

int witness_follow(struct store *s, const char *now, struct perr *e)
{
	char path[4096], hash[65];
	int64_t seq;
	int rc = witness_path(s, path, sizeof path, e);
	if (rc || !*path)
		return rc;
	if ((rc = audit_head(s, &seq, hash, e)))
		return rc;
	if (last_line_is(path, seq, hash))
		return 0;
	return witness_append(s, path, now, e);
}

/* "SEQ HASH TIME": a decimal seq, 64 lowercase hex digits, a UTC timestamp. */
static int parse_line(const char *l, long long *seq, char hash[65])
{
	char *end;
	if (*l < '0' || *l > '9')
		return -1;
	errno = 0;
	*seq = strtoll(l, &end, 10);
	if (errno || *end != ' ')
		return -1;
	l = end + 1;
	for (int i = 0; i < 64; i++)
		if (!((l[i] >= '0' && l[i] <= '9') || (l[i] >= 'a' && l[i] <= 'f')))
			return -1;
	if (l[64] != ' ')
		return -1;
	memcpy(hash, l, 64);
	hash[64] = '\0';
	long long epoch;
	return ts_parse_utc(l + 65, &epoch) == 0 && strlen(l + 65) == 20 ? 0 : -1;
}

/* The hash of record seq as the chain holds it ("" when there is none; 64 zeros for 0). */
static int record_hash_of(struct store *s, long long seq, char hash[65], struct perr *e)
{
	if (seq == 0) {
		memset(hash, '0', 64);
		hash[64] = '\0';
		return 0;
	}
	int rc = store_get(s, e, "SELECT hash FROM audit WHERE seq = $1", P_INT(seq), INTO_TEXT(hash, 65));
	return rc < 0 ? -rc : 0;
}

/* One witnessed head against the chain whose head is head_seq. */
static int check_head(struct store *s, const char *path, long lineno, const char *line, int64_t head_seq,
		      struct perr *e)
{
	long long seq;
	char want[65], have[65];
	if (parse_line(line, &seq, want))
		return perr_set(e, EX_DATAERR, "witness %s:%ld: \"%.40s\" is not a head (expected SEQ HASH TIME, "
				"e.g. 17 <64 hex digits> 2026-11-28T09:00:00Z)", path, lineno, line);
	if (seq > head_seq)
		return perr_set(e, EX_DATAERR, "witness %s:%ld: audit record %lld was witnessed, but the log ends at %lld: "
				"records were removed from its end", path, lineno, seq, (long long)head_seq);
	int rc = record_hash_of(s, seq, have, e);
	if (rc)
		return rc;
	if (strcmp(have, want) != 0)
		return perr_set(e, EX_DATAERR, "witness %s:%ld: audit record %lld is not the one witnessed (another hash): "
				"the log was rewritten at or before record %lld", path, lineno, seq, seq);
	return 0;
}

int witness_verify(struct store *s, const char *path, long *heads, struct perr *e)
{
	int64_t head_seq;
	char head_hash[65];
	int rc = audit_head(s, &head_seq, head_hash, e);
	if (rc)
		return rc;
	FILE *f = fopen(path, "re");
	if (!f)
		return perr_set(e, EX_NOINPUT, "witness %s: cannot read: %s (its heads are what shows the audit log "
				"was not rewritten: restore the file, or give check --witness FILE)", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		rc = check_head(s, path, lineno, line, head_seq, e);
	}
	if (!rc && ferror(f))
		rc = perr_set(e, EX_IOERR, "witness %s: read error: %s", path, strerror(errno));
	free(line);
	fclose(f);
	if (!rc && lineno == 0)
		rc = perr_set(e, EX_DATAERR, "witness %s holds no head: it was emptied, or never written "
			      "(portal-db witness appends one)", path);
	if (!rc && heads)
		*heads = lineno;
	return rc;
}

int witness_setting_verify(struct store *s, struct perr *e)
{
	char path[4096];
	int rc = witness_path(s, path, sizeof path, e);
	if (rc)
		return rc;
	struct stmt *st = store_prepare(s,
		"SELECT seq, detail FROM audit WHERE object = 'config:audit.witness' ORDER BY seq DESC LIMIT 1", e);
	if (!st)
		return e->status;
	rc = stmt_step(st, e);
	if (rc < 0)
		return -rc;
	long long seq = rc ? (long long)stmt_int(st, 0) : 0;
	struct sbuf tail;
	sbuf_init(&tail);
	int same = !rc && !*path;
	if (rc) {	/* the detail ends with the new value: ...,"value":[OLD,NEW]} */
		const char *d = stmt_text(st, 1) ? stmt_text(st, 1) : "";
		sbuf_addc(&tail, ',');
		sbuf_add_json(&tail, *path ? path : NULL);
		sbuf_adds(&tail, "]}");
		size_t dl = strlen(d), tl = strlen(tail.s);
		same = dl >= tl && strcmp(d + dl - tl, tail.s) == 0;
	}
	stmt_reset(st);
	sbuf_free(&tail);
	if (same)
		return 0;
	if (!seq)
		return perr_set(e, EX_DATAERR, "audit.witness is \"%s\", but no audit record set it: it was set outside portal",
				path);
	if (!*path)
		return perr_set(e, EX_DATAERR, "audit.witness is not set, but audit record %lld set it: it was removed outside "
				"portal (the witness it named still holds the heads: check --witness FILE)", seq);
	return perr_set(e, EX_DATAERR, "audit.witness is \"%s\", not what audit record %lld set: it was changed outside "
			"portal (the witness it named still holds the heads: check --witness FILE)", path, seq);
}
