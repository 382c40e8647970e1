// SPDX-License-Identifier: GPL-2.0
/*
 * failio.so - fail the N-th file change a program makes (LD_PRELOAD)
 *
 *   FAILIO_PREFIX=/etc/mdevctl.d   only paths under this count (required)
 *   FAILIO_NTH=N                   the N-th counted call fails (0: none)
 *   FAILIO_ERRNO=28                with this errno (default EIO)
 *   FAILIO_SIGNAL=15               or: the N-th counted call sends this
 *                                  signal to the program, then goes ahead
 *   FAILIO_REPORT=FILE             at exit, "CALLS FAILED_CALL" goes here
 *   FAILIO_TRACE=1                 each counted call on stderr
 *
 * Counted calls, each one step of a multi-step change: open/openat/creat
 * for writing, mkdir(at), rename(at/at2), unlink(at), rmdir, and write,
 * fsync, fchmod, fchown on a descriptor opened for writing under the
 * prefix; an unlink, rmdir or rename only of something that is there, a
 * mkdir only of something that is not. Counts are per process. A run with
 * FAILIO_NTH=0 counts the steps; a test then fails each step in turn and
 * checks that the program left the files as they were (tests/scenarios/
 * 71-fault-mdev.sh, 73-fault-host.sh). Calls the program makes itself are
 * seen; calls inside libc (stdio's own writes) are not.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 4096

static unsigned long calls, nth, failed_at;
static int fail_errno = EIO, send_signal;
static const char *prefix;
static bool tracked[MAX_FD];
static bool ready, trace;

__attribute__((constructor)) static void failio_init(void)
{
	const char *s;

	prefix = getenv("FAILIO_PREFIX");
	s = getenv("FAILIO_NTH");
	nth = s ? strtoul(s, NULL, 0) : 0;
	s = getenv("FAILIO_ERRNO");
	if (s)
		fail_errno = atoi(s);
	s = getenv("FAILIO_SIGNAL");
	if (s)
		send_signal = atoi(s);
	ready = prefix && *prefix;
	trace = getenv("FAILIO_TRACE") != NULL;
}

__attribute__((destructor)) static void failio_report(void)
{
	const char *file = getenv("FAILIO_REPORT");
	FILE *f;

	if (!file)
		return;
	f = fopen(file, "w");
	if (!f)
		return;
	fprintf(f, "%lu %lu\n", calls, failed_at);
	fclose(f);
}

#define REAL(ret, name, ...)						\
	static ret (*real_##name)(__VA_ARGS__);				\
	if (!real_##name)						\
		real_##name = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name)

/* Is @path (relative to @dirfd) under the prefix? */
static bool under(int dirfd, const char *path)
{
	char base[PATH_MAX], full[2 * PATH_MAX], link[64];
	size_t n = prefix ? strlen(prefix) : 0;
	ssize_t len;

	if (!ready || !path)
		return false;
	if (path[0] == '/') {
		snprintf(full, sizeof(full), "%s", path);
	} else {
		if (dirfd == AT_FDCWD) {
			if (!getcwd(base, sizeof(base)))
				return false;
		} else {
			snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
			len = readlink(link, base, sizeof(base) - 1);
			if (len < 0)
				return false;
			base[len] = '\0';
		}
		snprintf(full, sizeof(full), "%s/%s", base, path);
	}
	return !strncmp(full, prefix, n) && (full[n] == '/' || full[n] == '\0');
}

/*
 * One counted step: true if this one must fail (errno is set). With
 * FAILIO_SIGNAL, the N-th step signals instead: a program that does not
 * hold the signal back ends there, before the step.
 */
#define step() step_(__func__)
static bool step_(const char *what)
{
	++calls;
	if (trace)
		fprintf(stderr, "failio: %lu %s%s\n", calls, what,
			calls == nth ? " (fails)" : "");
	if (calls != nth)
		return false;
	failed_at = calls;
	if (send_signal) {
		kill(getpid(), send_signal);
		return false;
	}
	errno = fail_errno;
	return true;
}

