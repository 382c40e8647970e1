// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_config.c - libFuzzer target: the desired-state file parser
 * (persist/config.c), the text "vgpu-nl apply" reads
 *
 * Besides memory errors (ASan, UBSan), one property: a file that parses
 * is written back by config_write() (what "save" does) into a file that
 * parses again into the same text, so that save then apply is stable.
 */
#define _GNU_SOURCE	/* fmemopen(), open_memstream() */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "persist/config.h"

/* @c written out, malloc'ed. */
static char *written(const struct config *c)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f || config_write(f, c) || fclose(f))
		abort();
	return text;
}

/* Parses @len bytes of @data; 0 if it parsed. */
static int parse(const void *data, size_t len, struct config *c)
{
	char why[512];
	FILE *f;
	int ret;

	/* fmemopen() of 0 bytes fails: an empty file is one newline short. */
	f = len ? fmemopen((void *)data, len, "r") : fopen("/dev/null", "r");
	if (!f)
		abort();
	ret = config_parse(f, "fuzz", c, why, sizeof(why));
	fclose(f);
	if (ret == CONFIG_ESYNTAX && strncmp(why, "fuzz:", 5))
		abort();	/* a syntax error names the file and line */
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c, again;
	char *first, *second;

	if (parse(data, size, &c)) {
		config_free(&c);
		return 0;
	}
	first = written(&c);
	if (parse(first, strlen(first), &again)) {
		fprintf(stderr, "written config does not parse:\n%s", first);
		abort();
	}
	second = written(&again);
	if (strcmp(first, second)) {
		fprintf(stderr, "config not stable:\n%s---\n%s", first, second);
		abort();
	}
	free(first);
	free(second);
	config_free(&c);
	config_free(&again);
	return 0;
}
