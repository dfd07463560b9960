/*
 * portal-web: the parents' and students' personal cabinet over HTTP
 * (libmicrohttpd), behind nginx for TLS; the admin's check-config, sessions
 * and revoke. The pages themselves are lib/webapp.c's; this file carries
 * requests and answers and nothing of the domain.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <microhttpd.h>

#include "frame.h"
#include "webapp.h"
#include "websession.h"

#define CSP "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/* How long a request that checks a password waits for a free place in the hashing pool before
 * it is answered 503: a worker waiting here serves none of its other connections. */
#define HASH_WAIT_MS 100

/* What every request thread reads: where the store is, the fixed clock of tests, and the places
 * for Argon2id (max(1, workers / 2)), so a flood of logins leaves workers for the pages. */
struct server {
	const char *db;
	long long fixed_now;	/* PORTAL_NOW, 0 for the clock */
	sem_t hashing;
	pthread_key_t conn;	/* each pool thread's web_conn, freed when the thread ends */
};

/* One request being received: its form body. */
struct upload {
	char *body;
	size_t len;
	int too_large;
};

static const char *store_path(struct cmd *cmd)
{
	const char *db = cmd_opt(cmd, "db");
	if (!db || !*db)
		db = getenv("PORTAL_DB");
	return db && *db ? db : "portal.db";
}

static void client_address(struct MHD_Connection *con, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	str_copy(out, n, "");
	if (ci && ci->client_addr)
		getnameinfo(ci->client_addr, ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
			    : sizeof(struct sockaddr_in), out, (socklen_t)n, NULL, 0, NI_NUMERICHOST);
	/* behind nginx on this machine, the address nginx saw */
	const char *real = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Real-IP");
	if (real && *real && strlen(real) < n && (strcmp(out, "127.0.0.1") == 0 || strcmp(out, "::1") == 0) &&
	    strspn(real, "0123456789abcdefABCDEF.:") == strlen(real))
		str_copy(out, n, real);
}

static enum MHD_Result send_page(struct MHD_Connection *con, struct web_resp *wr, int head)
{
	struct page *p = &wr->p;
	size_t len = wr->data ? wr->data_len : p->body.len;
	char *body = wr->data ? wr->data : p->body.s ? p->body.s : (char *)"";
	struct MHD_Response *res = MHD_create_response_from_buffer(head ? 0 : len, body, MHD_RESPMEM_MUST_COPY);
	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, "Content-Type", p->content_type ? p->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(res, "Content-Security-Policy", CSP);
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(res, "X-Frame-Options", "DENY");
	MHD_add_response_header(res, "Cache-Control", p->personal || p->status >= 300 ? "no-store" : "max-age=3600");
	if (*p->location)
		MHD_add_response_header(res, "Location", p->location);
	if (wr->allow)
		MHD_add_response_header(res, "Allow", wr->allow);
	if (*wr->disposition)
		MHD_add_response_header(res, "Content-Disposition", wr->disposition);
	if (p->status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(res, "Retry-After", "60");
	for (int i = 0; i < wr->ncookies; i++)
		MHD_add_response_header(res, "Set-Cookie", wr->cookies[i]);
	enum MHD_Result r = MHD_queue_response(con, (unsigned)p->status, res);
	MHD_destroy_response(res);
	return r;
}

static enum MHD_Result plain(struct MHD_Connection *con, unsigned status, const char *text)
{
	struct web_resp wr;
	memset(&wr, 0, sizeof wr);
	wr.p.status = (int)status;
	wr.p.content_type = "text/plain; charset=utf-8";
	sbuf_init(&wr.p.body);
	sbuf_adds(&wr.p.body, text);
	enum MHD_Result r = send_page(con, &wr, 0);
	web_resp_free(&wr);
	return r;
}

/* The requests that run Argon2id: the login and the password change. */
static int checks_password(const char *method, const char *url)
{
	return strcmp(method, "POST") == 0 && (strcmp(url, "/login") == 0 || strcmp(url, "/password") == 0);
}

/* 1 when a place in the hashing pool was taken within HASH_WAIT_MS. */
static int hashing_enter(struct server *srv)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += HASH_WAIT_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (sem_timedwait(&srv->hashing, &until) != 0)
		if (errno != EINTR)
			return 0;
	return 1;
}

