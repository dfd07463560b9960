/*
 * mail.c: handing a message to the sendmail-compatible program (see mail.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mail.h"
#include "util.h"

enum { MAX_WORDS = 32 };

int mail_send_file(const char *cmd, const char *path, struct perr *e)
{
	char *words = xstrdup(cmd ? cmd : ""), *argv[MAX_WORDS + 1], *save = NULL;
	int n = 0;
	for (char *w = strtok_r(words, " \t", &save); w && n < MAX_WORDS; w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n] = NULL;
	if (!n) {
		free(words);
		return perr_set(e, EX_CONFIG, "mail.sendmail is empty (expected a sendmail-compatible program, such as "
				"/usr/sbin/sendmail -oi -t)");
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		free(words);
		return perr_set(e, EX_NOINPUT, "%s: %s", path, strerror(err));
	}
	/* a program that cannot be started is told back through a pipe that a started one closes,
	 * so the command says it in its own message */
	int told[2];
	if (pipe2(told, O_CLOEXEC) < 0) {
		int err = errno;
		close(fd);
		free(words);
		return perr_set(e, EX_OSERR, "cannot start %s: %s", cmd, strerror(err));
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {	/* the message on its standard input; what it says to standard error */
		close(told[0]);
		if (dup2(fd, 0) < 0 || dup2(2, 1) < 0)
			_exit(EX_OSERR);
		execvp(argv[0], argv);
		int why = errno;
		if (write(told[1], &why, sizeof why) < 0)
			_exit(126);
		_exit(127);
	}
	int err = errno, status = 0, why = 0;
	close(fd);
	close(told[1]);
	if (pid < 0) {
		close(told[0]);
		free(words);
		return perr_set(e, EX_OSERR, "cannot start %s: %s", cmd, strerror(err));
	}
	while (read(told[0], &why, sizeof why) < 0 && errno == EINTR)
		;
	close(told[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int rc = 0;
	if (why)
		rc = perr_set(e, EX_UNAVAILABLE, "%s: mail.sendmail \"%s\" cannot be run: %s", path, cmd, strerror(why));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		rc = perr_set(e, EX_UNAVAILABLE, "%s: mail.sendmail \"%s\" cannot be run", path, cmd);
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		int x = WEXITSTATUS(status);
		rc = x == EX_TEMPFAIL ? perr_set(e, EX_TEMPFAIL, "%s: %s refused it (exit %d): try again later", path, argv[0], x)
				      : perr_set(e, EX_UNAVAILABLE, "%s: %s refused it (exit %d)", path, argv[0], x);
	} else if (WIFSIGNALED(status))
		rc = perr_set(e, EX_UNAVAILABLE, "%s: %s was killed by signal %d", path, argv[0], WTERMSIG(status));
	free(words);
	return rc;
}
