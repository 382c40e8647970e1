// SPDX-License-Identifier: GPL-2.0
/*
 * test_batch.c - "vgpu-nl -batch FILE": words, comments and joined lines,
 * the place in every error, stop or go on (-force), one netlink client
 * for the whole file; run whole against the fake GVT-g host (fake_gvt.h)
 *
 * The batch files live in the fake host's root, as "batch" there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "fake_gvt.h"
#include "fake_host.h"
#include "unit.h"

#define RUN(r, ...)	run_tool(r, __VA_ARGS__, (const char *)NULL)

#define A	"11111111-1111-4111-8111-111111111111"
#define U	"6eba5b41-176e-40db-b93e-7f18e04e0b93"

static const struct gvt_mdev one = {
	.uuid = A, .group = 31, .driver = "vfio_mdev", .owned = true,
	.in_use = GVT_IN_USE_NO,
};

static char path[4200];

/* Writes @text as the batch file of this case; its path in path[]. */
static void batch_file(const char *text)
{
	fh_write("batch", text);
	snprintf(path, sizeof(path), "%s", fh_path("batch"));
}

/* "Error: <path>:@line: @msg" as the tool prints it, in @buf. */
static const char *at(char *buf, size_t len, int line, const char *msg)
{
	snprintf(buf, len, "Error: %s:%d: %s", path, line, msg);
	return buf;
}

#define ADD_USAGE "Usage: vgpu-nl mdev add DEV type TYPE [uuid UUID] [persist]\n"
#define DEL_USAGE "Usage: vgpu-nl mdev del UUID [force]\n"

/* Several commands, one socket and one family resolution. */
TEST(batch_runs_every_line_on_one_client)
{
	struct nlattr *tb[VGPU_A_MAX + 1];
	struct run r;

	gvt_start(&one, 1);
	batch_file("# make one, list them, remove it\n"
		   "mdev add 00:02.0 type " GVT_TYPE_4 " uuid " U "   # the UUID is printed\n"
		   "\n"
		   "   \t\n"
		   "mdev show\n"
		   "mdev del " U "\n");
	RUN(&r, "-batch", path);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out, U "\n"
		  A ": parent " GVT_PARENT " type " GVT_TYPE_4 " driver vfio_mdev iommu_group 31 "
		  "in_use no owned yes persistent no\n"
		  U ": parent " GVT_PARENT " type " GVT_TYPE_4 " iommu_group 20 "
		  "in_use no owned yes persistent no\n");
	CHECK_STR(r.err, "");
	/* ADD, the show's dump, del's DEL (the kernel checks the holders) */
	CHECK_INT(gvt_stop(), 3);
	CHECK_INT(fk_connects(), 1);
	CHECK_INT(gvt_req(0, tb), VGPU_CMD_MDEV_ADD);
	CHECK_INT(gvt_req(1, tb), VGPU_CMD_MDEV_GET);
	CHECK(gvt_req_dump(1));
	CHECK_INT(gvt_req(2, tb), VGPU_CMD_MDEV_DEL);
	CHECK_STR(gvt_str(tb, VGPU_A_MDEV_UUID), U);
	CHECK_INT(g.nmdevs, 1);
	run_free(&r);
}

/* The first failure stops the batch; its error names the line. */
TEST(batch_stops_at_the_first_failure)
{
	char want[4400];
	struct run r;

	gvt_start(&one, 1);
	batch_file("mdev show\n"
		   "# the next one is not there\n"
		   "mdev del " U "\n"
		   "mdev del " A "\n");
	RUN(&r, "-b", path);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, at(want, sizeof(want), 3, "no mdev " U "\n"));
	/* show, the DEL of line 3; line 4 never ran */
	CHECK_INT(gvt_stop(), 2);
	CHECK_INT(g.nmdevs, 1);
	run_free(&r);

	/* -force goes on; the status is still the first failure's. */
	gvt_start(&one, 1);
	batch_file("mdev show\n"
		   "# the next one is not there\n"
		   "mdev del " U "\n"
		   "mdev del " A "\n");
	RUN(&r, "-force", "-batch", path);
	CHECK_INT(r.status, EXIT_FAIL);
	CHECK_STR(r.err, at(want, sizeof(want), 3, "no mdev " U "\n"));
	CHECK_INT(gvt_stop(), 3);
	CHECK_INT(fk_connects(), 1);
	CHECK_INT(g.nmdevs, 0);
	run_free(&r);
}