/* Every place in the pool stayed taken: the client is asked to come back. */
static enum MHD_Result busy(struct MHD_Connection *con)
{
	struct web_resp wr;
	memset(&wr, 0, sizeof wr);
	wr.p.status = MHD_HTTP_SERVICE_UNAVAILABLE;
	wr.p.personal = 1;
	page_begin(&wr.p, "Сервер занят", NULL);
	sbuf_adds(&wr.p.body, "<h1>Сервер занят</h1>\n<p>Сейчас в кабинет входит много пользователей. "
		  "Повторите попытку через минуту.</p>\n<p><a href=\"/login\">Вход</a></p>\n");
	page_end(&wr.p);
	enum MHD_Result r = send_page(con, &wr, 0);
	web_resp_free(&wr);
	return r;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url, const char *method,
			      const char *version, const char *data, size_t *data_size, void **con_cls)
{
	struct server *srv = cls;
	struct upload *up = *con_cls;
	if (!up) {
		if (!(up = calloc(1, sizeof *up)))
			return MHD_NO;
		*con_cls = up;
		const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > WEB_BODY_MAX)
			up->too_large = 1;
		return MHD_YES;
	}
	if (*data_size) {
		if (!up->too_large && up->len + *data_size <= WEB_BODY_MAX) {
			char *b = realloc(up->body, up->len + *data_size + 1);
			if (!b)
				return MHD_NO;
			memcpy(b + up->len, data, *data_size);
			up->body = b;
			up->len += *data_size;
			up->body[up->len] = 0;
		} else {
			up->too_large = 1;
		}
		*data_size = 0;
		return MHD_YES;
	}
	if (up->too_large)
		return plain(con, MHD_HTTP_CONTENT_TOO_LARGE, "request too large\n");
	if (!url || url[0] != '/' || strlen(url) > 512)
		return plain(con, MHD_HTTP_BAD_REQUEST, "bad request\n");
	char client[INET6_ADDRSTRLEN + 1];
	client_address(con, client, sizeof client);
	struct web_req r = {
		.method = method,
		.path = url,
		.period = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "period"),
		.sid = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, WEB_COOKIE),
		.login_csrf = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, WEB_LOGIN_COOKIE),
		.sid_plain = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, WEB_COOKIE_PLAIN),
		.login_csrf_plain = MHD_lookup_connection_value(con, MHD_COOKIE_KIND, WEB_LOGIN_COOKIE_PLAIN),
		.client = client,
		.body = up->body ? up->body : "",
		.body_len = up->len,
		.now = srv->fixed_now ? srv->fixed_now : (long long)time(NULL),
	};
	int hashes = checks_password(method, url);
	if (hashes && !hashing_enter(srv))
		return busy(con);
	struct web_resp wr;
	struct web_conn *wc = pthread_getspecific(srv->conn);
	if (!wc) {
		wc = web_conn_new(srv->db);
		pthread_setspecific(srv->conn, wc);
	}
	webapp_serve(wc, &r, &wr);
	if (hashes)
		sem_post(&srv->hashing);
	if (wr.warning[0])
		fprintf(stderr, "portal-web: %s\n", wr.warning);
	enum MHD_Result res = send_page(con, &wr, strcmp(method, "HEAD") == 0);
	web_resp_free(&wr);
	return res;
}

/* The request's body held a password: wiped before it is freed. */
static void completed(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;
	if (!up)
		return;
	if (up->body)
		explicit_bzero(up->body, up->len);
	free(up->body);
	free(up);
	*con_cls = NULL;
}

static void conn_free(void *wc)
{
	web_conn_free(wc);
}