static bool fd_tracked(int fd)
{
	return fd >= 0 && fd < MAX_FD && tracked[fd];
}

static bool writing(int flags)
{
	return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
}

static int track(int fd)
{
	if (fd >= 0 && fd < MAX_FD)
		tracked[fd] = true;
	return fd;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	bool counted;

	REAL(int, openat, int, const char *, int, ...);
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	counted = writing(flags) && under(dirfd, path);
	if (counted && step())
		return -1;
	return counted ? track(real_openat(dirfd, path, flags, mode)) :
			 real_openat(dirfd, path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
	__attribute__((alias("open")));
int openat64(int dirfd, const char *path, int flags, ...)
	__attribute__((alias("openat")));

int creat(const char *path, mode_t mode)
{
	return openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int close(int fd)
{
	REAL(int, close, int);
	if (fd >= 0 && fd < MAX_FD)
		tracked[fd] = false;
	return real_close(fd);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	REAL(ssize_t, write, int, const void *, size_t);
	if (fd_tracked(fd) && step())
		return -1;
	return real_write(fd, buf, len);
}

int fsync(int fd)
{
	REAL(int, fsync, int);
	if (fd_tracked(fd) && step())
		return -1;
	return real_fsync(fd);
}

int fchmod(int fd, mode_t mode)
{
	REAL(int, fchmod, int, mode_t);
	if (fd_tracked(fd) && step())
		return -1;
	return real_fchmod(fd, mode);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	REAL(int, fchown, int, uid_t, gid_t);
	if (fd_tracked(fd) && step())
		return -1;
	return real_fchown(fd, uid, gid);
}

/*
 * Only calls that change something are steps: an unlink of a file that is
 * not there, a mkdir of a directory that is, fail anyway and programs
 * expect that (ENOENT, EEXIST).
 */
static bool exists(int dirfd, const char *path)
{
	struct stat st;

	return fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int mkdir(const char *path, mode_t mode)
{
	REAL(int, mkdir, const char *, mode_t);
	if (under(AT_FDCWD, path) && !exists(AT_FDCWD, path) && step())
		return -1;
	return real_mkdir(path, mode);
}

int rmdir(const char *path)
{
	REAL(int, rmdir, const char *);
	if (under(AT_FDCWD, path) && exists(AT_FDCWD, path) && step())
		return -1;
	return real_rmdir(path);
}

int unlink(const char *path)
{
	REAL(int, unlink, const char *);
	if (under(AT_FDCWD, path) && exists(AT_FDCWD, path) && step())
		return -1;
	return real_unlink(path);
}

int rename(const char *from, const char *to)
{
	REAL(int, rename, const char *, const char *);
	if ((under(AT_FDCWD, from) || under(AT_FDCWD, to)) &&
	    exists(AT_FDCWD, from) && step())
		return -1;
	return real_rename(from, to);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	REAL(int, mkdirat, int, const char *, mode_t);
	if (under(dirfd, path) && !exists(dirfd, path) && step())
		return -1;
	return real_mkdirat(dirfd, path, mode);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	REAL(int, unlinkat, int, const char *, int);
	if (under(dirfd, path) && exists(dirfd, path) && step())
		return -1;
	return real_unlinkat(dirfd, path, flags);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	REAL(int, renameat, int, const char *, int, const char *);
	if ((under(fromfd, from) || under(tofd, to)) && exists(fromfd, from) &&
	    step())
		return -1;
	return real_renameat(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to,
	      unsigned int flags)
{
	REAL(int, renameat2, int, const char *, int, const char *, unsigned int);
	if ((under(fromfd, from) || under(tofd, to)) && exists(fromfd, from) &&
	    step())
		return -1;
	return real_renameat2(fromfd, from, tofd, to, flags);
}