/* Writes @len bytes of @data as the batch file (NUL bytes too). */
static void batch_bytes(const void *data, size_t len)
{
	FILE *f;

	batch_file("");
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		abort();
}

/*
 * A batch file is text: a NUL byte, or a line longer than 65535 bytes,
 * is an error of its line - not a line cut short and run - and -force
 * goes on at the next line.
 */
TEST(batch_not_text)
{
	static const char nul[] = "mdev show\nmdev del " A "\0junk\nmdev show\n";
	char want[4400], *big;
	struct run r;
	size_t n;

	gvt_start(&one, 1);
	batch_bytes(nul, sizeof(nul) - 1);
	RUN(&r, "-b", path);
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, at(want, sizeof(want), 2,
			    "a NUL byte in the line (not a text file?)\n"));
	CHECK_INT(gvt_stop(), 1);	/* the first show only */
	CHECK_INT(g.nmdevs, 1);
	run_free(&r);

	gvt_start(&one, 1);
	batch_bytes(nul, sizeof(nul) - 1);
	RUN(&r, "-force", "-b", path);
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_INT(gvt_stop(), 2);	/* both shows, no del */
	CHECK_INT(g.nmdevs, 1);
	run_free(&r);

	/* 65535 bytes are a line; 65536 are not. */
	n = strlen("mdev show\n") + 65536 + strlen("\nmdev show\n");
	big = malloc(n + 1);
	if (!big)
		abort();
	snprintf(big, n + 1, "mdev show\n%065535d\nmdev show\n", 0);
	gvt_start(&one, 1);
	batch_bytes(big, strlen(big));
	RUN(&r, "-force", "-b", path);
	CHECK_INT(r.status, EXIT_USAGE);
	at(want, sizeof(want), 2, "unknown object '000");
	if (strncmp(r.err, want, strlen(want)))
		unit_fail(__FILE__, __LINE__, "stderr starts \"%.80s\"", r.err);
	CHECK_INT(gvt_stop(), 2);
	run_free(&r);

	snprintf(big, n + 1, "mdev show\n%065536d\nmdev show\n", 0);
	gvt_start(&one, 1);
	batch_bytes(big, strlen(big));
	RUN(&r, "-force", "-b", path);
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, at(want, sizeof(want), 2, "line longer than 65535 bytes\n"));
	CHECK_INT(gvt_stop(), 2);	/* the rest of line 2 skipped, line 3 ran */
	run_free(&r);
	free(big);
}

/* A usage error is exit 2 with the place and the command's usage. */
TEST(batch_usage_error_names_its_line)
{
	char want[4400];
	struct run r;

	gvt_start(&one, 1);
	batch_file("mdev show\n"
		   "\n"
		   "mdev add 00:02 type " GVT_TYPE_4 "\n"
		   "mdev show\n");
	RUN(&r, "-b", path);
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, at(want, sizeof(want), 3,
			    "malformed device handle '00:02' (expected pci/DDDD:BB:DD.F)\n"
			    ADD_USAGE));
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);

	/* With -force: 2 if the first failure was a usage error. */
	gvt_start(&one, 1);
	batch_file("mdev del x\n"
		   "mdev del " U "\n");
	RUN(&r, "-f", "-b", path);
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK(strstr(r.err, ":1: malformed UUID 'x'"));
	CHECK(strstr(r.err, ":2: no mdev " U "\n"));
	gvt_stop();
	run_free(&r);
}