static int parse_listen(struct cmd *cmd, struct sockaddr_in *sa)
{
	const char *l = cmd_opt(cmd, "listen");
	char host[64];
	long port;
	char *end;
	if (!l)
		l = "127.0.0.1:8080";
	const char *colon = strrchr(l, ':');
	if (!colon || (size_t)(colon - l) >= sizeof host)
		return perr_set(&cmd->err, EX_USAGE, "--listen %s: expected ADDRESS:PORT, e.g. 127.0.0.1:8080", l);
	memcpy(host, l, (size_t)(colon - l));
	host[colon - l] = 0;
	port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return perr_set(&cmd->err, EX_USAGE, "--listen %s: expected an IPv4 ADDRESS:PORT, e.g. 127.0.0.1:8080", l);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

static int do_serve(struct cmd *cmd)
{
	struct sockaddr_in sa;
	const char *w = cmd_opt(cmd, "workers");
	long workers = w ? strtol(w, NULL, 10) : 4;
	int rc = parse_listen(cmd, &sa);
	if (rc)
		return rc;
	if (workers < 1 || workers > 64)
		return perr_set(&cmd->err, EX_USAGE, "--workers %s: expected 1 to 64", w);
	long idle, max;
	int insecure;
	if ((rc = web_settings(cmd->c.store, &idle, &max, &insecure, &cmd->err)))
		return rc;
	const char *now = getenv("PORTAL_NOW");
	struct server srv = { .db = store_path(cmd), .fixed_now = now && *now ? cmd->c.now_epoch : 0 };
	if (sem_init(&srv.hashing, 0, workers / 2 > 1 ? (unsigned)(workers / 2) : 1) != 0)
		return perr_set(&cmd->err, EX_OSERR, "cannot make the hashing pool");
	if (pthread_key_create(&srv.conn, conn_free) != 0) {
		sem_destroy(&srv.hashing);
		return perr_set(&cmd->err, EX_OSERR, "cannot make the threads' store connections");
	}
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);	/* the pool's threads inherit the mask: the signal comes here */
	signal(SIGPIPE, SIG_IGN);
	/* On a loopback address every connection is nginx's, from 127.0.0.1: a limit per client address
	 * would cap the proxy, so it is nginx's (limit_conn in share/nginx/portal.conf). Listening on
	 * another address, each client may hold 64 connections. */
	unsigned per_ip = (ntohl(sa.sin_addr.s_addr) >> 24) == 127 ? 0 : 64;
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
		handle, &srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)workers,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_END);
	if (!d) {
		pthread_key_delete(srv.conn);
		sem_destroy(&srv.hashing);
		return perr_set(&cmd->err, EX_UNAVAILABLE, "cannot listen on %s (in use, or not permitted)",
				cmd_opt(cmd, "listen") ? cmd_opt(cmd, "listen") : "127.0.0.1:8080");
	}
	cmd_note(cmd, "serving %s on %s", srv.db, cmd_opt(cmd, "listen") ? cmd_opt(cmd, "listen") : "127.0.0.1:8080");
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);	/* the pool's threads end: each closes its connection */
	pthread_key_delete(srv.conn);
	sem_destroy(&srv.hashing);
	return 0;
}

static int do_check_config(struct cmd *cmd)
{
	long idle, max;
	int insecure;
	int rc = web_settings(cmd->c.store, &idle, &max, &insecure, &cmd->err);
	if (rc)
		return rc;
	if (max < idle)
		return perr_set(&cmd->err, EX_CONFIG, "web.session_max (%ld) is shorter than web.session_idle (%ld)", max, idle);
	/* key,value as portal-db config lists the settings: a value is text there */
	static const struct out_col cols[] = { { "key", COL_TEXT }, { "value", COL_TEXT } };
	char v[3][24];
	snprintf(v[0], sizeof v[0], "%ld", idle);
	snprintf(v[1], sizeof v[1], "%ld", max);
	snprintf(v[2], sizeof v[2], "%d", insecure);
	const char *rows[3][2] = { { "web.session_idle", v[0] }, { "web.session_max", v[1] }, { "web.insecure_cookie", v[2] } };
	struct out *o = cmd_out(cmd);
	out_header(o, cols, 2);
	for (int i = 0; i < 3; i++)
		out_row(o, rows[i], 2);
	if ((rc = cmd_out_done(cmd, o)))
		return rc;
	if (insecure)
		cmd_warn(cmd, "web.insecure_cookie is 1: the session cookie goes without Secure (tests on 127.0.0.1 only)");
	return 0;
}

static int do_sessions(struct cmd *cmd)
{
	struct out *o = cmd_out(cmd);
	out_header(o, web_session_cols, web_session_ncols);
	int rc = web_sessions_list(&cmd->c, cmd_print_row, o, &cmd->err);
	int r2 = cmd_out_done(cmd, o);
	return rc ? rc : r2;
}

static int do_revoke(struct cmd *cmd)
{
	long n = 0;
	int rc = web_revoke(&cmd->c, cmd_arg(cmd, 0), &n, &cmd->err);
	if (!rc)
		cmd_note(cmd, ngettext("%s: %ld session ended", "%s: %ld sessions ended", (unsigned long)n), cmd_arg(cmd, 0), n);
	return rc;
}

static const struct verb verbs[] = {
	{ "serve", "[--listen ADDR:PORT] [--workers N]",
	  N_("the personal cabinet over HTTP until SIGTERM (default 127.0.0.1:8080, 4 workers); nginx in front for TLS"),
	  "listen=,workers=", V_STORE, do_serve },
	{ "check-config", "", N_("checks the store and the web settings and prints them"), "", V_STORE, do_check_config },
	{ "sessions", "", N_("the live sessions of the cabinet (admins)"), "", V_STORE | V_READ, do_sessions },
	{ "revoke", "LOGIN", N_("ends every session of LOGIN (admins)"), "", V_STORE | V_WRITE, do_revoke },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

static const struct tool tool = { "portal-web", N_("portal-web: the parents' and students' personal cabinet"), verbs };

int main(int argc, char **argv)
{
	return frame_main(&tool, argc, argv);
}