/* One usage error of a line, checked whole. */
static void check_line(const char *text, int line, const char *msg,
		       const char *file, int src_line)
{
	char want[4400];
	struct run r;

	gvt_start(&one, 1);
	batch_file(text);
	RUN(&r, "-b", path);
	at(want, sizeof(want), line, msg);
	if (r.status != EXIT_USAGE)
		unit_fail(file, src_line, "exit %d, want 2", r.status);
	if (strcmp(r.err, want))
		unit_fail(file, src_line, "stderr is\n#   \"%s\"\n# want\n#   \"%s\"",
			  r.err, want);
	if (gvt_stop())
		unit_fail(file, src_line, "requests sent");
	run_free(&r);
}

#define LINE(text, line, msg) check_line(text, line, msg, __FILE__, __LINE__)

/* Words as ip -batch splits them: quotes, backslashes, comments. */
TEST(batch_words)
{
	/* '#' starts a comment only where a word could start. */
	LINE("mdev del x#y\n", 1, "malformed UUID 'x#y' (expected "
	     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)\n" DEL_USAGE);
	LINE("mdev del #y\n", 1, "missing UUID\n" DEL_USAGE);
	LINE("mdev del \\#y\n", 1, "malformed UUID '#y' (expected "
	     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)\n" DEL_USAGE);
	/* Quotes: one word with blanks, "" an empty one. */
	LINE("mdev del 'a b'\n", 1, "malformed UUID 'a b' (expected "
	     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)\n" DEL_USAGE);
	LINE("mdev del \"a\\\"b\\\\\"\n", 1, "malformed UUID 'a\"b\\' (expected "
	     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)\n" DEL_USAGE);
	LINE("mdev add 00:02.0 type \"\"\n", 1, "empty type name\n" ADD_USAGE);
	LINE("mdev del a'b c'd\n", 1, "malformed UUID 'ab cd' (expected "
	     "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hex)\n" DEL_USAGE);
	LINE("\nmdev show \"all\n", 2, "unterminated \" quote\n");
	LINE("mdev show 'all\n", 1, "unterminated ' quote\n");
	/* A command joined over lines is named by its first. */
	LINE("mdev help\n"
	     "mdev del \\\n"
	     "  " U " \\\n"
	     "  now\n", 2, "unexpected argument 'now'\n" DEL_USAGE);
	/* A comment does not join lines. */
	LINE("# mdev del \\\n"
	     "mdev del\n", 2, "missing UUID\n" DEL_USAGE);
	LINE("mdev help\nmdev del \\\n", 2,
	     "the file ends in a line-joining backslash\n");
	/* Tabs and CR LF line ends separate words too. */
	LINE("mdev\tdel\t" U "\tnow\r\n", 1, "unexpected argument 'now'\n" DEL_USAGE);
}

/* What a batch line cannot be. */
TEST(batch_refusals)
{
	char want[4400];
	struct run r;

	LINE("monitor\n", 1, "monitor runs until it is interrupted: it cannot be a batch line\n"
	     "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n");
	LINE("-j mdev show\n", 1, "options go before -batch, not on a line ('-j'); "
	     "a line is OBJECT COMMAND [ARGS]\n"
	     "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n");
	LINE("nosuch show\n", 1, "unknown object 'nosuch' (try: vgpu-nl help)\n"
	     "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n");

	/* No file. */
	gvt_start(&one, 1);
	snprintf(path, sizeof(path), "%s", fh_path("nosuch"));
	RUN(&r, "-b", path);
	CHECK_INT(r.status, EXIT_FAIL);
	snprintf(want, sizeof(want),
		 "Error: cannot read the batch file %s: No such file or directory\n", path);
	CHECK_STR(r.err, want);
	CHECK_INT(gvt_stop(), 0);
	CHECK_INT(fk_connects(), 0);
	run_free(&r);
}

/* The options around -batch. */
TEST(batch_options)
{
	struct run r;

	RUN(&r, "-force", "mdev", "show");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: -force goes with -batch FILE (commands take their own 'force')\n"
		  "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n");
	run_free(&r);
	RUN(&r, "-b");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: -batch needs a FILE (- for stdin)\n"
		  "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n");
	run_free(&r);
	RUN(&r, "--batch", "f", "mdev", "show");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: unexpected argument 'mdev' after -batch f\n"
		  "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n");
	run_free(&r);
	RUN(&r, "--forcefully");
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK_STR(r.err, "Error: unknown option '--forcefully'\n"
		  "Usage: vgpu-nl [OPTIONS] OBJECT COMMAND [ARGS]\n");
	run_free(&r);

	/* -bFILE and a group ending in b take the FILE as getopt does. */
	gvt_start(&one, 1);
	batch_file("mdev show\n");
	{
		char opt[4300];

		snprintf(opt, sizeof(opt), "-jb%s", path);
		RUN(&r, opt);
		CHECK_INT(r.status, EXIT_OK);
		CHECK(!strncmp(r.out, "{\"mdevs\":[{\"uuid\":\"" A "\"", 30));
		run_free(&r);
		RUN(&r, "-fjb", path);
		CHECK_INT(r.status, EXIT_OK);
		CHECK(!strncmp(r.out, "{\"mdevs\":[{\"uuid\":\"" A "\"", 30));
		run_free(&r);
		RUN(&r, "--force", "--json", "--batch", path);
		CHECK_INT(r.status, EXIT_OK);
		CHECK(!strncmp(r.out, "{\"mdevs\":[{\"uuid\":\"" A "\"", 30));
		run_free(&r);
	}
	gvt_stop();
}

/* -j: one JSON document per command that prints one, as devlink -j -batch. */
TEST(batch_json_one_document_per_line)
{
	struct run r;

	gvt_start(&one, 1);
	batch_file("mdev add 00:02.0 type " GVT_TYPE_4 " uuid " U "\n"
		   "mdev del " U "\n"
		   "mdev show\n");
	RUN(&r, "-j", "-batch", path);
	CHECK_INT(r.status, EXIT_OK);
	CHECK_STR(r.out,
		  "{\"mdevs\":[{\"uuid\":\"" U "\",\"parent\":\"" GVT_PARENT "\","
		  "\"type\":\"" GVT_TYPE_4 "\",\"iommu_group\":20,\"in_use\":false,"
		  "\"owned\":true,\"persistent\":false}]}\n"
		  "{\"mdevs\":[{\"uuid\":\"" A "\",\"parent\":\"" GVT_PARENT "\","
		  "\"type\":\"" GVT_TYPE_4 "\",\"driver\":\"vfio_mdev\",\"iommu_group\":31,"
		  "\"in_use\":false,\"owned\":true,\"persistent\":false}]}\n");
	CHECK_STR(r.err, "");
	gvt_stop();
	run_free(&r);
}

/* Runs "vgpu-nl ARGS" with @file as its stdin. */
static void run_with_stdin(struct run *r, const char *file, const char *arg, ...)
{
	const char *args[8] = { arg };
	int saved, fd, n = 1;
	va_list ap;

	va_start(ap, arg);
	while (n < 7 && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	saved = dup(0);
	fd = open(file, O_RDONLY);
	if (saved < 0 || fd < 0 || dup2(fd, 0) < 0)
		abort();
	close(fd);
	clearerr(stdin);
	run_tool(r, args[0], args[1], args[2], args[3], args[4], args[5],
		 args[6], (const char *)NULL);
	dup2(saved, 0);
	close(saved);
	clearerr(stdin);
}

/* "-" reads the batch from stdin; "apply -" cannot read it too. */
TEST(batch_from_stdin)
{
	struct run r;

	gvt_start(&one, 1);
	batch_file("mdev show\n"
		   "apply - force\n"
		   "mdev show\n");
	run_with_stdin(&r, path, "-b", "-", NULL);
	CHECK_INT(r.status, EXIT_USAGE);
	CHECK(!strncmp(r.out, A ": parent", strlen(A ": parent")));
	CHECK_STR(r.err, "Error: <stdin>:2: stdin holds the batch: give apply a FILE\n"
		  "Usage: vgpu-nl apply [FILE|-] [device DEV] [force]\n");
	CHECK_INT(gvt_stop(), 1);
	run_free(&r);
}
